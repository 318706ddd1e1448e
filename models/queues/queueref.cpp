#include "queueref.h"

#include "core/displaytext.h"

#include "queuecounts.h"

#include <array>

namespace qs::queues {

namespace {

// The key of each Framework, in the order of the enum.
constexpr std::array<QLatin1String, 5> kKeys = {QLatin1String("bullmq"), QLatin1String("bull"),
                                                QLatin1String("celery"), QLatin1String("rq"),
                                                QLatin1String("sidekiq")};
static_assert(kKeys.size() == std::size_t(Framework::Sidekiq) + 1, "one key per Framework");

} // namespace

QString frameworkName(Framework framework)
{
    const auto index = std::size_t(framework);
    return index < kKeys.size() ? QString(kKeys[index]) : QString();
}

std::optional<Framework> frameworkFromName(const QString &name)
{
    const QString key = name.toLower();
    for (std::size_t i = 0; i < kKeys.size(); ++i) {
        if (kKeys[i] == key)
            return Framework(i);
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

QString unifiedStateName(UnifiedState state)
{
    switch (state) {
    case UnifiedState::Waiting:
        return QStringLiteral("waiting");
    case UnifiedState::Active:
        return QStringLiteral("active");
    case UnifiedState::Delayed:
        return QStringLiteral("delayed");
    case UnifiedState::Prioritized:
        return QStringLiteral("prioritized");
    case UnifiedState::Completed:
        return QStringLiteral("completed");
    case UnifiedState::Failed:
        return QStringLiteral("failed");
    case UnifiedState::Other:
        break;
    }
    return QStringLiteral("other");
}

std::optional<qint64> countOf(const QList<QPair<QString, qint64>> &counts, const QString &state)
{
    for (const auto &entry : counts) {
        if (entry.first == state)
            return entry.second;
    }
    return std::nullopt;
}

void setCount(QList<QPair<QString, qint64>> &counts, const QString &state, qint64 value)
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
