// History chunks as read back from a database file that may be damaged or hostile
// (history/seriescodec). Properties: a blob is either refused or decodes to at most
// maxChunkPoints values that encode and decode back bit for bit; and any values built from the
// input (integral or not, with gaps) survive a round trip bit for bit.
#include "fuzzcheck.h"
#include "history/seriescodec.h"

#include <bit>
#include <cstring>

using qs::fuzz::preview;
using qs::history::ChunkValues;

namespace {

bool sameBits(const ChunkValues &a, const ChunkValues &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a.at(i).has_value() != b.at(i).has_value())
            return false;
        if (a.at(i) && std::bit_cast<quint64>(*a.at(i)) != std::bit_cast<quint64>(*b.at(i)))
            return false;
    }
    return true;
}

// Values from raw bytes: 9 bytes each (a gap flag, a double's bits); with the first byte odd,
// whole numbers from the low 40 bits instead (the integral encoding).
ChunkValues valuesOf(const QByteArray &bytes)
{
    ChunkValues values;
    const bool whole = !bytes.isEmpty() && (bytes.at(0) & 1);
    for (qsizetype at = 1; at + 9 <= bytes.size() && values.size() < qs::history::maxChunkPoints;
         at += 9) {
        quint64 bits = 0;
        std::memcpy(&bits, bytes.constData() + at + 1, sizeof bits);
        if (bytes.at(at) & 1)
            values.append(std::nullopt);
        else if (whole)
            values.append(double(qint64(bits & 0xff'ffff'ffffULL) - (1LL << 39)));
        else
            values.append(std::bit_cast<double>(bits));
    }
    return values;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = qs::fuzz::bytesOf(data, size);
    if (const std::optional<ChunkValues> decoded = qs::history::decodeChunk(bytes)) {
        FUZZ_CHECK(decoded->size() <= qs::history::maxChunkPoints, preview(bytes));
        const std::optional<ChunkValues> again =
            qs::history::decodeChunk(qs::history::encodeChunk(*decoded));
        FUZZ_CHECK(again && sameBits(*again, *decoded),
                   QStringLiteral("a decoded chunk does not survive a round trip: %1")
                       .arg(preview(bytes)));
    }
    const ChunkValues values = valuesOf(bytes);
    const std::optional<ChunkValues> back =
        qs::history::decodeChunk(qs::history::encodeChunk(values));
    FUZZ_CHECK(back && sameBits(*back, values),
               QStringLiteral("%1 values do not survive a round trip").arg(values.size()));
    return 0;
}
