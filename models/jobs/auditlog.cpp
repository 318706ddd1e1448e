#include "auditlog.h"

#include "core/connectionprofile.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

namespace qs::jobs {

namespace {

constexpr int maxLoggedIds = 100;

QJsonObject header(const core::ConnectionProfile &profile, const QString &origin)
{
    return {
        {QStringLiteral("time"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {QStringLiteral("origin"), origin},
        {QStringLiteral("profile"), profile.name},
        {QStringLiteral("server"), profile.displayUrl()},
        {QStringLiteral("environment"), profile.environment},
        {QStringLiteral("readOnly"), profile.readOnly},
    };
}

} // namespace

AuditLog::AuditLog(QString path)
    : m_path(std::move(path))
{
}

QString AuditLog::defaultPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("audit.jsonl"));
}

QJsonObject AuditLog::requestToJson(const ActionRequest &request)
{
    QJsonObject json{
        {QStringLiteral("queue"), request.queue.id()},
        {QStringLiteral("framework"), queues::frameworkName(request.queue.framework)},
        {QStringLiteral("action"), actionName(request.action)},
    };
    if (!request.state.isEmpty())
        json.insert(QStringLiteral("state"), request.state);
    if (request.all)
        json.insert(QStringLiteral("all"), true);
    if (!request.ids.isEmpty()) {
        QJsonArray ids;
        for (const QByteArray &id : request.ids.mid(0, maxLoggedIds))
            ids.append(QString::fromUtf8(id));
        json.insert(QStringLiteral("ids"), ids);
        json.insert(QStringLiteral("idCount"), request.ids.size());
    }
    if (request.olderThanMs > 0)
        json.insert(QStringLiteral("olderThanMs"), request.olderThanMs);
    if (request.resetAttempts)
        json.insert(QStringLiteral("resetAttempts"), true);
    if (request.includeDelayed)
        json.insert(QStringLiteral("includeDelayed"), true);
    return json;
}

QJsonObject AuditLog::doneAsToJson(const ActionSummary &summary)
{
    QJsonObject became;
    for (const auto &entry : summary.doneAs)
        became.insert(entry.first, entry.second);
    return became;
}

bool AuditLog::append(const core::ConnectionProfile &profile, const ActionSummary &summary,
                      const QString &origin, QString *error) const
{
    QJsonObject entry = header(profile, origin);
    const QJsonObject request = requestToJson(summary.request);
    for (auto it = request.begin(); it != request.end(); ++it)
        entry.insert(it.key(), it.value());
    entry.insert(
        QStringLiteral("result"),
        QJsonObject{{QStringLiteral("outcome"),
                     summary.completed() ? QStringLiteral("completed")
                                         : (summary.cancelled ? QStringLiteral("cancelled")
                                                              : QStringLiteral("stopped"))},
                    {QStringLiteral("done"), summary.done},
                    {QStringLiteral("skipped"), summary.skipped},
                    {QStringLiteral("calls"), summary.calls},
                    {QStringLiteral("elapsedMs"), summary.elapsedMs},
                    {QStringLiteral("error"), summary.error}});
    if (!summary.doneAs.isEmpty()) {
        QJsonObject result = entry.value(QStringLiteral("result")).toObject();
        result.insert(QStringLiteral("doneAs"), doneAsToJson(summary));
        entry.insert(QStringLiteral("result"), result);
    }
    return write(entry, error);
}

bool AuditLog::appendRefusal(const core::ConnectionProfile &profile, const ActionRequest &request,
                             const QString &origin, const QString &why, QString *error) const
{
    QJsonObject entry = header(profile, origin);
    const QJsonObject json = requestToJson(request);
    for (auto it = json.begin(); it != json.end(); ++it)
        entry.insert(it.key(), it.value());
    entry.insert(QStringLiteral("result"),
                 QJsonObject{{QStringLiteral("outcome"), QStringLiteral("refused")},
                             {QStringLiteral("error"), why}});
    return write(entry, error);
}

bool AuditLog::appendWorkerControl(const core::ConnectionProfile &profile,
                                   const QJsonObject &control, const QString &origin,
                                   QString *error) const
{
    QJsonObject entry = header(profile, origin);
    for (auto it = control.begin(); it != control.end(); ++it)
        entry.insert(it.key(), it.value());
    return write(entry, error);
}

bool AuditLog::write(const QJsonObject &entry, QString *error) const
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QFile file(m_path);
    const bool existed = file.exists();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        if (error)
            *error =
                QStringLiteral("cannot write the audit log %1: %2").arg(m_path, file.errorString());
        return false;
    }
    if (!existed)
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const QByteArray line = QJsonDocument(entry).toJson(QJsonDocument::Compact) + '\n';
    if (file.write(line) != line.size()) {
        if (error)
            *error =
                QStringLiteral("cannot write the audit log %1: %2").arg(m_path, file.errorString());
        return false;
    }
    return true;
}

QList<QJsonObject> AuditLog::readLast(int count) const
{
    QFile file(m_path);
    QList<QJsonObject> entries;
    if (!file.open(QIODevice::ReadOnly))
        return entries;
    // The log only grows; reading its tail keeps this cheap after years of use.
    constexpr qint64 tailBytes = 4 * 1024 * 1024;
    if (file.size() > tailBytes) {
        file.seek(file.size() - tailBytes);
        file.readLine(); // a partial line
    }
    while (!file.atEnd()) {
        const QJsonDocument doc = QJsonDocument::fromJson(file.readLine());
        if (doc.isObject())
            entries.append(doc.object());
    }
    return entries.mid(qMax<qsizetype>(0, entries.size() - count));
}

} // namespace qs::jobs
