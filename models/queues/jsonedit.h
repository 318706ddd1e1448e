#pragma once

#include <QByteArray>

#include <optional>

namespace qs::jobs {

// Edits one top-level member of a JSON object in place and keeps every other byte as it was
// (re-encoding would turn big integers into doubles and reformat floats: a payload must come
// out exactly as the framework wrote it, but for the one value changed).
namespace jsonedit {

// The raw text of the top-level value of `key` ("3", "\"x\"", "{...}"); nullopt if absent or
// the text is not a JSON object.
std::optional<QByteArray> topLevelValue(const QByteArray &json, const QByteArray &key);
// Replaces the value of `key` with `rawValue` (added at the end when absent); nullopt when the
// text is not a JSON object.
std::optional<QByteArray> setTopLevelValue(const QByteArray &json, const QByteArray &key,
                                           const QByteArray &rawValue);

} // namespace jsonedit

} // namespace qs::jobs
