#include "bullframework.h"

#include "bulladapter.h"
#include "frameworks/bullfamily/bullfamilyentry.h"

namespace qs::frameworks {

queues::FrameworkEntry bullFramework()
{
    queues::FrameworkEntry entry = bullFamilyEntry(false);
    entry.label = QStringLiteral("Bull");
    entry.makeAdapter = [](const QByteArray &prefix) -> std::unique_ptr<queues::QueueAdapter> {
        return std::make_unique<queues::BullAdapter>(prefix);
    };
    return entry;
}

} // namespace qs::frameworks
