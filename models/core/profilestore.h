#pragma once

#include "connectionprofile.h"
#include "result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace qs::core {

// Saved connection profiles as a JSON file (DESIGN section 5): never the password (that lives in
// the OS keychain, see SecretStore), owner-only permissions (0600 file, 0700 directory, set on
// every save), atomic saves (QSaveFile), and a file that could not be read is never overwritten.
//
// Format: {"format": "queuescope-profiles", "version": 1, "profiles": [{...}, ...]}. Unknown
// fields are ignored, missing fields take the ConnectionProfile defaults. Export files use the
// same format.
class ProfileStore
{
public:
    // QStandardPaths::AppConfigLocation + "/profiles.json".
    static QString defaultPath();

    explicit ProfileStore(QString path = defaultPath());

    const QString &path() const { return m_path; }

    // Reads the file. A missing file is an empty store, not an error. On error the in-memory list
    // is emptied, the file is left as it is and save() refuses to overwrite it.
    Result<bool> load();
    // Writes all profiles atomically; refuses when the last load() failed.
    Result<bool> save() const;

    const QList<ConnectionProfile> &profiles() const { return m_profiles; }
    QStringList names() const;
    // Case-sensitive.
    std::optional<ConnectionProfile> profile(const QString &name) const;
    // Adds or replaces (by name) a profile. The stored copy has no password.
    void upsert(ConnectionProfile profile);
    bool remove(const QString &name);
    // Moves a profile to another position of the list (the order the window shows); false when
    // there is no such profile. `to` is clamped to the list.
    bool move(const QString &name, int to);
    // Replaces every profile, in this order (the editor's "save all"). Passwords are dropped.
    void setProfiles(QList<ConnectionProfile> profiles);

    // Writes the named profiles (all when names is empty) to file, without secrets.
    Result<bool> exportProfiles(const QString &file, const QStringList &names = {}) const;
    // Reads an export file and merges it (same name replaces). Returns how many were imported.
    // Does not save: call save() afterwards.
    Result<int> importProfiles(const QString &file);

    // The file format, for tests and for export/import.
    static QByteArray serialize(const QList<ConnectionProfile> &profiles);
    // origin names the data in error messages (usually the file path).
    static Result<QList<ConnectionProfile>> parse(const QByteArray &json, const QString &origin);

private:
    static Result<QList<ConnectionProfile>> readFile(const QString &file);
    static Result<bool> writeFile(const QString &file, const QList<ConnectionProfile> &profiles,
                                  bool privateDirectory);

    QString m_path;
    QList<ConnectionProfile> m_profiles;
    QString m_loadError; // non-empty: the file on disk could not be read; do not overwrite it
};

} // namespace qs::core
