#pragma once

#include "core/connectionprofile.h"
#include "core/credentialresolver.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace qs::core {
class ProfileStore;
class SecretStore;
} // namespace qs::core

namespace qs::widgets {

class ProfileForm;

// Every saved profile, grouped by environment (production, staging, development, other):
// create, edit, duplicate, delete, reorder, import (REDIS_* environment, a .env file, an
// export) and export without secrets. "Test connection" says who answered (version, role,
// latency, TLS and certificate, ACL user) or exactly what failed. Save writes the profiles to
// their JSON file (owner-only) and the passwords to the OS keychain; without a keychain it says
// so and keeps no password anywhere.
class ProfileDialog final : public QDialog
{
    Q_OBJECT
public:
    ProfileDialog(core::ProfileStore &store, core::SecretStore &secrets, QWidget *parent = nullptr);
    ~ProfileDialog() override;

    // For tests.
    ProfileForm *form() const { return m_form; }
    QTreeWidget *list() const { return m_list; }
    QPushButton *testButton() const { return m_test; }
    QLabel *testResult() const { return m_testResult; }
    QLabel *message() const { return m_message; }
    void addProfile(const core::ConnectionProfile &profile); // as "New" or an import does
    void selectProfile(const QString &name);
    bool saveAll(); // what the Save button does; false and a message when something failed

Q_SIGNALS:
    void saved(); // the store holds the new profiles
    void openRequested(const QString &name);

private:
    struct Entry
    {
        core::ConnectionProfile profile; // password: a newly typed one, else empty
        QString savedName;               // under which the keychain may hold its password
        bool passwordStored = false;
        bool passwordEdited = false;
    };

    void rebuildList();
    void onCurrentChanged();
    void storeForm(); // the form's fields into the current entry
    void moveCurrent(int delta);
    void removeCurrent();
    void duplicateCurrent();
    void testConnection();
    void importFromEnvironment();
    void importDotEnv();
    void importExport();
    void exportProfiles();
    void showMessage(const QString &text, bool error);
    QString uniqueName(const QString &wanted) const;
    int currentIndex() const;

    core::ProfileStore &m_store;
    core::SecretStore &m_secrets;
    core::CredentialResolver m_credentials{&m_secrets}; // what Test connection sends
    QList<Entry> m_entries;
    QStringList m_removedNames; // saved profiles deleted here: their passwords go too
    QTreeWidget *m_list = nullptr;
    ProfileForm *m_form = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_testResult = nullptr;
    QLabel *m_message = nullptr;
    int m_shown = -1; // entry on the form
    bool m_rebuilding = false;
};

} // namespace qs::widgets
