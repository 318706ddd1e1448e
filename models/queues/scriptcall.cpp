#include "scriptcall.h"

namespace qs::jobs {

namespace {

QByteArray namedValue(const QByteArray &name, const ScriptParams &params, bool *known)
{
    *known = true;
    if (name == "mode")
        return params.mode;
    if (name == "limit")
        return QByteArray::number(params.limit);
    if (name == "now")
        return QByteArray::number(params.nowMs);
    if (name == "cutoff")
        return QByteArray::number(params.cutoffMs);
    if (name == "reset")
        return params.reset ? "1" : "0";
    if (name == "state")
        return params.state;
    if (name == "cursor")
        return params.cursor;
    if (name == "delayed")
        return params.delayed ? "1" : "0";
    *known = false;
    return {};
}

} // namespace

QByteArray expandTemplate(const QByteArray &pattern, const queues::QueueRef &queue,
                          const ScriptParams &params)
{
    bool known = false;
    const QByteArray named = namedValue(pattern, params, &known);
    if (known)
        return named;
    const QByteArray ns = queue.prefix.isEmpty() ? QByteArray() : queue.prefix + ':';
    QByteArray out;
    out.reserve(pattern.size() + queue.name.size() + queue.prefix.size());
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        if (pattern.at(i) == '{') {
            const qsizetype close = pattern.indexOf('}', i);
            if (close > i) {
                const QByteArray field = pattern.mid(i + 1, close - i - 1);
                bool replaced = true;
                if (field == "p")
                    out += queue.prefix;
                else if (field == "q")
                    out += queue.name;
                else if (field == "ns")
                    out += ns;
                else if (field == "sep")
                    out += "\x06\x16";
                else if (field == "s" || field == "state")
                    out += params.state;
                else
                    replaced = false;
                if (replaced) {
                    i = close;
                    continue;
                }
            }
        }
        out += pattern.at(i);
    }
    return out;
}

redis::RedisCommand scriptCommand(const ActionScript &script, const queues::QueueRef &queue,
                                  const ScriptParams &params, const QList<QByteArray> &items,
                                  bool withSource)
{
    redis::RedisCommand command;
    command.reserve(3 + script.keys.size() + script.argv.size() + items.size());
    command << (withSource ? QByteArrayLiteral("EVAL") : QByteArrayLiteral("EVALSHA"))
            << (withSource ? script.source : script.sha1) << QByteArray::number(script.keys.size());
    for (const QByteArray &key : script.keys)
        command << expandTemplate(key, queue, params);
    for (const QByteArray &arg : script.argv)
        command << expandTemplate(arg, queue, params);
    command << items;
    return command;
}

ScriptOutcome parseOutcome(const ActionScript &script, const redis::RedisReply &reply)
{
    ScriptOutcome outcome;
    if (reply.isError()) {
        outcome.error = QString::fromUtf8(reply.string);
        return outcome;
    }
    const int expected = script.returnsCursor ? 5 : 4;
    if (!reply.isArray() || reply.elements.size() < expected) {
        outcome.error = QStringLiteral("%1 answered outside its contract (expected %2 values)")
                            .arg(script.name, QString::number(expected));
        return outcome;
    }
    const QList<redis::RedisReply> &e = reply.elements;
    outcome.done = e.at(0).toInteger();
    outcome.skipped = e.at(1).toInteger();
    outcome.more = e.at(2).toInteger() != 0;
    const QList<redis::RedisReply> &details = e.at(3).elements;
    for (qsizetype i = 0; i + 1 < details.size(); i += 2)
        outcome.skippedReasons.append(
            {details.at(i).string, QString::fromUtf8(details.at(i + 1).string)});
    if (script.returnsCursor) {
        outcome.cursor = e.at(4).isInteger() ? QByteArray::number(e.at(4).integer) : e.at(4).string;
        outcome.more = outcome.more || (outcome.cursor != "0" && !outcome.cursor.isEmpty());
    }
    if (e.size() > expected) {
        const QList<redis::RedisReply> &tally = e.at(expected).elements;
        for (qsizetype i = 0; i + 1 < tally.size(); i += 2)
            outcome.doneAs.append(
                {QString::fromUtf8(tally.at(i).string), tally.at(i + 1).toInteger()});
    }
    return outcome;
}

} // namespace qs::jobs
