#pragma once

#include "core/connectionprofile.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <variant>

namespace qs::app {

// What the window opens on: a server given with --url, a saved profile's name, or neither.
struct WindowTarget
{
    std::optional<core::ConnectionProfile> server;
    QString profileName;
};

// What the executable lends the window's module (queuescope-gui) when it opens the window: the
// arguments, and the command line's own parsing of them (its options, its messages), which the
// module calls once its QApplication has taken Qt's own options (-platform, -style ...) out.
struct WindowLaunch
{
    int &argc;
    char **argv;
    // An exit code (a usage error, already printed), or what to open.
    std::function<std::variant<int, WindowTarget>(const QStringList &arguments)> parseArguments;
    // Prints a usage error the command line's way and returns its exit code.
    std::function<int(const QString &message)> usageError;
};

// The module's one entry point, resolved by name (extern "C": no mangling to agree on).
using RunWindow = int (*)(const WindowLaunch &launch);
inline constexpr char runWindowSymbol[] = "queuescope_run_window";

} // namespace qs::app
