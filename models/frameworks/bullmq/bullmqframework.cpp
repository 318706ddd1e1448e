#include "bullmqframework.h"

#include "bullmqadapter.h"
#include "frameworks/bullfamily/bullactions.h"
#include "frameworks/bullfamily/bullconnectionname.h"
#include "frameworks/bullfamily/bulljobsource.h"

namespace qs::frameworks {

queues::FrameworkEntry bullmqFramework()
{
    queues::FrameworkEntry entry;
    entry.framework = queues::Framework::BullMQ;
    entry.label = QStringLiteral("BullMQ");
    entry.defaultPrefix = queues::bullkeys::kDefaultPrefix;
    entry.makeAdapter = [](const QByteArray &prefix) -> std::unique_ptr<queues::QueueAdapter> {
        return std::make_unique<queues::BullMqAdapter>(prefix);
    };
    entry.makeJobSource = []() -> std::unique_ptr<jobs::JobSource> {
        return std::make_unique<jobs::BullJobSource>(true);
    };
    entry.actionSupport = [](jobs::JobAction action) {
        return jobs::bullFamilyActionSupport(action, true);
    };
    entry.readConnectionName = &queues::readBullConnectionName;
    return entry;
}

} // namespace qs::frameworks
