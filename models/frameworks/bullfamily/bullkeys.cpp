#include "bullkeys.h"

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

Owner owner(redis::ReplyRun replies)
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
                         redis::ReplyRun replies)
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

void appendStateCounts(ReplyReader &reader, QList<QPair<QString, qint64>> &counts, int waitIndex,
                       int pausedIndex, std::span<const std::pair<QString, int>> plain)
{
    counts.reserve(qsizetype(plain.size()) + 1);
    const std::optional<qint64> wait = reader.integer(waitIndex);
    const std::optional<qint64> paused = reader.integer(pausedIndex);
    if (wait && paused)
        counts.append({QStringLiteral("waiting"), *wait + *paused});
    for (const auto &[state, index] : plain) { // each state once: appended, not looked up
        if (const std::optional<qint64> value = reader.integer(index))
            counts.append({state, *value});
    }
}

} // namespace bullkeys

} // namespace qs::queues
