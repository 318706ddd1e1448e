#include "rqframework.h"

#include "rqactions.h"
#include "rqadapter.h"
#include "rqjobsource.h"
#include "rqworkers.h"

namespace qs::frameworks {

queues::FrameworkEntry rqFramework()
{
    queues::FrameworkEntry entry;
    entry.framework = queues::Framework::RQ;
    entry.label = QStringLiteral("RQ");
    entry.defaultPrefix = queues::RqAdapter::kPrefix;
    entry.fixedPrefix = true;
    entry.makeAdapter = [](const QByteArray &) -> std::unique_ptr<queues::QueueAdapter> {
        return std::make_unique<queues::RqAdapter>();
    };
    entry.makeJobSource = []() -> std::unique_ptr<jobs::JobSource> {
        return std::make_unique<jobs::RqJobSource>();
    };
    entry.actionSupport = &jobs::rqActionSupport;
    entry.makeWorkerReader =
        [](const queues::WorkerReader::Context &context) -> std::unique_ptr<queues::WorkerReader> {
        return std::make_unique<queues::RqWorkerReader>(context);
    };
    return entry;
}

} // namespace qs::frameworks
