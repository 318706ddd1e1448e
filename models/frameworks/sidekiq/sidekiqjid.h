#pragma once

#include <QByteArray>

namespace qs::jobs {

// Finding a Sidekiq job by jid in a sorted set: its member is the JSON payload, written by any
// client (Sidekiq writes "jid":"…"; others, or a hand-written payload, may put spaces around the
// colon or escape characters). So ZSCAN MATCH only narrows the search down, and the jid of each
// candidate is read from its JSON and compared exactly.

// The jid of a payload; empty when it has none (or is not a JSON object).
QByteArray sidekiqJidOf(const QByteArray &payload);

// A ZSCAN MATCH pattern that every payload with this jid matches: "*"jid"*<jid>*" with the jid
// glob-escaped, or just "*"jid"*" for a jid that JSON could have written escaped.
QByteArray sidekiqJidPattern(const QByteArray &jid);

} // namespace qs::jobs
