#include "history/seriescodec.h"

#include <QtEndian>

#include <algorithm>
#include <bit>
#include <cmath>

namespace qs::history {

namespace {

constexpr char kVersion = 1;
enum class Mode : char { Integral = 'i', Decimal = 'd', Bits = 'b' };
constexpr int kMaxDecimals = 6;
// Uncompressed size at the most: header, bitmap, ten bytes per varint value.
constexpr qsizetype kMaxRawSize = 16 + maxChunkPoints / 8 + 1 + maxChunkPoints * 10;

void putVarint(QByteArray &out, quint64 value)
{
    while (value >= 0x80) {
        out.append(char(value | 0x80));
        value >>= 7;
    }
    out.append(char(value));
}

std::optional<quint64> takeVarint(const QByteArray &in, qsizetype &at)
{
    quint64 value = 0;
    for (int shift = 0; shift < 64 && at < in.size(); shift += 7) {
        const auto byte = quint8(in.at(at++));
        value |= quint64(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return value;
    }
    return std::nullopt;
}

quint64 zigzag(qint64 value)
{
    return (quint64(value) << 1) ^ quint64(value >> 63);
}

qint64 unzigzag(quint64 value)
{
    return qint64(value >> 1) ^ -qint64(value & 1);
}

// Whole numbers a double holds exactly, so deltas of them round-trip (-0.0 is not: its sign
// would be lost).
bool isIntegral(double value)
{
    return std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 0x1p52 &&
           !(value == 0 && std::signbit(value));
}

double scaleOf(int decimals)
{
    return std::pow(10.0, decimals); // exact for 0..kMaxDecimals
}

// `value` as a whole number of 10^-decimals that decodes back to the same bits, if it is one.
std::optional<qint64> scaled(double value, int decimals)
{
    const double scale = scaleOf(decimals);
    if (!std::isfinite(value) || std::fabs(value * scale) >= 0x1p52 ||
        (value == 0 && std::signbit(value)))
        return std::nullopt;
    const auto whole = std::llround(value * scale);
    if (double(whole) / scale != value)
        return std::nullopt;
    return whole;
}

// The fewest decimals that hold every value exactly (rounded means: seriesbuckets.h), if any.
std::optional<int> decimalsOf(const ChunkValues &values)
{
    for (int decimals = 1; decimals <= kMaxDecimals; ++decimals) {
        if (std::all_of(values.cbegin(), values.cend(), [&](const std::optional<double> &value) {
                return !value || scaled(*value, decimals);
            }))
            return decimals;
    }
    return std::nullopt;
}

} // namespace

QByteArray encodeChunk(const ChunkValues &values)
{
    QByteArray raw;
    raw.append(kVersion);
    putVarint(raw, quint64(values.size()));
    QByteArray bitmap((values.size() + 7) / 8, '\0');
    bool integral = true;
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (!values.at(i))
            continue;
        bitmap[i / 8] = char(bitmap.at(i / 8) | (1 << (i % 8)));
        integral = integral && isIntegral(*values.at(i));
    }
    raw.append(bitmap);
    const std::optional<int> decimals = integral ? 0 : decimalsOf(values);
    raw.append(char(integral ? Mode::Integral : decimals ? Mode::Decimal : Mode::Bits));
    if (!integral && decimals)
        raw.append(char(*decimals));
    qint64 previous = 0;
    quint64 previousBits = 0;
    for (const std::optional<double> &value : values) {
        if (!value)
            continue;
        if (decimals) {
            const qint64 whole = *scaled(*value, *decimals);
            putVarint(raw, zigzag(whole - previous));
            previous = whole;
        } else {
            const auto bits = std::bit_cast<quint64>(*value);
            putVarint(raw, bits ^ previousBits); // equal neighbours: one zero byte
            previousBits = bits;
        }
    }
    return qCompress(raw, 6);
}

std::optional<ChunkValues> decodeChunk(const QByteArray &blob)
{
    // qCompress's header is the uncompressed size (big-endian 32 bits): checked before
    // qUncompress allocates it.
    if (blob.size() < 4 || qFromBigEndian<quint32>(blob.constData()) > quint32(kMaxRawSize))
        return std::nullopt;
    const QByteArray raw = qUncompress(blob);
    qsizetype at = 0;
    if (raw.isEmpty() || raw.at(at++) != kVersion)
        return std::nullopt;
    const std::optional<quint64> count = takeVarint(raw, at);
    if (!count || *count > quint64(maxChunkPoints))
        return std::nullopt;
    const qsizetype bitmapSize = qsizetype((*count + 7) / 8);
    if (raw.size() < at + bitmapSize + 1)
        return std::nullopt;
    const QByteArray bitmap = raw.mid(at, bitmapSize);
    at += bitmapSize;
    const auto mode = Mode(raw.at(at++));
    if (mode != Mode::Integral && mode != Mode::Decimal && mode != Mode::Bits)
        return std::nullopt;
    int decimals = 0;
    if (mode == Mode::Decimal) {
        decimals = at < raw.size() ? raw.at(at++) : 0;
        if (decimals < 1 || decimals > kMaxDecimals)
            return std::nullopt;
    }
    const double scale = scaleOf(decimals);
    ChunkValues values;
    values.reserve(qsizetype(*count));
    qint64 previous = 0;
    quint64 previousBits = 0;
    for (qsizetype i = 0; i < qsizetype(*count); ++i) {
        if (!(quint8(bitmap.at(i / 8)) & (1 << (i % 8)))) {
            values.append(std::nullopt);
            continue;
        }
        const std::optional<quint64> encoded = takeVarint(raw, at);
        if (!encoded)
            return std::nullopt;
        if (mode != Mode::Bits) {
            previous = qint64(quint64(previous) + quint64(unzigzag(*encoded))); // wraps, no UB
            values.append(double(previous) / scale);
        } else {
            previousBits ^= *encoded;
            values.append(std::bit_cast<double>(previousBits));
        }
    }
    if (at != raw.size())
        return std::nullopt; // trailing bytes: not a chunk this code wrote
    return values;
}

} // namespace qs::history
