#pragma once

#include "redis/redisreply.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace qs::queues {

// Reads the replies of an adapter's count commands. A reply that is an error (an ACL without
// +llen, a key of an unexpected type, a renamed command) or missing yields no number and adds a
// note naming the command, so the counts degrade instead of showing a made-up zero. Repeats of
// one error on one command are folded ("NOPERM on LLEN celery (+9 more)").
class CountReplies
{
public:
    using Commands = std::function<QList<redis::RedisCommand>()>;

    // replies: read in place, so they must outlive this reader.
    CountReplies(const QList<redis::RedisCommand> &commands, redis::ReplyRun replies)
        : m_commands([commands] { return commands; })
        , m_replies(replies)
    {
    }
    // The commands are only built when a note needs them (an error): counting stays cheap.
    CountReplies(Commands commands, redis::ReplyRun replies)
        : m_commands(std::move(commands))
        , m_replies(replies)
    {
    }

    // Reply i when it is usable, else nullptr (and a note).
    const redis::RedisReply *reply(int i)
    {
        if (i >= m_replies.size()) {
            addNote(i, QByteArrayLiteral("no reply"));
            return nullptr;
        }
        const redis::RedisReply &r = m_replies.at(i);
        if (r.isError()) {
            addNote(i, r.errorCode().isEmpty() ? QByteArrayLiteral("ERR") : r.errorCode());
            return nullptr;
        }
        return &r;
    }

    // Integer, or a numeric string as GET/HGET return; nil counts as 0 (Redis deletes empty
    // lists, and an absent counter was never incremented).
    std::optional<qint64> integer(int i)
    {
        const redis::RedisReply *r = reply(i);
        if (!r)
            return std::nullopt;
        if (r->isNil())
            return 0;
        if (r->isInteger())
            return r->integer;
        bool ok = false;
        const qint64 value = r->isString() ? r->string.toLongLong(&ok) : 0;
        if (!ok) {
            addNote(i, QByteArrayLiteral("not a number"));
            return std::nullopt;
        }
        return value;
    }

    void addText(const QString &text)
    {
        if (!m_extra.contains(text))
            m_extra.append(text);
    }

    QString note() const
    {
        QStringList parts;
        for (const Folded &f : m_notes) {
            QString text = QStringLiteral("%1 on %2").arg(QString::fromUtf8(f.what), f.command);
            if (f.more > 0)
                text += QStringLiteral(" (+%1 more)").arg(f.more);
            parts.append(text);
        }
        parts.append(m_extra);
        return parts.join(QStringLiteral("; "));
    }

    // Command name and key, with bytes such as kombu's "\x06\x16" separator escaped.
    static QString describe(const redis::RedisCommand &command)
    {
        QString out;
        for (qsizetype a = 0; a < qMin<qsizetype>(2, command.size()); ++a) {
            if (a > 0)
                out += QLatin1Char(' ');
            for (char c : command.at(a)) {
                const auto u = static_cast<unsigned char>(c);
                out += (u >= 0x20 && u < 0x7f)
                           ? QString(QLatin1Char(c))
                           : QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
            }
        }
        return out;
    }

private:
    struct Folded
    {
        QByteArray what;
        QByteArray verb;
        QString command;
        int more = 0;
    };

    void addNote(int i, const QByteArray &what)
    {
        if (!m_built) {
            m_built = m_commands();
            m_commands = {};
        }
        const redis::RedisCommand command =
            i < m_built->size() ? m_built->at(i) : redis::RedisCommand{"?"};
        const QByteArray verb = command.value(0);
        for (Folded &f : m_notes) {
            if (f.what == what && f.verb == verb) {
                ++f.more;
                return;
            }
        }
        m_notes.append({what, verb, describe(command), 0});
    }

    Commands m_commands;
    std::optional<QList<redis::RedisCommand>> m_built;
    redis::ReplyRun m_replies;
    QList<Folded> m_notes;
    QStringList m_extra;
};

// Whether any reply is an integer above 0: an EXISTS or SISMEMBER that found something.
inline bool anyPositive(redis::ReplyRun replies)
{
    for (const redis::RedisReply &reply : replies) {
        if (reply.isInteger() && reply.integer > 0)
            return true;
    }
    return false;
}

} // namespace qs::queues
