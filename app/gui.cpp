#include "cli/clioutput.h"
#include "cli/commandlist.h"
#include "cli/exitcode.h"
#include "cli/targetoptions.h"

#include "mainwindow.h"

#include "keychain/keychainsecretstore.h"

#include <QApplication>
#include <QCommandLineParser>

#include <optional>

namespace {

bool hasAny(const QStringList &arguments, std::initializer_list<const char *> names)
{
    for (const char *name : names) {
        if (arguments.contains(QLatin1String(name)))
            return true;
    }
    return false;
}

// Whether Qt can open a window here. On X11/Wayland systems without a display Qt aborts in the
// xcb plugin instead of returning an error, so this is decided before QApplication exists.
bool displayAvailable(const QStringList &arguments)
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) {
        if (!qEnvironmentVariableIsEmpty(name))
            return true;
    }
    return hasAny(arguments, {"-platform", "--platform"});
#else
    Q_UNUSED(arguments);
    return true;
#endif
}

// Parses the window's arguments; an exit code when they are wrong (or asked for help).
std::optional<int> parseWindowArguments(QCommandLineParser &parser, const QStringList &arguments)
{
    qs::cli::describeTopLevel(parser);
    if (!parser.parse(arguments))
        return qs::cli::usageError(parser.errorText());
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return std::nullopt;
    if (qs::cli::findCommand(positional.first()))
        return qs::cli::usageError(QStringLiteral("put the command first: queuescope %1 [options]")
                                       .arg(positional.first()));
    return qs::cli::unknownCommand(positional.first());
}

} // namespace

// `queuescope [--url URL | --profile NAME]`: the window, optionally on one server.
int runGui(int argc, char *argv[])
{
    QStringList raw;
    for (int i = 0; i < argc; ++i)
        raw << QString::fromLocal8Bit(argv[i]);
    if (hasAny(raw, {"-h", "--help", "-?", "--help-all"})) {
        QCoreApplication app(argc, argv);
        return qs::cli::printTopLevelHelp();
    }
    if (hasAny(raw, {"-v", "--version"})) {
        QCoreApplication app(argc, argv);
        qs::cli::printText(QStringLiteral("queuescope %1\n").arg(app.applicationVersion()));
        return qs::cli::Success;
    }
    if (!displayAvailable(raw)) {
        QCoreApplication app(argc, argv);
        QCommandLineParser parser;
        if (auto exit = parseWindowArguments(parser, app.arguments()))
            return *exit;
        qs::cli::printError(
            QStringLiteral("the window needs a display (no DISPLAY or WAYLAND_DISPLAY); the "
                           "command-line verbs work without one: queuescope --help"));
        return qs::cli::UsageError;
    }

    QApplication app(argc, argv);
    QCommandLineParser parser;
    if (auto exit = parseWindowArguments(parser, app.arguments()))
        return *exit;
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
