#pragma once

#include "jobsummary.h"

#include "queues/timestamps.h"
#include "redis/redisreply.h"

namespace qs::jobs {

// JSON when it parses as JSON, text when it is printable UTF-8, binary otherwise.
ContentFormat classifyContent(const QByteArray &bytes);

// What a panel shows of a section: pretty JSON when it is small enough to format without a
// visible pause, else the stored text; never more than maxBytes (a 10 MB payload must not
// freeze the window), with a line saying what was left out.
QString displayText(const DetailSection &section, qsizetype maxBytes = 256 * 1024);

// After a display read that kept only the start of long strings (redis::LargeStrings::Truncate):
// a note on each section, and an entry in truncatedFields for each field, that holds one.
void noteTruncation(JobDetail &detail, const QList<redis::RedisReply> &replies);

// A raw zlib stream (RQ's exc_info and result tracebacks) inflated; nullopt when it is not one.
// At most maxOutput bytes come out: past that, the start is returned and *truncated is set.
constexpr qsizetype maxInflatedBytes = 16 * 1024 * 1024;
std::optional<QByteArray> inflateZlib(const QByteArray &compressed,
                                      qsizetype maxOutput = maxInflatedBytes,
                                      bool *truncated = nullptr);

// "12.3 MB", "980 bytes" for notes.
QString byteSize(qsizetype bytes);

// Epoch milliseconds from the frameworks' stored forms (the queue counts read them too).
using queues::millisFromIso;
using queues::millisFromNumber;

} // namespace qs::jobs
