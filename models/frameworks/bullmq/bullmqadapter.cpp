#include "bullmqadapter.h"

#include <QSet>

namespace qs::queues {

namespace bullkeys {

QByteArray queueKey(const QByteArray &prefix, const QByteArray &name, QByteArrayView suffix)
{
    QByteArray key;
    key.reserve(prefix.size() + name.size() + suffix.size() + 2);
    key.append(prefix).append(':').append(name).append(':').append(suffix);
    return key;
}

QByteArray globEscaped(const QByteArray &text)
{
    QByteArray out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\')
            out.append('\\');
        out.append(c);
    }
    return out;
}

std::optional<QByteArray> nameFromKey(const QByteArray &key, const QByteArray &prefix,
                                      QByteArrayView suffix, bool allowColon)
{
    // The prefix is stripped as a whole because it may itself contain ':' ("my:app").
    const qsizetype head = prefix.size() + 1;
    const qsizetype tail = suffix.size() + 1;
    if (key.size() <= head + tail || !key.startsWith(prefix) || key.at(prefix.size()) != ':')
        return std::nullopt;
    if (!key.endsWith(suffix) || key.at(key.size() - tail) != ':')
        return std::nullopt;
    const QByteArray name = key.mid(head, key.size() - head - tail);
    if (!allowColon && name.contains(':'))
        return std::nullopt;
    return name;
}

QList<redis::RedisCommand> ownershipReads(const QByteArray &prefix, const QByteArray &name)
{
    return {{"HMGET", queueKey(prefix, name, "meta"), "version", "opts.maxLenEvents"},
            {"TYPE", queueKey(prefix, name, "events")}};
}

Owner owner(const QList<redis::RedisReply> &replies)
{
    if (replies.size() != 2)
        return Owner::Unknown;
    bool unknown = false;
    const redis::RedisReply &meta = replies.at(0);
    if (meta.isArray()) {
        for (const redis::RedisReply &field : meta.elements) {
            if (!field.isNil())
                return Owner::BullMQ;
        }
    } else if (meta.errorCode() != "WRONGTYPE") { // WRONGTYPE: meta is no hash, so not BullMQ's
        unknown = true;
    }
    const redis::RedisReply &events = replies.at(1);
    if (events.isError())
        unknown = true;
    else if (events.string == "stream")
        return Owner::BullMQ;
    return unknown ? Owner::Unknown : Owner::NotBullMQ;
}

ReplyReader::ReplyReader(std::function<QList<redis::RedisCommand>()> commands,
                         const QList<redis::RedisReply> &replies)
    : m_commands(std::move(commands))
    , m_replies(replies)
{
}

const redis::RedisReply *ReplyReader::reply(int index)
{
    if (index >= m_replies.size()) {
        failed(index, "no reply");
        return nullptr;
    }
    const redis::RedisReply &r = m_replies.at(index);
    if (r.isError()) {
        const QByteArray code = r.errorCode();
        failed(index, code.isEmpty() ? QByteArrayLiteral("ERR") : code);
        return nullptr;
    }
    return &r;
}

std::optional<qint64> ReplyReader::integer(int index)
{
    const redis::RedisReply *r = reply(index);
    if (!r)
        return std::nullopt;
    if (!r->isInteger()) { // LLEN/ZCARD/EXISTS always answer an integer
        failed(index, "unexpected reply");
        return std::nullopt;
    }
    return r->integer;
}

QString ReplyReader::note() const
{
    QStringList parts;
    for (const Folded &f : m_notes) {
        QString text = QStringLiteral("%1 on %2").arg(QString::fromUtf8(f.what), f.first);
        if (f.more > 0)
            text += QStringLiteral(" (+%1 more)").arg(f.more);
        parts.append(text);
    }
    parts += m_extra;
    return parts.join(QStringLiteral("; "));
}

void ReplyReader::failed(int index, const QByteArray &what)
{
    if (!m_built) {
        m_built = m_commands();
        m_commands = {};
    }
    const redis::RedisCommand command = m_built->value(index, {"?"});
    const QByteArray verb = command.value(0);
    for (Folded &f : m_notes) {
        if (f.what == what && f.verb == verb) {
            ++f.more;
            return;
        }
    }
    // Keys are shown as UTF-8 (queue names are often unicode); invalid bytes become U+FFFD.
    QString first = QString::fromUtf8(verb);
    if (command.size() > 1)
        first += QLatin1Char(' ') + QString::fromUtf8(command.at(1));
    m_notes.append({what, verb, first, 0});
}

} // namespace bullkeys

namespace {

// countCommands() order; parseCounts() relies on it.
enum BullMqCount {
    Wait,
    LegacyPaused,
    Active,
    Prioritized,
    Delayed,
    Completed,
    Failed,
    WaitingChildren,
    Meta,
    CommandCount
};
static_assert(CommandCount == 9, "keep in step with countCommands()");

} // namespace

BullMqAdapter::BullMqAdapter(QByteArray prefix)
    : m_prefix(std::move(prefix))
{
}

QList<QueueAdapter::ScanPattern> BullMqAdapter::scanPatterns() const
{
    // Every `new Queue()` (and every add/finish script) writes <q>:meta, so it finds idle queues.
    return {{bullkeys::globEscaped(m_prefix) + ":*:meta", "hash"}};
}

