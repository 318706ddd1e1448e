#include "queueref.h"

#include "core/displaytext.h"

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
    return core::displayBytes(bytes, core::DisplayMode::Identifier);
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
