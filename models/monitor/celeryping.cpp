#include "celeryping.h"

#include "redis/redisconnection.h"

#include <QDateTime>
#include <QJsonArray>

#include <cmath>

namespace qs::monitor {

namespace pidbox = queues::celerypidbox;

namespace {

constexpr qint64 kMaxWaitPerBrpopMs = 1'000; // well inside any command deadline
constexpr int kMaxIgnoredKept = 5;

} // namespace

QJsonObject CeleryPingResult::toJson() const
{
    QJsonArray answered;
    for (const CeleryPingAnswer &answer : answers)
        answered.append(QJsonObject{{QStringLiteral("worker"), answer.hostname},
                                    {QStringLiteral("answer"), answer.answer},
                                    {QStringLiteral("ok"), answer.ok},
                                    {QStringLiteral("roundTripMs"), double(answer.roundTripMs)}});
    const bool refused = errorKind == redis::RedisError::Kind::ReadOnlyRefused;
    QJsonObject result{
        {QStringLiteral("outcome"), refused           ? QStringLiteral("refused")
                                    : error.isEmpty() ? QStringLiteral("completed")
                                                      : QStringLiteral("failed")},
        {QStringLiteral("reached"), reached ? QJsonValue(double(*reached)) : QJsonValue()},
        {QStringLiteral("answers"), answered},
        {QStringLiteral("cleanedUp"), cleanedUp},
        {QStringLiteral("elapsedMs"), double(elapsedMs)},
    };
    if (!ignored.isEmpty())
        result.insert(QStringLiteral("ignored"), QJsonArray::fromStringList(ignored));
    if (!error.isEmpty())
        result.insert(QStringLiteral("error"), error);
    return {{QStringLiteral("framework"), QStringLiteral("celery")},
            {QStringLiteral("action"), QStringLiteral("ping")},
            {QStringLiteral("prefix"), QString::fromUtf8(prefix)},
            {QStringLiteral("timeoutMs"), timeoutMs},
            {QStringLiteral("result"), result}};
}

CeleryPing::CeleryPing(const redis::RedisConnection &connection, QByteArray prefix, int timeoutMs,
                       QObject *parent)
    : QObject(parent)
    , m_source(&connection)
{
    m_result.prefix = std::move(prefix);
    m_result.timeoutMs = qBound(1, timeoutMs, kMaxTimeoutMs);
}

CeleryPing::~CeleryPing() = default;

void CeleryPing::start()
{
    if (m_started)
        return;
    m_started = true;
    if (!m_source) {
        fail({redis::RedisError::Kind::NotConnected, QStringLiteral("the session is closed")});
        return;
    }
    const core::ConnectionProfile &profile = m_source->profile();
    if (profile.readOnly) {
        fail({redis::RedisError::Kind::ReadOnlyRefused,
              QStringLiteral("refused: ping writes (PUBLISH on Celery's pidbox), and the "
                             "profile%1 is read-only; nothing was sent")
                  .arg(profile.name.isEmpty() ? QString()
                                              : QStringLiteral(" '%1'").arg(profile.name))});
        return;
    }
    m_connection = m_source->clone(QString::fromLatin1(kClientName), this);
    m_broadcast = pidbox::makeBroadcast(m_result.prefix, profile.db, "ping",
                                        QDateTime::currentMSecsSinceEpoch() + m_result.timeoutMs);
    m_connection->open();
    m_clock.start();
    m_connection->pipeline(
        pidbox::bindAndPublish(m_broadcast), this, [this](const redis::PipelineResult &result) {
            if (!result.ok()) {
                fail(result.error);
                return;
            }
            const redis::RedisReply &published = result.replies.value(1);
            if (result.replies.value(0).isError() || published.isError()) {
                const redis::RedisReply &bad =
                    published.isError() ? published : result.replies.value(0);
                fail({redis::RedisError::Kind::Server, QString::fromUtf8(bad.string.left(200))});
                return;
            }
            m_clock.restart(); // round trips count from the broadcast
            m_result.reached = published.integer;
            collectNext();
        });
}

bool CeleryPing::allAnswered() const
{
    return m_result.reached && m_result.answers.size() >= *m_result.reached;
}

void CeleryPing::collectNext()
{
    const qint64 remaining = m_result.timeoutMs - m_clock.elapsed();
    if (remaining <= 0 || allAnswered() || m_result.answers.size() >= pidbox::kMaxReplies) {
        cleanUp();
        return;
    }
    const qint64 waitMs = qMin(remaining, kMaxWaitPerBrpopMs);
    const QByteArray timeout = m_integerTimeouts
                                   ? QByteArray::number(qint64(std::ceil(waitMs / 1000.0)))
                                   : QByteArray::number(waitMs / 1000.0, 'f', 3);
    m_connection->command(pidbox::collect(m_broadcast, timeout), this,
                          [this](const redis::RedisReply &reply, const redis::RedisError &error) {
                              if (error.kind == redis::RedisError::Kind::Server &&
                                  !m_integerTimeouts &&
                                  error.message.contains(QLatin1String("timeout is not"))) {
                                  m_integerTimeouts = true; // Redis 5: whole seconds only
                                  collectNext();
                                  return;
                              }
                              if (!error.isNone()) {
                                  fail(error);
                                  return;
                              }
                              read(reply);
                              collectNext();
                          });
}

void CeleryPing::read(const redis::RedisReply &reply)
{
    if (reply.elements.size() != 2)
        return; // nil: this wait timed out
    QString why;
    const std::optional<pidbox::Reply> parsed =
        pidbox::parseReply(reply.elements.at(1).string, m_broadcast.ticket, &why);
    if (!parsed) {
        if (m_result.ignored.size() < kMaxIgnoredKept)
            m_result.ignored << why;
        return;
    }
    for (const CeleryPingAnswer &known : std::as_const(m_result.answers)) {
        if (known.hostname == parsed->hostname)
            return; // one answer per worker
    }
    m_result.answers.append({parsed->hostname, parsed->answer, parsed->ok, m_clock.elapsed()});
}

void CeleryPing::fail(const redis::RedisError &error)
{
    m_result.error = error.message;
    m_result.errorKind = error.kind;
    if (m_connection && error.kind != redis::RedisError::Kind::ReadOnlyRefused)
        cleanUp(); // the binding may be there even when the PUBLISH failed
    else
        finish();
}

void CeleryPing::cleanUp()
{
    m_connection->pipeline(
        pidbox::unbind(m_broadcast), this, [this](const redis::PipelineResult &result) {
            m_result.cleanedUp = result.ok() && !result.replies.value(0).isError() &&
                                 !result.replies.value(1).isError();
            finish();
        });
}

void CeleryPing::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_result.elapsedMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    if (m_connection)
        m_connection->close();
    Q_EMIT finished(m_result);
}

} // namespace qs::monitor
