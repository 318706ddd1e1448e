#include "replygate.h"

#include <charconv>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>

namespace qs::redis {

namespace {

// What one element costs once parsed (a RedisReply in its parent's list).
constexpr qint64 nodeBytes = 64;
// A status, error or header line longer than this is not Redis.
constexpr qsizetype maxLineBytes = 1 << 20;
// Redis's own replies nest 3 deep at most; hiredis refuses more than 7.
constexpr qsizetype maxDepth = 7;
constexpr qsizetype quotedBytes = 40;
constexpr qsizetype rememberedBytes = 24;

QString quote(QByteArrayView bytes)
{
    QString out;
    for (char c : bytes.first(qMin(bytes.size(), quotedBytes))) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\r')
            out += QStringLiteral("\\r");
        else if (c == '\n')
            out += QStringLiteral("\\n");
        else if (c == '"' || c == '\\')
            out += QStringLiteral("\\") + QLatin1Char(c);
        else if (u >= 0x20 && u < 0x7f)
            out += QLatin1Char(c);
        else
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
    }
    if (bytes.size() > quotedBytes)
        out += QStringLiteral("…");
    return out;
}

std::optional<qint64> strictInteger(QByteArrayView text)
{
    qint64 value = 0;
    const char *end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.isEmpty() || ec != std::errc() || ptr != end)
        return std::nullopt;
    return value;
}

} // namespace

ReplyGate::ReplyGate(ReplyLimits unexpected)
    : m_unexpected(std::move(unexpected))
{
}

void ReplyGate::expect(const ReplyLimitsRuns &replies, qint64 sharedBytes)
{
    ReplyLimitsRuns runs = replies; // shared, copied only when an empty run is dropped
    runs.removeIf([](const ReplyLimitsRun &run) { return run.count <= 0; });
    if (!runs.isEmpty())
        m_groups.push_back({std::move(runs), sharedBytes, 0, 0, 0});
}

std::optional<qint64> ReplyGate::takeEnded()
{
    const std::optional<qint64> ended = m_ended.front();
    m_ended.pop_front();
    return ended;
}

ReplyGate::BulkString ReplyGate::takeString()
{
    if (m_strings.empty())
        return {};
    BulkString string = std::move(m_strings.front());
    m_strings.pop_front();
    return string;
}

bool ReplyGate::pass(const char *data, qsizetype size, QByteArray *forHiredis)
{
    m_chunk = QByteArrayView(data, size);
    qsizetype at = 0;
    while (at < size && m_failure == Failure::None) {
        switch (m_state) {
        case State::Line: {
            if (m_line.isEmpty() && !m_inReply)
                beginReply();
            if (m_failure != Failure::None)
                break;
            const void *newline = std::memchr(data + at, '\n', size_t(size - at));
            const qsizetype end = newline ? static_cast<const char *>(newline) - data + 1 : size;
            if (m_line.size() + (end - at) > maxLineBytes) {
                fail(Failure::TooLarge,
                     QStringLiteral("the server sent a reply line of more than %1 without an end")
                         .arg(describeSize(maxLineBytes)),
                     {}, 0);
                break;
            }
            if (newline && m_line.isEmpty()) { // the usual case: read in place, no copy
                const QByteArrayView line(data + at, end - at);
                at = end;
                onLine(line, at, forHiredis);
                break;
            }
            m_line.append(data + at, end - at);
            at = end;
            if (newline) {
                onLine(m_line, at, forHiredis);
                m_line.clear();
            }
            break;
        }
        case State::Body: {
            const qsizetype n = qsizetype(qMin<qint64>(size - at, m_bodyLeft));
            const qsizetype keep = qsizetype(qMin<qint64>(n, m_keepLeft));
            m_strings.back().bytes.append(data + at, keep);
            m_keepLeft -= keep;
            m_bodyLeft -= n;
            at += n;
            if (m_bodyLeft == 0) {
                m_state = State::BodyEnd;
                m_terminatorSeen = 0;
            }
            break;
        }
        case State::BodyEnd: {
            const char expected = m_terminatorSeen == 0 ? '\r' : '\n';
            if (data[at] != expected) {
                fail(Failure::Protocol,
                     QStringLiteral("a string announced as %1 bytes does not end there (no CRLF "
                                    "after it: the announced length is wrong)")
                         .arg(m_strings.back().fullSize),
                     m_chunk.sliced(at), m_offset + at, at);
                break;
            }
            ++at;
            if (++m_terminatorSeen == 2) {
                forHiredis->append("\r\n", 2);
                m_state = State::Line;
                itemDone();
            }
            break;
        }
        }
    }
    if (m_failure == Failure::None) {
        remember(m_chunk.first(at));
        m_offset += at;
    }
    m_chunk = {};
    return m_failure == Failure::None;
}

