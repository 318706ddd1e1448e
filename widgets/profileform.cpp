#include "profileform.h"

#include "core/clusteraddressmap.h"
#include "core/sentinelurl.h"
#include "sentinelfields.h"

#include "core/redisurl.h"
#include "frameworks/registry.h"

#include "core/limits.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace qs::widgets {

ProfileForm::ProfileForm(QWidget *parent)
    : QWidget(parent)
    , m_name(new QLineEdit(this))
    , m_environment(new QComboBox(this))
    , m_readOnly(new QCheckBox(tr("Read-only (no write command is sent)"), this))
    , m_url(new QLineEdit(this))
    , m_urlMessage(new QLabel(this))
    , m_host(new QLineEdit(this))
    , m_port(new QSpinBox(this))
    , m_socket(new QLineEdit(this))
    , m_db(new QSpinBox(this))
    , m_username(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_tls(new QGroupBox(tr("TLS (rediss://)"), this))
    , m_skipVerify(new QCheckBox(tr("Skip certificate verification"), this))
    , m_interval(new QDoubleSpinBox(this))
    , m_sources(new QLineEdit(this))
    , m_clusterMap(new QLineEdit(this))
    , m_sentinel(new SentinelFields(this))
{
    m_environment->setEditable(true);
    m_environment->addItems({QString(), QStringLiteral("production"), QStringLiteral("staging"),
                             QStringLiteral("development")});
    m_url->setPlaceholderText(tr("Paste redis://user:password@host:6379/0 or rediss://… to fill "
                                 "the fields"));
    m_urlMessage->setWordWrap(true);
    m_urlMessage->hide();
    m_port->setRange(1, 65535);
    m_db->setRange(0, core::limits::maxDb);
    m_socket->setPlaceholderText(tr("/path/to/redis.sock (instead of host and port)"));
    m_username->setPlaceholderText(tr("default"));
    m_password->setEchoMode(QLineEdit::Password);
    m_tls->setCheckable(true);
    m_skipVerify->setStyleSheet(
        QStringLiteral("QCheckBox:checked { color: #b3261e; font-weight: bold; }"));
    m_interval->setRange(core::limits::minPollIntervalMs / 1000.0,
                         core::limits::maxPollIntervalMs / 1000.0);
    m_interval->setDecimals(1);
    m_interval->setSuffix(tr(" s"));
    m_sources->setPlaceholderText(tr("every framework, default prefixes (e.g. bullmq:bull, "
                                     "bull:{app}, sidekiq:myns, celery:, rq)"));
    m_clusterMap->setPlaceholderText(tr("announced=reachable, e.g. 10.0.0.3:6379=localhost:7003"));
    m_clusterMap->setToolTip(tr("Redis Cluster behind NAT or in containers: a node that "
                                "announces an address this machine cannot "
                                "reach is connected to at the reachable address instead. One "
                                "entry per node, separated by commas."));

    // Short labels and wrapped hints: the form fits its pane at 1280x800 (no field cut off).
    m_readOnly->setToolTip(tr("QueueScope sends no write command to this server: actions are "
                              "refused by the connection itself, not only greyed out."));
    auto *skipHint = new QLabel(
        tr("Only for a managed service with a self-signed certificate (e.g. Render)."), m_tls);
    skipHint->setWordWrap(true);
    auto *tlsForm = new QFormLayout(m_tls);
    tlsForm->addRow(m_skipVerify);
    tlsForm->addRow(skipHint);
    m_caFile = addFileRow(tlsForm, tr("CA file:"), tr("Certificates (*.pem *.crt);;All files (*)"));
    m_certFile = addFileRow(tlsForm, tr("Client certificate:"),
                            tr("Certificates (*.pem *.crt);;All files (*)"));
    m_keyFile = addFileRow(tlsForm, tr("Client key:"), tr("Keys (*.pem *.key);;All files (*)"));
    m_serverName = new QLineEdit(m_tls);
    m_serverName->setPlaceholderText(tr("the host name (SNI and verification)"));
    tlsForm->addRow(tr("Server name:"), m_serverName);

    auto *form = new QFormLayout;
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Environment:"), m_environment);
    form->addRow(QString(), m_readOnly);
    form->addRow(tr("URL:"), m_url);
    form->addRow(QString(), m_urlMessage);
    form->addRow(tr("Host:"), m_host);
    form->addRow(tr("Port:"), m_port);
    form->addRow(tr("Unix socket:"), m_socket);
    form->addRow(tr("Database:"), m_db);
    form->addRow(tr("ACL user:"), m_username);
    form->addRow(tr("Password:"), m_password);
    form->addRow(tr("Poll every:"), m_interval);
    form->addRow(tr("Queues to look for:"), m_sources);
    form->addRow(tr("Cluster address map:"), m_clusterMap);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_tls);
    layout->addWidget(m_sentinel);
    layout->addStretch(1);

    connect(m_url, &QLineEdit::editingFinished, this, [this] {
        if (!m_url->text().trimmed().isEmpty())
            fillFromUrl(m_url->text().trimmed());
    });
    connect(m_password, &QLineEdit::textEdited, this, [this] { m_passwordEdited = true; });
    connect(m_environment, &QComboBox::currentTextChanged, this, [this](const QString &text) {
        if (!m_loading && text.toLower().startsWith(QLatin1String("prod")))
            m_readOnly->setChecked(true); // production starts read-only; unticking is deliberate
    });
    // Only the operator edits: setProfile() changes every field and must not look like an edit
    // (the dialog stores the form over its entry on `edited`, half-loaded otherwise).
    const auto notify = [this] {
        if (!m_loading)
            Q_EMIT edited();
    };
    for (QLineEdit *edit : findChildren<QLineEdit *>())
        connect(edit, &QLineEdit::textEdited, this, notify);
    connect(m_readOnly, &QCheckBox::toggled, this, notify);
    connect(m_sentinel, &SentinelFields::edited, this, notify);
    connect(m_tls, &QGroupBox::toggled, this, notify);
    connect(m_skipVerify, &QCheckBox::toggled, this, notify);
    connect(m_environment, &QComboBox::currentTextChanged, this, notify);
    connect(m_port, &QSpinBox::valueChanged, this, notify);
    connect(m_db, &QSpinBox::valueChanged, this, notify);
    connect(m_interval, &QDoubleSpinBox::valueChanged, this, notify);
    setProfile({}, false);
}

