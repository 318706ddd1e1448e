#include "cli/actioncommand.h"
#include "cli/checkcommand.h"
#include "cli/clioutput.h"
#include "cli/jobscommand.h"
#include "cli/queuescommand.h"

#include <QApplication>
#include <QCoreApplication>

#include <functional>

namespace {

using Command = std::function<int(const QStringList &)>;

// Subcommands run headless on the same engine; anything else opens the window.
Command findCommand(const QString &name)
{
    if (name == QLatin1String("check"))
        return qs::cli::runCheck;
    if (name == QLatin1String("queues"))
        return qs::cli::runQueues;
    if (name == QLatin1String("watch"))
        return qs::cli::runWatch;
    if (name == QLatin1String("jobs"))
        return qs::cli::runJobs;
    if (name == QLatin1String("job"))
        return qs::cli::runJob;
    if (const std::optional<qs::jobs::JobAction> action = qs::jobs::actionFromName(name))
        return [action = *action](const QStringList &arguments) {
            return qs::cli::runAction(action, arguments);
        };
    return {};
}

void setIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("QueueScope"));
    QCoreApplication::setApplicationName(QStringLiteral("queuescope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QUEUESCOPE_VERSION));
}

} // namespace

int runGui(int argc, char *argv[]);

int main(int argc, char *argv[])
{
    const QString first = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    if (const Command command = findCommand(first)) {
        QCoreApplication app(argc, argv);
        setIdentity();
        return command(app.arguments());
    }
    if (first == QLatin1String("--version") || first == QLatin1String("-v")) {
        QCoreApplication app(argc, argv);
        setIdentity();
        qs::cli::printText(QStringLiteral("queuescope %1\n").arg(app.applicationVersion()));
        return 0;
    }
    setIdentity();
    return runGui(argc, argv);
}
