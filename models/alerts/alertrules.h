#pragma once

#include "alerts/alertrule.h"
#include "core/result.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <optional>

namespace qs::alerts {

// What runs when an alert fires or resolves: a shell command that reads the event as JSON on
// its stdin (docs/alerts.md), killed after `timeoutMs`.
struct NotifierCommand
{
    static constexpr qint64 defaultTimeoutMs = 10'000;
    QString command; // empty: nobody is notified
    qint64 timeoutMs = defaultTimeoutMs;
};

// The rules of one server, in layers: the built-in defaults, then the global rules file, then
// the profile's (docs/alerts.md). An entry with an id already known changes only the fields it
// names ({"id": "memory-high", "above": 90}); an entry with "queue": GLOB changes the rule for
// the queues whose id matches only; {"id": ..., "enabled": false} turns a rule off.
class AlertRules
{
public:
    // The rules QueueScope ships, on: memory-high, evictions, failed-burst, waiting-growing;
    // and off until a rules file turns them on: memory-critical, clients-high, blocked-clients,
    // rejected-connections, replication-lag, save-failed, poll-slow, oldest-waiting, no-consumer,
    // throughput-stopped.
    static AlertRules defaults();
    static const char *defaultsJson(); // the same rules as the rules file writes them

    // Where rules files live: <AppConfigLocation>/alerts.json for every server and
    // <AppConfigLocation>/alerts/<profile>.json for one (next to profiles.json).
    static QString globalPath();
    static QString profilePath(const QString &profileName);
    // The defaults, the global file and the profile's file (each optional): what the window and
    // `record` use. An error names the file and the rule.
    static core::Result<AlertRules> forProfile(const QString &profileName);

    // Adds one rules file's layer; `origin` names it in errors. Nothing is added on error.
    core::Result<bool> addLayer(const QByteArray &json, const QString &origin);
    // The same from a file; a missing file adds nothing and is no error.
    core::Result<bool> addFile(const QString &path);

    QStringList ids() const { return m_ids; } // every rule, in the order first seen
    // The rule `id` as it applies to a series of queue `queueId` (empty: a server series), or
    // nullopt when it is off there or has no entry that applies.
    std::optional<AlertRule> effective(const QString &id, const QString &queueId) const;
    const NotifierCommand &notifier() const { return m_notifier; }

    // Series name globs: '*' matches any text (dots and slashes too). The captures are what each
    // '*' matched, for a `while` series of the same queue.
    static QRegularExpression globPattern(const QString &glob);
    // "queue.bullmq/bull/emails.waiting" -> "bullmq/bull/emails"; empty for other series.
    static QString queueOf(const QString &series);

private:
    struct Entry
    {
        QJsonObject fields;
        QString queueGlob; // empty: every queue and the server series
        QString origin;
    };

    // The entries of `id` that apply to `queueId`, the first `count` entries only (all: -1).
    std::optional<QJsonObject> merged(const QString &id, const QString &queueId,
                                      qsizetype count = -1) const;
    core::Result<bool> validate() const;

    QStringList m_ids;
    QList<Entry> m_entries;
    NotifierCommand m_notifier;
    mutable QHash<QString, std::optional<AlertRule>> m_effective; // id + '\n' + queue
};

} // namespace qs::alerts
