#include "sentinelfields.h"

#include "core/sentinelurl.h"
#include "redis/redisconnection.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>

namespace qs::widgets {

SentinelFields::SentinelFields(QWidget *parent)
    : QGroupBox(tr("Sentinel (ask sentinels for the master)"), parent)
    , m_addresses(new QLineEdit(this))
    , m_master(new QComboBox(this))
    , m_listMasters(new QPushButton(tr("List masters"), this))
    , m_message(new QLabel(this))
    , m_username(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_tls(new QCheckBox(tr("TLS to the sentinels"), this))
{
    setCheckable(true);
    setChecked(false);
    m_addresses->setPlaceholderText(tr("host1:26379, host2:26379"));
    m_master->setEditable(true);
    m_master->setToolTip(tr("The name the sentinels monitor the master under"));
    m_listMasters->setToolTip(tr("Ask the sentinels above which masters they monitor"));
    m_message->setWordWrap(true);
    m_message->hide();
    m_username->setPlaceholderText(tr("default"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("the sentinels' own password, if any (keychain)"));
    auto *masterRow = new QWidget(this);
    auto *row = new QHBoxLayout(masterRow);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_master, 1);
    row->addWidget(m_listMasters);
    auto *form = new QFormLayout(this);
    form->addRow(tr("Sentinels:"), m_addresses);
    form->addRow(tr("Master name:"), masterRow);
    form->addRow(QString(), m_message);
    form->addRow(tr("Sentinel user:"), m_username);
    form->addRow(tr("Sentinel password:"), m_password);
    form->addRow(QString(), m_tls);

    connect(m_listMasters, &QPushButton::clicked, this, &SentinelFields::listMasters);
    for (QLineEdit *edit : {m_addresses, m_username, m_password})
        connect(edit, &QLineEdit::textEdited, this, &SentinelFields::edited);
    connect(m_master, &QComboBox::currentTextChanged, this, &SentinelFields::edited);
    connect(m_tls, &QCheckBox::toggled, this, &SentinelFields::edited);
    connect(this, &QGroupBox::toggled, this, &SentinelFields::edited);
}

void SentinelFields::setOptions(const core::SentinelOptions &options)
{
    const QSignalBlocker blocker(this);
    setChecked(!options.addresses.isEmpty());
    m_addresses->setText(options.addresses.join(QStringLiteral(", ")));
    m_master->setCurrentText(options.masterName);
    m_username->setText(options.username);
    m_password->setText(options.password);
    m_tls->setChecked(options.tls.enabled);
    m_tlsOptions = options.tls;
    m_message->hide();
}

core::SentinelOptions SentinelFields::options() const
{
    core::SentinelOptions options;
    if (!isChecked())
        return options;
    for (const QString &address : m_addresses->text().split(u',', Qt::SkipEmptyParts)) {
        if (!address.trimmed().isEmpty())
            options.addresses << address.trimmed();
    }
    options.masterName = m_master->currentText().trimmed();
    options.username = m_username->text();
    options.password = m_password->text();
    options.tls = m_tlsOptions;
    options.tls.enabled = m_tls->isChecked();
    return options;
}

void SentinelFields::listMasters()
{
    core::ConnectionProfile profile;
    profile.sentinel = options();
    profile.sentinel.masterName = QStringLiteral("-");
    if (profile.sentinel.addresses.isEmpty()) {
        m_message->setText(tr("Give the sentinels' addresses first (host:26379, ...)."));
        m_message->show();
        return;
    }
    if (const QString problem = core::sentinelProblem(profile); !problem.isEmpty()) {
        m_message->setText(problem);
        m_message->show();
        return;
    }
    m_listMasters->setEnabled(false);
    m_message->setText(tr("Asking the sentinels…"));
    m_message->show();
    askSentinel(profile, 0, {});
}

// Asks sentinel `index` SENTINEL MASTERS (on the connection's I/O thread); on failure the next.
void SentinelFields::askSentinel(const core::ConnectionProfile &profile, int index,
                                 QStringList reasons)
{
    if (index >= profile.sentinel.addresses.size()) {
        m_listMasters->setEnabled(true);
        m_message->setText(tr("No sentinel answered: %1").arg(reasons.join(QStringLiteral("; "))));
        return;
    }
    const QString address = profile.sentinel.addresses.at(index);
    redis::TransportOptions transport;
    transport.autoReconnect = false;
    transport.clientName = QStringLiteral("queuescope-editor");
    auto *connection =
        new redis::RedisConnection(core::sentinelNodeProfile(profile, address), transport, this);
    connection->open();
    connection->command(
        {"SENTINEL", "MASTERS"}, this,
        [this, connection, profile, index, reasons, address](const redis::RedisReply &reply,
                                                             const redis::RedisError &error) {
            connection->deleteLater();
            if (!error.isNone()) {
                askSentinel(profile, index + 1,
                            reasons +
                                QStringList{QStringLiteral("%1: %2").arg(address, error.message)});
                return;
            }
            QStringList names;
            for (const redis::RedisReply &master : reply.elements) {
                for (qsizetype i = 0; i + 1 < master.elements.size(); i += 2) {
                    if (master.elements.at(i).string == "name")
                        names << QString::fromUtf8(master.elements.at(i + 1).string);
                }
            }
            names.sort();
            const QString typed = m_master->currentText();
            m_master->clear();
            m_master->addItems(names);
            m_master->setCurrentText(typed.isEmpty() && !names.isEmpty() ? names.first() : typed);
            m_listMasters->setEnabled(true);
            m_message->setText(
                names.isEmpty()
                    ? tr("%1 monitors no master.").arg(address)
                    : tr("%1 monitors: %2").arg(address, names.join(QStringLiteral(", "))));
        });
}

} // namespace qs::widgets
