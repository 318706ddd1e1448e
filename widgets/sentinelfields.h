#pragma once

#include "core/connectionprofile.h"

#include <QGroupBox>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace qs::widgets {

// The Sentinel part of the profile editor: the sentinels to ask, the master's name (with
// "List masters", which asks the given sentinels SENTINEL MASTERS off the GUI thread), the
// sentinels' own user and password (the password goes to the keychain, see ProfileDialog) and
// TLS to the sentinels. Unchecked: the profile names its server directly.
class SentinelFields final : public QGroupBox
{
    Q_OBJECT
public:
    explicit SentinelFields(QWidget *parent = nullptr);

    void setOptions(const core::SentinelOptions &options);
    // As edited; empty addresses when unchecked. password: what was typed (empty: untouched).
    core::SentinelOptions options() const;

    QLineEdit *addressesEdit() const { return m_addresses; }
    QComboBox *masterBox() const { return m_master; }
    QPushButton *listMastersButton() const { return m_listMasters; }
    QLabel *listMessage() const { return m_message; }
    QLineEdit *passwordEdit() const { return m_password; }

Q_SIGNALS:
    void edited();

private:
    void listMasters();
    void askSentinel(const core::ConnectionProfile &profile, int index, QStringList reasons);

    QLineEdit *m_addresses = nullptr;
    QComboBox *m_master = nullptr;
    QPushButton *m_listMasters = nullptr;
    QLabel *m_message = nullptr;
    QLineEdit *m_username = nullptr;
    QLineEdit *m_password = nullptr;
    QCheckBox *m_tls = nullptr;
    core::TlsOptions m_tlsOptions; // the rest of the sentinels' TLS settings, as loaded
};

} // namespace qs::widgets
