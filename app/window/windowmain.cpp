// The window's module: everything that draws (Qt Widgets, Qt Gui, QCustomPlot) lives here and is
// loaded only when the window opens, so the command line (exporter, watch, check ...) never maps
// it. Its one entry point is called by the executable's launcher (app/windowlauncher.cpp).
#include "windowlaunch.h"

#include "mainwindow.h"

#include "keychain/keychainsecretstore.h"

#include <QApplication>

extern "C" Q_DECL_EXPORT int queuescope_run_window(const qs::app::WindowLaunch &launch)
{
    QApplication app(launch.argc, launch.argv);
    const std::variant<int, qs::app::WindowTarget> parsed = launch.parseArguments(app.arguments());
    if (const int *exit = std::get_if<int>(&parsed))
        return *exit;
    const qs::app::WindowTarget &target = std::get<qs::app::WindowTarget>(parsed);
    // Saved passwords live in the OS keychain; the window says so when there is none.
    qs::keychain::KeychainSecretStore keychain;
    qs::widgets::MainWindow window(&keychain);
    window.show();
    if (target.server)
        window.openServer(*target.server);
    else if (!target.profileName.isEmpty() && !window.openProfile(target.profileName))
        return launch.usageError(
            QStringLiteral("no saved profile named '%1'").arg(target.profileName));
    return app.exec();
}
