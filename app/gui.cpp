#include "cli/clioutput.h"
#include "cli/exitcode.h"
#include "cli/targetoptions.h"

#include "mainwindow.h"

#include "keychain/keychainsecretstore.h"

#include <QApplication>
#include <QCommandLineParser>

// `queuescope [--url URL | --profile NAME]`: the window, optionally on one server.
int runGui(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("QueueScope: watch Redis and the job queues inside it.\n\n"
                       "Commands (run `queuescope COMMAND --help`):\n"
                       "  check     health of a server; exit 0 healthy, 1 degraded, 3 "
                       "unreachable\n"
                       "  queues    every BullMQ, Bull, Celery, RQ and Sidekiq queue with counts\n"
                       "  watch     one JSON line per poll: metrics, queue counts, poll cost"));
    parser.addHelpOption();
    parser.addVersionOption();
    qs::cli::addTargetOptions(parser);
    parser.process(app);
    if (!parser.positionalArguments().isEmpty())
        return qs::cli::usageError(
            QStringLiteral("unknown command '%1'").arg(parser.positionalArguments().first()));

    std::optional<qs::core::ConnectionProfile> initial;
    const QString profileName = parser.value(QStringLiteral("profile"));
    if (parser.isSet(QStringLiteral("url"))) {
        auto target = qs::cli::resolveTarget(parser, QProcessEnvironment::systemEnvironment());
        if (!target)
            return qs::cli::usageError(target.error());
        initial = target->profile;
    }
    // Saved passwords live in the OS keychain; the window says so when there is none.
    qs::keychain::KeychainSecretStore keychain;
    qs::widgets::MainWindow window(&keychain);
    window.show();
    if (initial)
        window.openServer(*initial);
    else if (!profileName.isEmpty() && !window.openProfile(profileName))
        return qs::cli::usageError(QStringLiteral("no saved profile named '%1'").arg(profileName));
    return app.exec();
}
