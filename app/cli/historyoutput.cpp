#include "historyoutput.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace qs::cli {

namespace {

constexpr qint64 kDayMs = 86'400'000;

// "2026-12-06T09:31:00+00:00", as QDateTime's Qt::ISODate writes a UTC time of whole seconds;
// the date part is made once per day.
class IsoTimes
{
public:
    void append(QByteArray &out, qint64 ms)
    {
        const qint64 day = ms >= 0 ? ms / kDayMs : (ms - kDayMs + 1) / kDayMs;
        if (day != m_day) {
            m_day = day;
            m_date = QDate(1970, 1, 1).addDays(day).toString(Qt::ISODate).toLatin1() + 'T';
        }
        const qint64 seconds = (ms - day * kDayMs) / 1'000;
        out.append(m_date);
        appendTwo(out, int(seconds / 3'600));
        out.append(':');
        appendTwo(out, int(seconds / 60 % 60));
        out.append(':');
        appendTwo(out, int(seconds % 60));
        out.append("+00:00");
    }

private:
    static void appendTwo(QByteArray &out, int value)
    {
        out.append(char('0' + value / 10)).append(char('0' + value % 10));
    }

    qint64 m_day = std::numeric_limits<qint64>::min();
    QByteArray m_date;
};

// A number as QJsonDocument writes it: whole numbers without a fraction, others shortest.
QByteArray jsonNumber(double value)
{
    if (value == std::trunc(value) && std::fabs(value) < 0x1p53)
        return QByteArray::number(qint64(value));
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

QByteArray jsonString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2); // ["..."] -> "..."
}

} // namespace

QByteArray formatRange(const history::SeriesRange &range, const QString &series, RangeFormat format)
{
    QByteArray out;
    out.reserve(range.points.size() * 40 + 64);
    if (format == RangeFormat::Json) {
        out.append("{\"points\":[");
        for (qsizetype i = 0; i < range.points.size(); ++i) {
            out.append(i ? ",[" : "[").append(QByteArray::number(range.points.at(i).first));
            out.append(',').append(jsonNumber(range.points.at(i).second)).append(']');
        }
        out.append("],\"series\":").append(jsonString(series));
        out.append(",\"stepMs\":").append(QByteArray::number(range.stepMs)).append("}\n");
        return out;
    }
    if (format == RangeFormat::Csv)
        out.append("time,value\n");
    IsoTimes times;
    for (const auto &[at, value] : range.points) {
        times.append(out, at);
        out.append(format == RangeFormat::Csv ? "," : "  ");
        out.append(QByteArray::number(value, 'g', 15)).append('\n');
    }
    return out;
}

} // namespace qs::cli
