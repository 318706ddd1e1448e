#include "alerts/alertlog.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <cmath>

namespace qs::alerts {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(AlertLog)
};

const char *const kSchema[] = {
    ("CREATE TABLE IF NOT EXISTS alert_events(id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, "
     "rule TEXT NOT NULL, severity TEXT NOT NULL, state TEXT NOT NULL, server TEXT NOT NULL, "
     "queue TEXT NOT NULL, series TEXT NOT NULL, value REAL, threshold REAL NOT NULL, "
     "condition TEXT NOT NULL, since_ms INTEGER NOT NULL, message TEXT NOT NULL, "
     "acknowledged_ms INTEGER, notified TEXT NOT NULL DEFAULT '')"),
    "CREATE INDEX IF NOT EXISTS alert_events_at ON alert_events(at_ms)",
    ("CREATE TABLE IF NOT EXISTS alert_snoozes(rule TEXT NOT NULL, queue TEXT NOT NULL, "
     "until_ms INTEGER NOT NULL, PRIMARY KEY(rule, queue))"),
};

// SQL NULL is no text: a server rule's empty queue is stored as ''.
QVariant text(const QString &value)
{
    return value.isNull() ? QVariant(QStringLiteral("")) : QVariant(value);
}

QString snoozeKey(const QString &rule, const QString &queue)
{
    return rule + QLatin1Char('\n') + queue;
}

} // namespace

AlertLog::AlertLog(QString path, bool create)
    : m_path(std::move(path))
    , m_connectionName(QStringLiteral("queuescope-alerts-%1").arg(quintptr(this), 0, 16))
{
    if (!m_path.isEmpty())
        m_onDisk = open(create);
}

AlertLog::~AlertLog()
{
    if (QSqlDatabase::contains(m_connectionName)) {
        QSqlDatabase::database(m_connectionName, false).close();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

void AlertLog::fail(const QString &what)
{
    m_message = Tr::tr("%1: alerts are kept in memory only").arg(what);
    qCWarning(lcAlerts, "%s", qPrintable(m_message));
    m_onDisk = false;
    if (QSqlDatabase::contains(m_connectionName))
        QSqlDatabase::database(m_connectionName, false).close();
}

bool AlertLog::exec(const QString &statement) const
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    return query.exec(statement);
}

bool AlertLog::open(bool create)
{
    if (!create && !QFileInfo::exists(m_path)) {
        m_message = Tr::tr("no alerts recorded yet (%1)").arg(QDir::toNativeSeparators(m_path));
        return false;
    }
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath())) {
        fail(Tr::tr("cannot create the folder of %1").arg(m_path));
        return false;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    if (!db.isValid()) {
        fail(Tr::tr("Qt's SQLite driver is missing (package libqt6sql6-sqlite)"));
        return false;
    }
    db.setDatabaseName(m_path);
    // Short: a writer of the history holds the lock for one batch at the most.
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=1000"));
    if (!db.open()) {
        fail(Tr::tr("cannot open %1 (%2)").arg(m_path, db.lastError().text()));
        return false;
    }
    bool ready = exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    for (const char *statement : kSchema)
        ready = ready && exec(QString::fromLatin1(statement));
    if (!ready) {
        QSqlQuery probe(db);
        probe.exec(QStringLiteral("SELECT 1 FROM alert_events LIMIT 1"));
        fail(Tr::tr("cannot use %1 (%2)").arg(m_path, probe.lastError().text()));
        return false;
    }
    QSqlQuery purge(db);
    purge.prepare(QStringLiteral("DELETE FROM alert_events WHERE at_ms < ?"));
    purge.addBindValue(QDateTime::currentMSecsSinceEpoch() - kRetentionMs);
    purge.exec(); // a read-only file keeps its old events: no reason to stop
    return true;
}

