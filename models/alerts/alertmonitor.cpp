#include "alerts/alertmonitor.h"

#include "alerts/alertseries.h"

#include <QDateTime>

namespace qs::alerts {

AlertMonitor::AlertMonitor(QString profileName, QString server, QString logPath, QObject *parent)
    : QObject(parent)
    , m_profileName(std::move(profileName))
    , m_server(server)
    , m_engine(AlertRules::defaults(), std::move(server))
    , m_log(std::make_unique<AlertLog>(logPath))
{
    reloadRules();
    if (m_log->onDisk())
        m_voiceLock = std::make_unique<QLockFile>(logPath + QStringLiteral(".alerts.lock"));
    m_voice = !m_voiceLock;
    takeVoice(QDateTime::currentMSecsSinceEpoch());
    const QList<StoredAlert> newest = m_log->events(1);
    m_lastSeenId = newest.isEmpty() ? 0 : newest.first().id;
    connect(&m_notifier, &AlertNotifier::finished, this,
            [this](qint64 id, const QString &outcome, const QByteArray &output) {
                m_log->setNotified(id, outcome);
                if (outcome != tr("sent") && outcome != tr("no notifier"))
                    qCWarning(lcAlerts, "%s: alert notifier %s%s", qPrintable(m_server),
                              qPrintable(outcome),
                              output.isEmpty()
                                  ? ""
                                  : qPrintable(QStringLiteral(": ") +
                                               QString::fromUtf8(output.left(300)).trimmed()));
                Q_EMIT notified(id, outcome);
            });
}

AlertMonitor::~AlertMonitor() = default;

void AlertMonitor::reloadRules()
{
    const core::Result<AlertRules> rules = AlertRules::forProfile(m_profileName);
    if (rules) {
        m_rulesMessage.clear();
        m_engine.setRules(rules.value());
        m_notifier.setCommand(rules->notifier());
    } else {
        m_rulesMessage = tr("%1 (the rules in use are unchanged)").arg(rules.error());
        qCWarning(lcAlerts, "%s", qPrintable(m_rulesMessage));
    }
}

QString AlertMonitor::message() const
{
    QStringList parts;
    if (!m_rulesMessage.isEmpty())
        parts << m_rulesMessage;
    if (!m_log->message().isEmpty())
        parts << m_log->message();
    return parts.join(QStringLiteral("; "));
}

void AlertMonitor::takeVoice(qint64 nowMs)
{
    if (m_voice || !m_voiceLock || nowMs - m_voiceTriedMs < kVoiceRetryMs)
        return;
    m_voiceTriedMs = nowMs;
    m_voiceLock->setStaleLockTime(0); // only a dead holder's lock is stale
    m_voice = m_voiceLock->tryLock(0);
}

void AlertMonitor::evaluate(const monitor::PollSnapshot &snapshot,
                            const QList<history::Sample> &samples,
                            const monitor::HealthReport &health,
                            const monitor::QueueMonitor *queues)
{
    if (!snapshot.ok())
        return;
    const qint64 nowMs = snapshot.timestampMs;
    takeVoice(QDateTime::currentMSecsSinceEpoch());
    const QList<AlertEvent> events =
        m_engine.evaluate(nowMs, alertSeries(snapshot, samples, health, queues));
    if (m_voice)
        publish(events, nowMs);
    else
        pickUpStored();
}

void AlertMonitor::publish(const QList<AlertEvent> &events, qint64 nowMs)
{
    if (events.isEmpty())
        return;
    for (const AlertEvent &event : events) {
        const bool snoozed = m_log->isSnoozed(event.rule, event.queue, nowMs);
        const bool runs = !snoozed && !m_notifier.command().command.isEmpty();
        const qint64 id = m_log->append(event, snoozed ? tr("snoozed")
                                               : runs  ? tr("pending")
                                                       : tr("no notifier"));
        if (runs)
            m_notifier.notify(event, id);
    }
    pickUpStored();
}

void AlertMonitor::pickUpStored()
{
    QList<StoredAlert> added = m_log->events(AlertLog::kMemoryEvents, m_lastSeenId);
    if (added.isEmpty())
        return;
    m_lastSeenId = added.first().id;
    std::reverse(added.begin(), added.end());
    Q_EMIT eventsAdded(added);
}

bool AlertMonitor::acknowledge(qint64 id)
{
    const bool done = m_log->acknowledge(id, QDateTime::currentMSecsSinceEpoch());
    if (done)
        Q_EMIT changed();
    return done;
}

void AlertMonitor::snooze(const QString &rule, const QString &queue, qint64 untilMs)
{
    m_log->snooze(rule, queue, untilMs);
    Q_EMIT changed();
}

} // namespace qs::alerts
