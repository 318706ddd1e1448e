// What the user reads off a TimeSeriesChart: the tooltip at the cursor, the context menu and its
// exports (PNG, CSV of the visible range).
#include "timeserieschart.h"

#include "charthistoryfeed.h"
#include "chartplot.h"

#include "monitor/clientlistmodel.h"
#include "monitor/metrichistory.h"
#include "monitor/units.h"

#include <QDateTime>
#include <QFileDialog>
#include <QMenu>
#include <QSaveFile>
#include <QToolTip>

#include <cmath>

namespace qs::widgets {

using monitor::Metric;

bool TimeSeriesChart::exportPng(const QString &path) const
{
    return m_plot->savePng(path);
}

bool TimeSeriesChart::exportCsv(const QString &path) const
{
    if (!m_history || m_series.empty())
        return false;
    const QCPRange range = m_plot->xAxis->range();
    // toCsv takes [from, to): one millisecond past the right edge keeps the sample drawn there.
    const QByteArray csv = m_history->toCsv(metrics(), qint64(std::floor(range.lower * 1000)),
                                            qint64(std::floor(range.upper * 1000)) + 1);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(csv);
    return file.commit();
}

void TimeSeriesChart::showContextMenu(const QPoint &pos)
{
    QMenu menu(this);
    const QString stem = m_title.isEmpty() ? QStringLiteral("chart") : m_title.toLower();
    QAction *png = menu.addAction(tr("Export PNG…"));
    connect(png, &QAction::triggered, this, [this, stem] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export chart as PNG"),
                                         stem + QStringLiteral(".png"), tr("PNG images (*.png)"));
        if (!path.isEmpty() && !exportPng(path))
            emit failed(tr("Could not write the chart image to %1.").arg(path));
    });
    QAction *csv = menu.addAction(tr("Export CSV…"));
    csv->setEnabled(m_history != nullptr);
    connect(csv, &QAction::triggered, this, [this, stem] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export visible data as CSV"),
                                         stem + QStringLiteral(".csv"), tr("CSV files (*.csv)"));
        if (!path.isEmpty() && !exportCsv(path))
            emit failed(tr("Could not write the chart data to %1.").arg(path));
    });
    menu.addSeparator();
    QAction *follow = menu.addAction(tr("Follow live"));
    follow->setCheckable(true);
    follow->setChecked(m_followLive);
    connect(follow, &QAction::toggled, this, &TimeSeriesChart::setFollowLive);
    menu.exec(m_plot->mapToGlobal(pos));
}

void TimeSeriesChart::showToolTip(const QPoint &pos)
{
    if (m_series.empty() || !m_plot->axisRect()->rect().contains(pos)) {
        QToolTip::hideText();
        return;
    }
    // The graphs hold what is drawn (history read from disk, then the rows in memory), each
    // graph's points at the same times: the first graph finds the nearest one.
    const double key = m_plot->xAxis->pixelToCoord(pos.x());
    const QCPGraphDataContainer &first = *m_series.front().graph->data();
    auto it = first.findBegin(key, false);
    if (it == first.constEnd() && it != first.constBegin())
        --it;
    if (it != first.constBegin() && key - std::prev(it)->key < it->key - key)
        --it;
    // Left of the oldest or right of the newest point there is nothing to tell.
    if (it == first.constEnd() || std::abs(m_plot->xAxis->coordToPixel(it->key) - pos.x()) > 24) {
        QToolTip::hideText();
        return;
    }
    const double sampleKey = it->key;
    const qint64 sampleMs = qint64(std::llround(sampleKey * 1000));
    QString text = QStringLiteral("<b>%1</b>")
                       .arg(QDateTime::fromMSecsSinceEpoch(sampleMs).toLocalTime().toString(
                           QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    if (m_feed->stepMs() > 0 && sampleMs < m_feed->seamMs())
        text += tr(" (mean of %1)").arg(monitor::formatSeconds(m_feed->stepMs() / 1000));
    for (const Series &series : m_series) {
        const auto at = series.graph->data()->findBegin(sampleKey, false);
        const double value =
            at != series.graph->data()->constEnd() && at->key == sampleKey ? at->value : qQNaN();
        text += QStringLiteral("<br><span style=\"color:%1\">&#9632;</span> %2: %3")
                    .arg(series.graph->pen().color().name(), series.graph->name().toHtmlEscaped(),
                         formatValue(series.metric, value));
    }
    if (const ChartMarker *marker = m_markers->near(pos.x(), 6))
        text += QStringLiteral("<br><b>%1</b>").arg(marker->detail.toHtmlEscaped());
    QToolTip::showText(m_plot->mapToGlobal(pos), text, m_plot);
}

QString TimeSeriesChart::formatValue(Metric metric, double value) const
{
    if (std::isnan(value))
        return tr("no data");
    const QString unit = monitor::metricUnit(metric);
    switch (m_format) {
    case ValueFormat::Bytes:
        if (std::abs(value) < 1024)
            return monitor::formatBytes(qint64(std::llround(value)));
        return QStringLiteral("%1 (%2 B)")
            .arg(monitor::formatBytes(qint64(std::llround(value))),
                 monitor::formatCount(qint64(std::llround(value))));
    case ValueFormat::Percent:
        return QString::number(value, 'f', 2) + QLatin1Char('%');
    case ValueFormat::Rate:
        return QString::number(value, 'f', 2) + QLatin1Char(' ') + unit;
    case ValueFormat::Number:
        break;
    }
    const QString number = value == std::round(value) && std::abs(value) < 1e15
                               ? monitor::formatCount(qint64(value))
                               : QString::number(value, 'f', 3);
    return unit.isEmpty() ? number : number + QLatin1Char(' ') + unit;
}

} // namespace qs::widgets