void ReplyGate::onLine(QByteArrayView line, qsizetype after, QByteArray *out)
{
    // `after`: where the line ends in the current chunk. Messages are made only on failure.
    auto protocolError = [&](const QString &why) {
        const qsizetype lineSize = line.size();
        QByteArray offending = line.toByteArray();
        offending.append(m_chunk.sliced(after).first(qMin(m_chunk.size() - after, quotedBytes)));
        fail(Failure::Protocol, why, offending, m_offset + after - lineSize, after - lineSize);
    };
    if (line.size() < 3 || line.at(line.size() - 2) != '\r') {
        protocolError(line.size() < 3 ? QStringLiteral("an empty reply line")
                                      : QStringLiteral("a reply line ends in LF without CR"));
        return;
    }
    const char type = line.at(0);
    const QByteArrayView body = line.sliced(1, line.size() - 3);
    std::optional<qint64> number;
    if (type == ':' || type == '$' || type == '*') {
        number = strictInteger(body);
        if (!number || *number < (type == ':' ? std::numeric_limits<qint64>::min() : -1)) {
            protocolError(type == ':'
                              ? QStringLiteral("an integer reply that is not an integer")
                              : QStringLiteral("a length that is not a number of 0 or more"));
            return;
        }
    }
    switch (type) {
    case '+':
    case '-':
        if (!charge(line.size(), [&] {
                return QStringLiteral("a %1 status line").arg(describeSize(line.size()));
            }))
            return;
        out->append(line);
        itemDone();
        break;
    case ':':
        if (m_openArrays.isEmpty()) // a reply of its own: read here, hiredis never sees it
            m_integerReply = *number;
        else
            out->append(line);
        itemDone();
        break;
    case '$': {
        const qint64 announced = *number;
        if (announced < 0) {
            out->append(line);
            itemDone();
            break;
        }
        qint64 keep = announced;
        if (m_limits->truncateStrings)
            keep = qMin(announced, qMin(m_limits->maxStringBytes, remaining()));
        else if (announced > m_limits->maxStringBytes)
            fail(Failure::TooLarge,
                 QStringLiteral("the server announced a %1 string in its reply to %2; the limit "
                                "for %3 is %4")
                     .arg(describeSize(announced), QString::fromUtf8(m_limits->command),
                          m_limits->kind, describeSize(m_limits->maxStringBytes)),
                 {}, 0);
        if (m_failure != Failure::None || !charge(keep, [&] {
                return QStringLiteral("a %1 string").arg(describeSize(announced));
            }))
            return;
        out->append("$0\r\n", 4);
        m_strings.push_back({QByteArray(), announced});
        if (keep > 0)
            m_strings.back().bytes.reserve(qsizetype(keep));
        m_bodyLeft = announced;
        m_keepLeft = keep;
        m_terminatorSeen = 0;
        m_state = announced == 0 ? State::BodyEnd : State::Body;
        break;
    }
    case '*': {
        const qint64 elements = *number;
        if (elements <= 0) {
            out->append(line);
            itemDone();
            break;
        }
        if (m_openArrays.size() >= maxDepth) {
            protocolError(QStringLiteral("arrays nested more than %1 deep").arg(maxDepth));
            return;
        }
        const qint64 cost = elements > std::numeric_limits<qint64>::max() / nodeBytes
                                ? std::numeric_limits<qint64>::max()
                                : elements * nodeBytes;
        if (!charge(cost, [&] {
                return QStringLiteral("an array of %L1 elements (%2 in memory)")
                    .arg(elements)
                    .arg(describeSize(cost));
            }))
            return;
        out->append(line);
        m_openArrays.append(elements);
        break;
    }
    default:
        protocolError(QStringLiteral("expected a reply type (+ - : $ *)"));
        return;
    }
}

