#include "bullmqframework.h"

#include "bullmqadapter.h"
#include "frameworks/bullfamily/bullfamilyentry.h"

namespace qs::frameworks {

queues::FrameworkEntry bullmqFramework()
{
    queues::FrameworkEntry entry = bullFamilyEntry(true);
    entry.label = QStringLiteral("BullMQ");
    entry.makeAdapter = [](const QByteArray &prefix) -> std::unique_ptr<queues::QueueAdapter> {
        return std::make_unique<queues::BullMqAdapter>(prefix);
    };
    return entry;
}

} // namespace qs::frameworks
