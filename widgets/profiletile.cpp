#include "profiletile.h"

#include "statuscolors.h"

#include "monitor/units.h"
#include "session/profileprobe.h"

#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QVBoxLayout>

namespace qs::widgets {

ProfileTile::ProfileTile(session::ProfileProbe *probe, QWidget *parent)
    : QFrame(parent)
    , m_probe(probe)
    , m_title(new QLabel(this))
    , m_state(new QLabel(this))
    , m_numbers(new QLabel(this))
    , m_failed(new QLabel(this))
    , m_workers(new QLabel(this))
    , m_error(new QLabel(this))
{
    setFrameShape(QFrame::StyledPanel);
    setCursor(Qt::PointingHandCursor);
    setMinimumWidth(260);
    setMaximumWidth(380);
    setToolTip(tr("Open %1").arg(probe->profile().displayUrl()));
    m_title->setTextFormat(Qt::RichText);
    for (QLabel *label : {m_state, m_numbers, m_failed, m_workers, m_error})
        label->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_state->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b3261e"));
    auto *layout = new QVBoxLayout(this);
    for (QLabel *label : {m_title, m_state, m_numbers, m_failed, m_workers, m_error})
        layout->addWidget(label);
    connect(probe, &session::ProfileProbe::updated, this, &ProfileTile::refresh);
    refresh();
}

QString ProfileTile::stateText() const
{
    // The state only: the error itself is the tile's last line, said once.
    const redis::ConnectionStatus &status = m_probe->status();
    switch (status.state) {
    case redis::ConnectionState::Connected:
        break;
    case redis::ConnectionState::Reconnecting:
        return tr("unreachable — trying again in %1 s")
            .arg(QString::number(status.reconnectInMs / 1000.0, 'f', 0));
    case redis::ConnectionState::Failed:
        return tr("unreachable — not retrying");
    case redis::ConnectionState::Connecting:
        return tr("connecting…");
    case redis::ConnectionState::Disconnected:
        return tr("not connected");
    }
    if (!m_probe->health())
        return tr("connected");
    return monitor::statusName(m_probe->health()->status);
}

QString ProfileTile::errorText() const
{
    return m_error->isVisibleTo(this) ? m_error->text() : QString();
}

QString ProfileTile::failedText() const
{
    const std::optional<qint64> failed = m_probe->failedJobs();
    if (!failed)
        return tr("failed jobs: —");
    const QLocale locale;
    QString text = tr("failed jobs: %1").arg(locale.toString(*failed));
    if (const std::optional<qint64> before = m_probe->previousFailedJobs();
        before && *before != *failed)
        text += *failed > *before ? tr("  ▲ +%1").arg(locale.toString(*failed - *before))
                                  : tr("  ▼ −%1").arg(locale.toString(*before - *failed));
    return text;
}

QString ProfileTile::workersText() const
{
    const std::optional<session::ProfileProbe::Workers> workers = m_probe->workers();
    if (!workers)
        return {};
    const QString partial = workers->unknown ? tr(" (some unknown)") : QString();
    if (workers->seen == 0)
        return workers->unknown ? tr("workers: unknown") : tr("workers: none seen");
    if (workers->live == workers->seen)
        return tr("workers: %1 live%2").arg(workers->live).arg(partial);
    return tr("workers: %1 live of %2 seen%3").arg(workers->live).arg(workers->seen).arg(partial);
}

void ProfileTile::refresh()
{
    const core::ConnectionProfile &p = m_probe->profile();
    const QString env =
        p.environment.isEmpty()
            ? QString()
            : QStringLiteral("<span style='background:%1;color:white;'>&nbsp;%2&nbsp;</span> ")
                  .arg(environmentColor(p.environment).name(),
                       p.environment.toUpper().toHtmlEscaped());
    m_title->setText(env +
                     QStringLiteral("<b>%1</b>%2")
                         .arg(p.name.toHtmlEscaped(), p.readOnly ? tr(" (read-only)") : QString()));
    m_state->setText(stateText());
    HealthLevel level = HealthLevel::Unknown;
    if (m_probe->status().state != redis::ConnectionState::Connected)
        level = HealthLevel::Critical;
    else if (const auto &health = m_probe->health())
        level = health->status == monitor::HealthReport::Status::Healthy    ? HealthLevel::Good
                : health->status == monitor::HealthReport::Status::Degraded ? HealthLevel::Warning
                                                                            : HealthLevel::Critical;
    m_state->setStyleSheet(
        QStringLiteral("color: %1; font-weight: bold").arg(levelColor(level).name()));
    if (const auto &health = m_probe->health()) {
        const QString memory = health->memoryPercent
                                   ? tr("memory %1%").arg(*health->memoryPercent, 0, 'f', 1)
                                   : tr("memory %1").arg(monitor::formatBytes(health->usedMemory));
        m_numbers->setText(tr("%1 · %2 ops/s · %3 clients")
                               .arg(memory,
                                    health->opsPerSec ? QString::number(*health->opsPerSec, 'f', 0)
                                                      : tr("unknown"),
                                    monitor::formatCount(health->connectedClients)));
    } else {
        m_numbers->setText(tr("no data yet"));
    }
    m_failed->setText(failedText());
    const std::optional<session::ProfileProbe::Workers> workers = m_probe->workers();
    m_workers->setText(workersText());
    m_workers->setVisible(workers.has_value());
    m_workers->setStyleSheet(
        workers && workers->live < workers->seen
            ? QStringLiteral("color: %1").arg(levelColor(HealthLevel::Warning).name())
            : QString());
    m_error->setText(m_probe->lastError());
    m_error->setVisible(!m_probe->lastError().isEmpty() &&
                        m_probe->status().state != redis::ConnectionState::Connected);
}

void ProfileTile::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        Q_EMIT clicked();
    QFrame::mouseReleaseEvent(event);
}

} // namespace qs::widgets
