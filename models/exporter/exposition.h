#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>

namespace qs::exporter {

// The two text formats a Prometheus server reads: the classic text format (0.0.4) and
// OpenMetrics 1.0, asked for with an Accept header. Their samples are the same lines; they
// differ in a counter's HELP/TYPE name (OpenMetrics names the family without `_total`), the
// content type and OpenMetrics' closing `# EOF`.
enum class ExpositionFormat { Prometheus, OpenMetrics };
enum class MetricType { Gauge, Counter };

// OpenMetrics when the scraper accepts it (Prometheus sends application/openmetrics-text first
// in its Accept header when it prefers it), else the text format.
ExpositionFormat formatFor(QByteArrayView acceptHeader);
QByteArray contentType(ExpositionFormat format);

// One metric family: its name (a counter's ends in `_total`), type and help text.
struct MetricFamily
{
    QByteArray name;
    MetricType type = MetricType::Gauge;
    QByteArray help;
};

// "# HELP ...\n# TYPE ...\n" of one family in `format` (HELP escaped: backslash and newline).
QByteArray familyHeader(const MetricFamily &family, ExpositionFormat format);
// The end of a scrape: "# EOF\n" in OpenMetrics, nothing in the text format.
QByteArray expositionEnd(ExpositionFormat format);

// A label value as the formats escape it: backslash, double quote and newline.
QByteArray escapeLabelValue(QStringView value);
// A name read from Redis (bytes) as a label value: UTF-8 as it is; a name that is not valid
// UTF-8 (which a label cannot carry) as queuescope shows it, each invalid byte as \xNN (the
// `nameEscaped` of `queues --json`), so two names never share a label.
QByteArray bytesLabelValue(QByteArrayView bytes);

// `name{labels} value\n` onto `out`; `labels` is the inside of the braces (may be empty).
void appendSample(QByteArray &out, QByteArrayView name, QByteArrayView labels, double value);
// The same with the labels in two parts (`moreLabels` starts with its comma), so that a caller
// need not join them first.
void appendSample(QByteArray &out, QByteArrayView name, QByteArrayView labels,
                  QByteArrayView moreLabels, double value);
// A sample value: integers without a fraction, NaN and infinities as the formats spell them,
// anything else in the shortest form that reads back exactly.
QByteArray formatValue(double value);

} // namespace qs::exporter
