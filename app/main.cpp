#include "cli/clioutput.h"
#include "cli/commandlist.h"

#include <QCoreApplication>

namespace {

void setIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("QueueScope"));
    QCoreApplication::setApplicationName(QStringLiteral("queuescope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QUEUESCOPE_VERSION));
}

// `queuescope help [COMMAND]`: the top-level help, or that command's own --help.
int runHelp(const QStringList &arguments)
{
    if (arguments.size() < 3)
        return qs::cli::printTopLevelHelp();
    const QString name = arguments.at(2);
    if (const qs::cli::CliCommand *command = qs::cli::findCommand(name))
        return command->run({arguments.first(), name, QStringLiteral("--help")});
    return qs::cli::unknownCommand(name);
}

} // namespace

int runGui(int argc, char *argv[]);

// The commands, their help and every usage error run on a QCoreApplication, so they never need
// a display; only the window (no command) makes a QApplication.
int main(int argc, char *argv[])
{
    setIdentity();
    const QString first = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    if (const qs::cli::CliCommand *command = qs::cli::findCommand(first)) {
        QCoreApplication app(argc, argv);
        return command->run(app.arguments());
    }
    if (first == QLatin1String("help")) {
        QCoreApplication app(argc, argv);
        return runHelp(app.arguments());
    }
    if (!first.isEmpty() && !first.startsWith(QLatin1Char('-'))) {
        QCoreApplication app(argc, argv);
        return qs::cli::unknownCommand(first);
    }
    return runGui(argc, argv);
}
