#include "bullframework.h"

#include "bulladapter.h"
#include "frameworks/bullfamily/bullactions.h"
#include "frameworks/bullfamily/bullconnectionname.h"
#include "frameworks/bullfamily/bulljobsource.h"

namespace qs::frameworks {

queues::FrameworkEntry bullFramework()
{
    queues::FrameworkEntry entry;
    entry.framework = queues::Framework::Bull;
    entry.label = QStringLiteral("Bull");
    entry.defaultPrefix = queues::bullkeys::kDefaultPrefix;
    entry.makeAdapter = [](const QByteArray &prefix) -> std::unique_ptr<queues::QueueAdapter> {
        return std::make_unique<queues::BullAdapter>(prefix);
    };
    entry.makeJobSource = []() -> std::unique_ptr<jobs::JobSource> {
        return std::make_unique<jobs::BullJobSource>(false);
    };
    entry.actionSupport = [](jobs::JobAction action) {
        return jobs::bullFamilyActionSupport(action, false);
    };
    entry.readConnectionName = &queues::readBullConnectionName;
    return entry;
}

} // namespace qs::frameworks
