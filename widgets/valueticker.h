#pragma once

#include "chartvalueformat.h"

#include <qcustomplot.h>

namespace qs::widgets {

// Value axis labels in the chart's unit: "512 MiB", "1.5 GiB", "1.2k", "45%". One scale per
// axis, picked from the largest visible magnitude, and a nice step in that scale, so that all
// labels share a unit and show just the decimals the step needs.
class ValueTicker final : public QCPAxisTicker
{
public:
    void setFormat(ChartValueFormat format) { m_format = format; }

protected:
    double getTickStep(const QCPRange &range) override;
    QString getTickLabel(double tick, const QLocale &, QChar, int) override;

private:
    ChartValueFormat m_format = ChartValueFormat::Number;
    double m_scale = 1;
    double m_step = 1;
    int m_decimals = 0;
    QString m_suffix;
};

} // namespace qs::widgets
