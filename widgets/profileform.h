#pragma once

#include "core/connectionprofile.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace qs::widgets {

class SentinelFields;

// The fields of one connection profile. Paste a redis:// or rediss:// URL to fill them. The
// password field shows whether the keychain holds one; typing replaces it, leaving it alone
// keeps it. Choosing the production environment makes the profile read-only (it can be
// turned off again, deliberately).
class ProfileForm final : public QWidget
{
    Q_OBJECT
public:
    explicit ProfileForm(QWidget *parent = nullptr);

    // Loads the fields; emits nothing (edited() means the operator changed something).
    void setProfile(const core::ConnectionProfile &profile, bool passwordStored);
    // What the password field says when empty, once the keychain has answered.
    void setPasswordStored(bool stored);
    // The profile as edited; password = what was typed (empty when untouched: see passwordEdited).
    core::ConnectionProfile profile() const;
    bool passwordEdited() const { return m_passwordEdited; }
    // Empty when the fields make a usable profile, else what is wrong.
    QString validate() const;
    // Fills the fields from a URL; false (and the reason on the form) when it does not parse.
    bool fillFromUrl(const QString &url);

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *hostEdit() const { return m_host; }
    QSpinBox *portBox() const { return m_port; }
    QSpinBox *dbBox() const { return m_db; }
    QLineEdit *usernameEdit() const { return m_username; }
    QLineEdit *passwordEdit() const { return m_password; }
    QComboBox *environmentBox() const { return m_environment; }
    QCheckBox *readOnlyBox() const { return m_readOnly; }
    QGroupBox *tlsGroup() const { return m_tls; }
    QCheckBox *skipVerifyBox() const { return m_skipVerify; }
    QLineEdit *queueSourcesEdit() const { return m_sources; }
    QLineEdit *clusterAddressMapEdit() const { return m_clusterMap; }
    QLabel *urlMessage() const { return m_urlMessage; }
    SentinelFields *sentinelFields() const { return m_sentinel; }

Q_SIGNALS:
    void edited();

private:
    QLineEdit *addFileRow(QFormLayout *form, const QString &label, const QString &filter);
    core::ConnectionProfile readFields() const; // m_base with every field read from the form

    QLineEdit *m_name = nullptr;
    QComboBox *m_environment = nullptr;
    QCheckBox *m_readOnly = nullptr;
    QLineEdit *m_url = nullptr;
    QLabel *m_urlMessage = nullptr;
    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QLineEdit *m_socket = nullptr;
    QSpinBox *m_db = nullptr;
    QLineEdit *m_username = nullptr;
    QLineEdit *m_password = nullptr;
    QGroupBox *m_tls = nullptr;
    QCheckBox *m_skipVerify = nullptr;
    QLineEdit *m_caFile = nullptr;
    QLineEdit *m_certFile = nullptr;
    QLineEdit *m_keyFile = nullptr;
    QLineEdit *m_serverName = nullptr;
    QDoubleSpinBox *m_interval = nullptr;
    QLineEdit *m_sources = nullptr;
    QLineEdit *m_clusterMap = nullptr;
    SentinelFields *m_sentinel = nullptr;
    core::ConnectionProfile m_base;        // what setProfile() gave (timeouts etc. not on the form)
    core::ConnectionProfile m_shownAtLoad; // readFields() right after setProfile()
    bool m_passwordEdited = false;
    bool m_loading = false;
};

} // namespace qs::widgets
