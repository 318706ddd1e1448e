#include "actionsupport.h"

namespace qs::jobs {

bool ActionSupport::actsOn(const QString &state) const
{
    for (const auto &entry : states) {
        if (entry.first == state)
            return true;
    }
    return false;
}

QByteArray ActionSupport::scriptState(const QString &state) const
{
    for (const auto &entry : states) {
        if (entry.first == state)
            return entry.second;
    }
    return {};
}

ActionSupport ActionSupport::unsupported(const QString &reason)
{
    ActionSupport support;
    support.reason = reason;
    return support;
}

ActionSupport ActionSupport::supportedBy(QString label, QString script,
                                         QList<QPair<QString, QByteArray>> states,
                                         Selection selection, Feed feed, bool destructive,
                                         bool takesAge)
{
    ActionSupport support;
    support.supported = true;
    support.label = std::move(label);
    support.script = std::move(script);
    support.states = std::move(states);
    support.selection = selection;
    support.feed = feed;
    support.destructive = destructive;
    support.takesAge = takesAge;
    return support;
}

} // namespace qs::jobs