QLineEdit *ProfileForm::addFileRow(QFormLayout *form, const QString &label, const QString &filter)
{
    auto *row = new QWidget(m_tls);
    auto *edit = new QLineEdit(row);
    auto *browse = new QPushButton(tr("Browse…"), row);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this, edit, label, filter] {
        const QString file = QFileDialog::getOpenFileName(this, label, edit->text(), filter);
        if (!file.isEmpty()) {
            edit->setText(file);
            Q_EMIT edited();
        }
    });
    form->addRow(label, row);
    return edit;
}

void ProfileForm::setProfile(const core::ConnectionProfile &p, bool passwordStored)
{
    m_loading = true;
    m_base = p;
    m_name->setText(p.name);
    m_environment->setCurrentText(p.environment);
    m_readOnly->setChecked(p.readOnly);
    m_url->clear();
    m_urlMessage->hide();
    m_host->setText(p.host);
    m_port->setValue(p.port);
    m_socket->setText(p.unixSocket);
    m_db->setValue(p.db);
    m_username->setText(p.username);
    m_password->setText(p.password);
    setPasswordStored(passwordStored);
    m_passwordEdited = !p.password.isEmpty();
    m_tls->setChecked(p.tls.enabled);
    m_skipVerify->setChecked(!p.tls.verifyPeer);
    m_caFile->setText(p.tls.caFile);
    m_certFile->setText(p.tls.certFile);
    m_keyFile->setText(p.tls.keyFile);
    m_serverName->setText(p.tls.serverName);
    m_interval->setValue(p.pollIntervalMs / 1000.0);
    m_sources->setText(p.queueSources.join(QStringLiteral(", ")));
    m_clusterMap->setText(p.clusterAddressMap.join(QStringLiteral(", ")));
    m_sentinel->setOptions(p.sentinel);
    m_shownAtLoad = readFields();
    m_loading = false;
}

void ProfileForm::setPasswordStored(bool stored)
{
    m_password->setPlaceholderText(stored ? tr("stored in the keychain (type to replace)")
                                          : tr("none"));
}

namespace {

// `member` of `shown` replaces the loaded value only when the operator changed that field.
template <typename Owner, typename Value>
void takeIfChanged(Value Owner::*member, Owner &out, const Owner &atLoad, const Owner &shown)
{
    if (!(shown.*member == atLoad.*member))
        out.*member = shown.*member;
}

// "a, b ,, c" -> {"a", "b", "c"}
QStringList commaSeparated(const QString &text)
{
    QStringList items;
    for (const QString &item : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!item.trimmed().isEmpty())
            items << item.trimmed();
    }
    return items;
}

} // namespace