qint64 AlertLog::append(const AlertEvent &event, const QString &notified)
{
    if (m_onDisk) {
        QSqlQuery insert(QSqlDatabase::database(m_connectionName, false));
        insert.prepare(QStringLiteral(
            "INSERT INTO alert_events(at_ms, rule, severity, state, server, queue, series, value, "
            "threshold, condition, since_ms, message, notified) "
            "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        for (const QVariant &value :
             {QVariant(event.atMs), text(event.rule), text(severityName(event.severity)),
              text(stateName(event.state)), text(event.server), text(event.queue),
              text(event.series), std::isfinite(event.value) ? QVariant(event.value) : QVariant(),
              QVariant(event.threshold), text(event.condition), QVariant(event.sinceMs),
              text(event.message), text(notified)})
            insert.addBindValue(value);
        if (insert.exec())
            return insert.lastInsertId().toLongLong();
        fail(Tr::tr("cannot write to %1 (%2)").arg(m_path, insert.lastError().text()));
    }
    m_memory.append({m_nextMemoryId++, event, std::nullopt, notified});
    if (m_memory.size() > kMemoryEvents)
        m_memory.removeFirst();
    return m_memory.last().id;
}

void AlertLog::setNotified(qint64 id, const QString &notified)
{
    if (m_onDisk) {
        QSqlQuery update(QSqlDatabase::database(m_connectionName, false));
        update.prepare(QStringLiteral("UPDATE alert_events SET notified = ? WHERE id = ?"));
        update.addBindValue(text(notified));
        update.addBindValue(id);
        update.exec();
        return;
    }
    for (StoredAlert &stored : m_memory) {
        if (stored.id == id)
            stored.notified = notified;
    }
}

bool AlertLog::acknowledge(qint64 id, qint64 nowMs)
{
    if (m_onDisk) {
        QSqlQuery update(QSqlDatabase::database(m_connectionName, false));
        update.prepare(QStringLiteral("UPDATE alert_events SET acknowledged_ms = ? WHERE id = ? "
                                      "AND acknowledged_ms IS NULL"));
        update.addBindValue(nowMs);
        update.addBindValue(id);
        return update.exec() && update.numRowsAffected() == 1;
    }
    for (StoredAlert &stored : m_memory) {
        if (stored.id == id && !stored.acknowledgedMs) {
            stored.acknowledgedMs = nowMs;
            return true;
        }
    }
    return false;
}

void AlertLog::snooze(const QString &rule, const QString &queue, qint64 untilMs)
{
    if (m_onDisk) {
        QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
        query.prepare(QStringLiteral("INSERT OR REPLACE INTO alert_snoozes VALUES(?, ?, ?)"));
        query.addBindValue(text(rule));
        query.addBindValue(text(queue));
        query.addBindValue(untilMs);
        query.exec();
        return;
    }
    m_memorySnoozes.insert(snoozeKey(rule, queue), {rule, queue, untilMs});
}

QList<AlertSnooze> AlertLog::snoozes(qint64 nowMs) const
{
    QList<AlertSnooze> out;
    if (m_onDisk) {
        QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
        query.prepare(QStringLiteral("SELECT rule, queue, until_ms FROM alert_snoozes WHERE "
                                     "until_ms > ? ORDER BY rule, queue"));
        query.addBindValue(nowMs);
        if (query.exec()) {
            while (query.next())
                out.append({query.value(0).toString(), query.value(1).toString(),
                            query.value(2).toLongLong()});
        }
        return out;
    }
    for (const AlertSnooze &snooze : m_memorySnoozes) {
        if (snooze.untilMs > nowMs)
            out.append(snooze);
    }
    return out;
}

bool AlertLog::isSnoozed(const QString &rule, const QString &queue, qint64 nowMs) const
{
    const QString any = QStringLiteral("*");
    for (const AlertSnooze &snooze : snoozes(nowMs)) {
        if ((snooze.rule == rule || snooze.rule == any) &&
            (snooze.queue == queue || snooze.queue == any))
            return true;
    }
    return false;
}

QList<StoredAlert> AlertLog::events(int limit, qint64 afterId) const
{
    QList<StoredAlert> out;
    if (!m_onDisk) {
        for (auto it = m_memory.crbegin(); it != m_memory.crend() && out.size() < limit; ++it) {
            if (it->id > afterId)
                out.append(*it);
        }
        return out;
    }
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral(
        "SELECT id, at_ms, rule, severity, state, server, queue, series, value, threshold, "
        "condition, since_ms, message, acknowledged_ms, notified FROM alert_events "
        "WHERE id > ? ORDER BY id DESC LIMIT ?"));
    query.addBindValue(afterId);
    query.addBindValue(limit);
    if (!query.exec())
        return out;
    while (query.next()) {
        StoredAlert stored;
        stored.id = query.value(0).toLongLong();
        AlertEvent &event = stored.event;
        event.atMs = query.value(1).toLongLong();
        event.rule = query.value(2).toString();
        event.severity = query.value(3).toString() == QLatin1String("critical") ? Severity::Critical
                                                                                : Severity::Warning;
        event.state = stateFromName(query.value(4).toString()).value_or(AlertState::Fired);
        event.server = query.value(5).toString();
        event.queue = query.value(6).toString();
        event.series = query.value(7).toString();
        event.value = query.value(8).isNull() ? qQNaN() : query.value(8).toDouble();
        event.threshold = query.value(9).toDouble();
        event.condition = query.value(10).toString();
        event.sinceMs = query.value(11).toLongLong();
        event.message = query.value(12).toString();
        if (!query.value(13).isNull())
            stored.acknowledgedMs = query.value(13).toLongLong();
        stored.notified = query.value(14).toString();
        out.append(stored);
    }
    return out;
}

} // namespace qs::alerts
