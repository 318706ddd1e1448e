#include "exposition.h"

#include "core/displaytext.h"

#include <QLocale>
#include <QString>

#include <charconv>
#include <cmath>

namespace qs::exporter {

ExpositionFormat formatFor(QByteArrayView acceptHeader)
{
    return QByteArray(acceptHeader.data(), acceptHeader.size())
                   .contains("application/openmetrics-text")
               ? ExpositionFormat::OpenMetrics
               : ExpositionFormat::Prometheus;
}

QByteArray contentType(ExpositionFormat format)
{
    return format == ExpositionFormat::OpenMetrics
               ? QByteArrayLiteral("application/openmetrics-text; version=1.0.0; charset=utf-8")
               : QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8");
}

QByteArray familyHeader(const MetricFamily &family, ExpositionFormat format)
{
    QByteArray name = family.name;
    if (format == ExpositionFormat::OpenMetrics && family.type == MetricType::Counter &&
        name.endsWith("_total"))
        name.chop(6);
    QByteArray help = family.help;
    help.replace('\\', "\\\\").replace('\n', "\\n");
    if (format == ExpositionFormat::OpenMetrics)
        help.replace('"', "\\\"");
    const QByteArray type = family.type == MetricType::Counter ? "counter" : "gauge";
    return "# HELP " + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
}

QByteArray expositionEnd(ExpositionFormat format)
{
    return format == ExpositionFormat::OpenMetrics ? QByteArrayLiteral("# EOF\n") : QByteArray();
}

QByteArray escapeLabelValue(QStringView value)
{
    QByteArray utf8 = value.toUtf8();
    if (utf8.contains('\\') || utf8.contains('"') || utf8.contains('\n'))
        utf8.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return utf8;
}

QByteArray bytesLabelValue(QByteArrayView bytes)
{
    const QString text = QString::fromUtf8(bytes);
    if (text.toUtf8() == bytes)
        return escapeLabelValue(text);
    return escapeLabelValue(core::displayBytes(bytes, core::DisplayMode::Identifier));
}

QByteArray formatValue(double value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    if (value == std::trunc(value) && std::fabs(value) < 9e15)
        return QByteArray::number(qint64(value));
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

void appendSample(QByteArray &out, QByteArrayView name, QByteArrayView labels, double value)
{
    appendSample(out, name, labels, {}, value);
}

void appendSample(QByteArray &out, QByteArrayView name, QByteArrayView labels,
                  QByteArrayView moreLabels, double value)
{
    char digits[24];
    QByteArray fraction;
    QByteArrayView text;
    if (value == std::trunc(value) && std::fabs(value) < 9e15) { // most samples: no allocation
        text = QByteArrayView(
            digits, std::to_chars(digits, digits + sizeof digits, qint64(value)).ptr - digits);
    } else {
        fraction = formatValue(value);
        text = fraction;
    }
    const bool braces = !labels.isEmpty() || !moreLabels.isEmpty();
    // One growth of `out` and plain copies: a fleet's scrape is 100,000 samples.
    const qsizetype at = out.size();
    out.resize(at + name.size() + (braces ? labels.size() + moreLabels.size() + 2 : 0) +
               text.size() + 2);
    char *next = out.data() + at;
    const auto put = [&next](QByteArrayView bytes) {
        next = std::copy(bytes.cbegin(), bytes.cend(), next);
    };
    put(name);
    if (braces) {
        *next++ = '{';
        put(labels);
        put(moreLabels);
        *next++ = '}';
    }
    *next++ = ' ';
    put(text);
    *next = '\n';
}

} // namespace qs::exporter
