#include "queueref.h"

#include "queuecounts.h"

namespace qs::queues {

QString frameworkName(Framework framework)
{
    switch (framework) {
    case Framework::BullMQ:
        return QStringLiteral("bullmq");
    case Framework::Bull:
        return QStringLiteral("bull");
    case Framework::Celery:
        return QStringLiteral("celery");
    case Framework::RQ:
        return QStringLiteral("rq");
    case Framework::Sidekiq:
        return QStringLiteral("sidekiq");
    }
    return {};
}

std::optional<Framework> frameworkFromName(const QString &name)
{
    for (Framework f : {Framework::BullMQ, Framework::Bull, Framework::Celery, Framework::RQ,
                        Framework::Sidekiq}) {
        if (frameworkName(f) == name.toLower())
            return f;
    }
    return std::nullopt;
}

namespace {

QString escaped(const QByteArray &bytes)
{
    const QString text = QString::fromUtf8(bytes);
    if (text.toUtf8() == bytes && !text.contains(QChar::ReplacementCharacter)) {
        // Whole code points, not UTF-16 units: an emoji is a surrogate pair.
        bool printable = true;
        for (char32_t c : text.toUcs4())
            printable = printable && QChar::isPrint(c);
        if (printable)
            return text;
    }
    QString out;
    for (char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f)
            out += QLatin1Char(c);
        else
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
    }
    return out;
}

} // namespace

QString QueueRef::id() const
{
    return frameworkName(framework) + QLatin1Char('/') + escaped(prefix) + QLatin1Char('/') +
           escaped(name);
}

QString QueueRef::displayName() const
{
    return escaped(name);
}

std::optional<qint64> QueueCounts::count(const QString &state) const
{
    for (const auto &entry : counts) {
        if (entry.first == state)
            return entry.second;
    }
    return std::nullopt;
}

void QueueCounts::set(const QString &state, qint64 value)
{
    for (auto &entry : counts) {
        if (entry.first == state) {
            entry.second = value;
            return;
        }
    }
    counts.append({state, value});
}

} // namespace qs::queues