void ReplyGate::remember(QByteArrayView bytes)
{
    m_recent.append(bytes.last(qMin(bytes.size(), rememberedBytes)));
    if (m_recent.size() > rememberedBytes)
        m_recent.remove(0, m_recent.size() - rememberedBytes);
}

void ReplyGate::beginReply()
{
    m_inReply = true;
    m_replyUsed = 0;
    m_replyInGroup = !m_groups.empty();
    m_limits =
        m_replyInGroup ? &m_groups.front().runs.at(m_groups.front().run).limits : &m_unexpected;
    charge(nodeBytes, [] { return QStringLiteral("a reply"); });
}

qint64 ReplyGate::remaining() const
{
    qint64 left = m_limits->maxBytes - m_replyUsed;
    if (m_replyInGroup)
        left = qMin(left, m_groups.front().sharedBytes - m_groups.front().used);
    return qMax<qint64>(0, left);
}

bool ReplyGate::charge(qint64 bytes, const std::function<QString()> &what)
{
    if (bytes <= remaining()) {
        m_replyUsed += bytes;
        if (m_replyInGroup)
            m_groups.front().used += bytes;
        return true;
    }
    const bool replyLimit = bytes > m_limits->maxBytes - m_replyUsed;
    const QString limit = replyLimit ? QStringLiteral("the limit for %1 is %2 per reply")
                                           .arg(m_limits->kind, describeSize(m_limits->maxBytes))
                                     : QStringLiteral("the replies to one request may take %1 "
                                                      "together")
                                           .arg(describeSize(m_groups.front().sharedBytes));
    fail(Failure::TooLarge,
         QStringLiteral("the server announced %1 in its reply to %2, more than QueueScope "
                        "accepts: %3")
             .arg(what(), QString::fromUtf8(m_limits->command), limit),
         {}, 0);
    return false;
}

void ReplyGate::itemDone()
{
    while (!m_openArrays.isEmpty()) {
        if (--m_openArrays.last() > 0)
            return;
        m_openArrays.removeLast();
    }
    m_inReply = false;
    m_ended.push_back(m_integerReply);
    m_integerReply.reset();
    if (!m_replyInGroup)
        return;
    Group &group = m_groups.front();
    if (++group.inRun < group.runs.at(group.run).count)
        return;
    group.inRun = 0;
    if (++group.run >= group.runs.size())
        m_groups.pop_front();
}

void ReplyGate::fail(Failure failure, const QString &why, QByteArrayView offending, qint64 where,
                     qsizetype inChunk)
{
    m_failure = failure;
    if (failure == Failure::TooLarge) {
        m_error = why;
        return;
    }
    m_error = QStringLiteral("%1 at byte %2 of the replies: \"%3\"")
                  .arg(why, QString::number(where), quote(offending));
    // What came before: from this chunk, and from earlier ones when the chunk has too little.
    QByteArray before = m_recent;
    if (inChunk > 0)
        before.append(m_chunk.first(qMin(inChunk, m_chunk.size())));
    before = before.right(rememberedBytes);
    if (!before.isEmpty())
        m_error += QStringLiteral(" (after \"%1\")").arg(quote(before));
}

} // namespace qs::redis
