#pragma once

#include <QByteArray>
#include <QList>

#include <optional>

namespace qs::history {

// One chunk of a series at a fixed step: the value of each step from the chunk's start, or a gap
// (nullopt) where nothing was recorded. Stored as one compact blob: a presence bitmap, then the
// values as zig-zag varint deltas (integral chunks: counts, bytes; decimal ones: rounded means, as
// whole numbers of 10^-n) or XORed IEEE bits (others), zlib-compressed. A series that barely
// changes costs a few bytes per chunk, not one per point.
using ChunkValues = QList<std::optional<double>>;

// Points a chunk holds at the most (a day at one minute); decode refuses larger claims, so a
// damaged or hostile blob cannot make it allocate more.
inline constexpr int maxChunkPoints = 1440;

QByteArray encodeChunk(const ChunkValues &values);
// nullopt when the blob is damaged (bad header, truncated, a count over maxChunkPoints).
std::optional<ChunkValues> decodeChunk(const QByteArray &blob);

} // namespace qs::history