core::ConnectionProfile ProfileForm::profile() const
{
    // The profile as loaded, with the fields the operator changed. A value the widgets cannot
    // show exactly (an interval of 1,250 ms, a name with trailing spaces, a port or db out of
    // a spin box's range) stays as it was unless its field is edited: saving an untouched
    // profile never changes it.
    using P = core::ConnectionProfile;
    using T = core::TlsOptions;
    const P shown = readFields();
    P p = m_base;
    for (auto member : {&P::name, &P::environment, &P::host, &P::unixSocket, &P::username})
        takeIfChanged(member, p, m_shownAtLoad, shown);
    takeIfChanged(&P::port, p, m_shownAtLoad, shown);
    for (auto member : {&P::db, &P::pollIntervalMs})
        takeIfChanged(member, p, m_shownAtLoad, shown);
    takeIfChanged(&P::readOnly, p, m_shownAtLoad, shown);
    takeIfChanged(&P::queueSources, p, m_shownAtLoad, shown);
    takeIfChanged(&P::clusterAddressMap, p, m_shownAtLoad, shown);
    takeIfChanged(&P::sentinel, p, m_shownAtLoad, shown);
    for (auto member : {&T::enabled, &T::verifyPeer})
        takeIfChanged(member, p.tls, m_shownAtLoad.tls, shown.tls);
    for (auto member : {&T::caFile, &T::certFile, &T::keyFile, &T::serverName})
        takeIfChanged(member, p.tls, m_shownAtLoad.tls, shown.tls);
    p.password = shown.password;
    return p;
}

core::ConnectionProfile ProfileForm::readFields() const
{
    core::ConnectionProfile p = m_base;
    p.name = m_name->text().trimmed();
    p.environment = m_environment->currentText().trimmed();
    p.readOnly = m_readOnly->isChecked();
    p.host = m_host->text().trimmed();
    p.port = quint16(m_port->value());
    p.unixSocket = m_socket->text().trimmed();
    p.db = m_db->value();
    p.username = m_username->text();
    p.password = m_passwordEdited ? m_password->text() : QString();
    p.tls.enabled = m_tls->isChecked();
    p.tls.verifyPeer = !m_skipVerify->isChecked();
    p.tls.caFile = m_caFile->text().trimmed();
    p.tls.certFile = m_certFile->text().trimmed();
    p.tls.keyFile = m_keyFile->text().trimmed();
    p.tls.serverName = m_serverName->text().trimmed();
    p.pollIntervalMs = int(m_interval->value() * 1000);
    p.sentinel = m_sentinel->options();
    p.queueSources = commaSeparated(m_sources->text());
    p.clusterAddressMap = commaSeparated(m_clusterMap->text());
    return p;
}

QString ProfileForm::validate() const
{
    const core::ConnectionProfile p = profile();
    if (p.name.isEmpty())
        return tr("The profile needs a name.");
    if (p.unixSocket.isEmpty() && p.host.isEmpty())
        return tr("The profile needs a host (or a unix socket).");
    if (const QString problem = core::sentinelProblem(p); !problem.isEmpty())
        return problem;
    if (const auto map = core::parseClusterAddressMap(p.clusterAddressMap); !map)
        return map.error();
    if (p.tls.certFile.isEmpty() != p.tls.keyFile.isEmpty())
        return tr("Mutual TLS needs both the client certificate and its key.");
    for (const QString &source : p.queueSources) {
        QString error;
        if (!frameworks::parseQueueSource(source, &error))
            return error;
    }
    return {};
}

bool ProfileForm::fillFromUrl(const QString &url)
{
    const core::Result<core::ConnectionProfile> parsed = core::parseRedisUrl(url);
    if (!parsed) {
        m_urlMessage->setText(parsed.error());
        m_urlMessage->setStyleSheet(QStringLiteral("color: #b3261e"));
        m_urlMessage->show();
        return false;
    }
    const core::ConnectionProfile &p = parsed.value();
    m_host->setText(p.host);
    m_port->setValue(p.port);
    m_socket->setText(p.unixSocket);
    m_db->setValue(p.db);
    m_username->setText(p.username);
    if (!p.password.isEmpty()) {
        m_password->setText(p.password);
        m_passwordEdited = true;
    }
    m_tls->setChecked(p.tls.enabled);
    m_sentinel->setOptions(p.sentinel);
    // The pasted URL holds a password: it moves into the password field, out of sight.
    m_url->clear();
    m_urlMessage->setText(tr("Filled from %1").arg(p.displayUrl()));
    m_urlMessage->setStyleSheet(QString());
    m_urlMessage->show();
    Q_EMIT edited();
    return true;
}

} // namespace qs::widgets
