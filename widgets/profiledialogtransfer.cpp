// ProfileDialog's import (REDIS_* environment, a .env file, an export) and export without
// secrets; the rest of the dialog is in profiledialog.cpp.
#include "profiledialog.h"

#include "core/environmentimport.h"
#include "core/profilestore.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QProcessEnvironment>

namespace qs::widgets {

void ProfileDialog::importFromEnvironment()
{
    const auto profile = core::profileFromEnvironment(QProcessEnvironment::systemEnvironment());
    if (!profile) {
        showMessage(profile.error(), true);
        return;
    }
    core::ConnectionProfile p = profile.value();
    p.name = tr("from environment");
    addProfile(p);
    showMessage(tr("Imported %1 from the environment.").arg(p.displayUrl()), false);
}

void ProfileDialog::importDotEnv()
{
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Import a .env file"), QDir::homePath(),
                                     tr(".env files (.env *.env);;All files (*)"));
    if (file.isEmpty())
        return;
    const auto profile = core::profileFromDotEnvFile(file);
    if (!profile) {
        showMessage(profile.error(), true);
        return;
    }
    core::ConnectionProfile p = profile.value();
    p.name = QFileInfo(file).absoluteDir().dirName(); // the app's folder names it
    addProfile(p);
    showMessage(tr("Imported %1 from %2.").arg(p.displayUrl(), file), false);
}

void ProfileDialog::importExport()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Import profiles"), QDir::homePath(),
                                                      tr("QueueScope profiles (*.json)"));
    if (file.isEmpty())
        return;
    core::ProfileStore imported(file);
    if (const auto loaded = imported.load(); !loaded) {
        showMessage(loaded.error(), true);
        return;
    }
    for (const core::ConnectionProfile &p : imported.profiles())
        addProfile(p);
    showMessage(
        tr("Imported %n profile(s) (without passwords).", "", int(imported.profiles().size())),
        false);
}

void ProfileDialog::exportProfiles()
{
    storeForm();
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export profiles"),
        QDir::home().filePath(QStringLiteral("queuescope-profiles.json")),
        tr("QueueScope profiles (*.json)"));
    if (file.isEmpty())
        return;
    core::ProfileStore out(file);
    QList<core::ConnectionProfile> profiles;
    for (const Entry &entry : m_entries)
        profiles.append(entry.profile);
    out.setProfiles(profiles);
    const auto written = out.exportProfiles(file);
    showMessage(
        written ? tr("Exported %n profile(s) to %1, without passwords.", "", int(profiles.size()))
                      .arg(file)
                : written.error(),
        !written);
}

} // namespace qs::widgets
