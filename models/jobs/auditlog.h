#pragma once

#include "actionsummary.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace qs::core {
struct ConnectionProfile;
}

namespace qs::jobs {

// Every action QueueScope performs or refuses, one JSON object per line, appended to a file
// only the user can read (time, profile, server, environment, queue, action, ids or count,
// result). The server is the redacted URL: no secret ever reaches this file.
class AuditLog
{
public:
    explicit AuditLog(QString path = defaultPath());

    static QString defaultPath(); // <AppDataLocation>/audit.jsonl
    const QString &path() const { return m_path; }

    // False (and `error` set) when the file cannot be written; the action itself has happened.
    bool append(const core::ConnectionProfile &profile, const ActionSummary &summary,
                const QString &origin, QString *error = nullptr) const;
    // A refusal (read-only profile, not confirmed, unsupported): logged too.
    bool appendRefusal(const core::ConnectionProfile &profile, const ActionRequest &request,
                       const QString &origin, const QString &why, QString *error = nullptr) const;
    // A remote-control command sent to workers, or refused: `control` holds what was sent and
    // its result (framework, action, ... as monitor::CeleryPingResult::toJson() gives them).
    bool appendWorkerControl(const core::ConnectionProfile &profile, const QJsonObject &control,
                             const QString &origin, QString *error = nullptr) const;
    // The newest `count` entries, oldest first.
    QList<QJsonObject> readLast(int count) const;

    static QJsonObject requestToJson(const ActionRequest &request);
    // {"moved to failed": 2, "requeued (retries left)": 1}: ActionSummary::doneAs.
    static QJsonObject doneAsToJson(const ActionSummary &summary);

private:
    bool write(const QJsonObject &entry, QString *error) const;

    QString m_path;
};

} // namespace qs::jobs