QList<QueueRef> BullMqAdapter::queuesFromKeys(const QList<QByteArray> &keys) const
{
    QList<QueueRef> queues;
    QSet<QByteArray> seen;
    for (const QByteArray &key : keys) {
        // BullMQ rejects ':' in queue names, so "bull:a:b:meta" is no BullMQ queue of "bull"
        // (it may be one of the prefix "bull:a", or a job hash with the custom id "meta").
        const std::optional<QByteArray> name = bullkeys::nameFromKey(key, m_prefix, "meta", false);
        if (name && !seen.contains(*name)) {
            seen.insert(*name);
            queues.append({Framework::BullMQ, m_prefix, *name});
        }
    }
    return queues;
}

QList<redis::RedisCommand> BullMqAdapter::confirmCommands(const QueueRef &candidate) const
{
    return bullkeys::ownershipReads(candidate.prefix, candidate.name);
}

bool BullMqAdapter::confirmQueue(const QueueRef &candidate,
                                 const QList<redis::RedisReply> &replies) const
{
    Q_UNUSED(candidate);
    // A paused Bull queue's meta hash (only "paused") is rejected here. When the reads are not
    // allowed (ACL) the queue is shown anyway: a key "<p>:<q>:meta" of type hash is strong enough
    // evidence, and hiding a queue is worse than showing one the counts will then flag.
    return bullkeys::owner(replies) != bullkeys::Owner::NotBullMQ;
}

QList<redis::RedisCommand> BullMqAdapter::countCommands(const QueueRef &queue, qint64 nowMs) const
{
    Q_UNUSED(nowMs);
    auto key = [&queue](QByteArrayView suffix) {
        return bullkeys::queueKey(queue.prefix, queue.name, suffix);
    };
    // "paused" is the list BullMQ < 6 RENAMEs "wait" to while paused. It is read on every poll
    // because meta.version only names the last client that constructed a Queue: with v5 clients
    // still running, a v6-looking queue can hold its waiting jobs there.
    return {
        {"LLEN", key("wait")},
        {"LLEN", key("paused")},
        {"LLEN", key("active")},
        {"ZCARD", key("prioritized")},
        {"ZCARD", key("delayed")},
        {"ZCARD", key("completed")},
        {"ZCARD", key("failed")},
        {"ZCARD", key("waiting-children")},
        {"HMGET", key("meta"), "paused", "version"},
    };
}

QueueCounts BullMqAdapter::parseCounts(const QueueRef &queue,
                                       const QList<redis::RedisReply> &replies) const
{
    QueueCounts counts;
    counts.queue = queue;
    bullkeys::ReplyReader reader([this, &queue] { return countCommands(queue, 0); }, replies);
    if (replies.size() != CommandCount) {
        counts.note = QStringLiteral("expected %1 replies to the BullMQ counts, got %2")
                          .arg(int(CommandCount))
                          .arg(replies.size());
        return counts;
    }
    const std::optional<qint64> wait = reader.integer(Wait);
    const std::optional<qint64> legacyPaused = reader.integer(LegacyPaused);
    if (wait && legacyPaused) // half of the sum would be a made-up number: leave it out (noted)
        counts.set(QStringLiteral("waiting"), *wait + *legacyPaused);
    const std::pair<const char *, BullMqCount> plain[] = {
        {"active", Active},       {"delayed", Delayed}, {"prioritized", Prioritized},
        {"completed", Completed}, {"failed", Failed},   {"waiting-children", WaitingChildren},
    };
    for (const auto &[state, index] : plain) {
        if (const std::optional<qint64> value = reader.integer(index))
            counts.set(QLatin1String(state), *value);
    }
    if (const redis::RedisReply *meta = reader.reply(Meta)) {
        if (meta->isArray() && meta->elements.size() == 2) {
            // BullMQ's isPaused() is HEXISTS meta paused: any value means paused.
            counts.paused = !meta->elements.at(0).isNil();
            counts.version = QString::fromUtf8(meta->elements.at(1).string);
        } else {
            reader.addNote(QStringLiteral("unexpected reply to HMGET meta"));
        }
    }
    counts.note = reader.note();
    return counts;
}

QList<QPair<QString, UnifiedState>> BullMqAdapter::states() const
{
    return {
        {QStringLiteral("waiting"), UnifiedState::Waiting},
        {QStringLiteral("active"), UnifiedState::Active},
        {QStringLiteral("delayed"), UnifiedState::Delayed},
        {QStringLiteral("prioritized"), UnifiedState::Prioritized},
        {QStringLiteral("completed"), UnifiedState::Completed},
        {QStringLiteral("failed"), UnifiedState::Failed},
        {QStringLiteral("waiting-children"), UnifiedState::Other},
    };
}

QList<redis::RedisCommand> BullMqAdapter::existenceCommands(const QueueRef &queue) const
{
    // meta is written by every Queue constructor and every add/finish script and outlives the
    // jobs; its BullMQ fields (or the events stream) tell it from a paused Bull queue's meta.
    return bullkeys::ownershipReads(queue.prefix, queue.name);
}

bool BullMqAdapter::queueExists(const QueueRef &queue,
                                const QList<redis::RedisReply> &replies) const
{
    Q_UNUSED(queue);
    return bullkeys::owner(replies) == bullkeys::Owner::BullMQ;
}

} // namespace qs::queues
