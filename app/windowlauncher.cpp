// `queuescope` without a command: the window. Help, the version and the checks that need no
// display run here; the window itself is a module (queuescope-gui) loaded only now, so that the
// command line never maps Qt Widgets, Qt Gui or QCustomPlot (7 MB of RSS in every command).
#include "windowlaunch.h"

#include "cli/clioutput.h"
#include "cli/commandlist.h"
#include "cli/exitcode.h"
#include "cli/targetoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibrary>
#include <QProcessEnvironment>

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

// The window's arguments as the command line reads them (called by the module once Qt's own
// options are taken out): what to open, or the exit code of a usage error.
std::variant<int, qs::app::WindowTarget> windowTarget(const QStringList &arguments)
{
    QCommandLineParser parser;
    if (auto exit = parseWindowArguments(parser, arguments))
        return *exit;
    qs::app::WindowTarget target;
    target.profileName = parser.value(QStringLiteral("profile"));
    if (parser.isSet(QStringLiteral("url"))) {
        auto resolved = qs::cli::resolveTarget(parser, QProcessEnvironment::systemEnvironment());
        if (!resolved)
            return qs::cli::usageError(resolved.error());
        target.server = resolved->profile;
    }
    return target;
}

// The directory of the running executable (the window's module is found from it).
QString executableDir(const char *argv0)
{
#if defined(Q_OS_LINUX)
    Q_UNUSED(argv0);
    return QFileInfo(QStringLiteral("/proc/self/exe")).canonicalFilePath().section(u'/', 0, -2);
#else
    return QFileInfo(QString::fromLocal8Bit(argv0)).absolutePath();
#endif
}

// The window's module: next to the executable (the build tree, Windows), else where the
// packages install it (QUEUESCOPE_GUI_MODULE_DIR, relative to the executable's directory).
std::optional<qs::app::RunWindow> loadWindowModule(const char *argv0, QString *error)
{
    const QString dir = executableDir(argv0);
    const QString file = QStringLiteral(QUEUESCOPE_GUI_MODULE_FILE);
    QStringList tried;
    for (const QString &candidate :
         {dir + u'/' + file,
          QDir::cleanPath(dir + QStringLiteral("/" QUEUESCOPE_GUI_MODULE_DIR "/") + file)}) {
        if (!QFileInfo::exists(candidate)) {
            tried << candidate;
            continue;
        }
        QLibrary module(candidate);
        if (const auto run =
                reinterpret_cast<qs::app::RunWindow>(module.resolve(qs::app::runWindowSymbol)))
            return run; // never unloaded: the window runs until the process ends
        *error = module.errorString();
        return std::nullopt;
    }
    *error = QStringLiteral("not found (looked for %1)").arg(tried.join(QStringLiteral(", ")));
    return std::nullopt;
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

    QString error;
    const std::optional<qs::app::RunWindow> run = loadWindowModule(argv[0], &error);
    if (!run) {
        QCoreApplication app(argc, argv);
        qs::cli::printError(QStringLiteral("the window's module (%1) did not load: %2; the "
                                           "command-line verbs work without it: queuescope --help")
                                .arg(QStringLiteral(QUEUESCOPE_GUI_MODULE_FILE), error));
        return qs::cli::UsageError; // as without a display: the window cannot open here
    }
    const qs::app::WindowLaunch launch{argc, argv, windowTarget, [](const QString &message) {
                                           return qs::cli::usageError(message);
                                       }};
    return (*run)(launch);
}
