#include "actionconfirmdialog.h"

#include "statuscolors.h"

#include "frameworks/registry.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace qs::widgets {

namespace {

// Empty = no age limit; -1 = malformed.
qint64 parseAge(const QString &text)
{
    if (text.trimmed().isEmpty())
        return 0;
    return jobs::parseAgeMs(text).value_or(-1);
}

} // namespace

ActionConfirmDialog::ActionConfirmDialog(const core::ConnectionProfile &profile,
                                         const jobs::ActionRequest &request, const QString &howMany,
                                         QWidget *parent)
    : QDialog(parent)
    , m_request(request)
    , m_support(frameworks::actionSupport(request.queue.framework, request.action))
{
    setWindowTitle(tr("%1 — %2").arg(m_support.label, request.queue.displayName()));
    auto *form = new QFormLayout;
    QString server = profile.name.isEmpty() ? profile.displayUrl()
                                            : tr("%1 (%2)").arg(profile.name, profile.displayUrl());
    auto *serverLabel = new QLabel(server.toHtmlEscaped(), this);
    if (!profile.environment.isEmpty()) {
        serverLabel->setText(QStringLiteral("<span style='background:%1;color:white;padding:2px;"
                                            "font-weight:bold'>&nbsp;%2&nbsp;</span> %3")
                                 .arg(environmentColor(profile.environment).name(),
                                      profile.environment.toUpper().toHtmlEscaped(),
                                      server.toHtmlEscaped()));
    }
    form->addRow(tr("Server:"), serverLabel);
    form->addRow(tr("Queue:"), new QLabel(QStringLiteral("%1 — %2").arg(
                                              queues::frameworkName(request.queue.framework),
                                              request.queue.displayName()),
                                          this));
    auto *what = new QLabel(QStringLiteral("<b>%1</b> %2")
                                .arg(m_support.label.toHtmlEscaped(), howMany.toHtmlEscaped()),
                            this);
    form->addRow(tr("Action:"), what);
    if (m_support.takesAge) {
        m_age = new QLineEdit(this);
        m_age->setPlaceholderText(tr("any age (e.g. 1h, 7d)"));
        if (request.olderThanMs > 0)
            m_age->setText(QString::number(request.olderThanMs / 1000) + QLatin1Char('s'));
        form->addRow(tr("Only jobs older than:"), m_age);
        connect(m_age, &QLineEdit::textChanged, this, &ActionConfirmDialog::updateAccept);
    }
    if (m_support.offersResetAttempts) {
        m_reset =
            new QCheckBox(tr("Reset attempts (a full retry budget, not one more attempt)"), this);
        form->addRow(QString(), m_reset);
    }
    if (m_support.offersDelayed) {
        m_delayed = new QCheckBox(tr("Also the delayed jobs"), this);
        form->addRow(QString(), m_delayed);
    }
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    const bool production = profile.environment.toLower().startsWith(QLatin1String("prod"));
    if (m_support.destructive) {
        auto *warning = new QLabel(tr("This deletes jobs; it cannot be undone."), this);
        warning->setStyleSheet(QStringLiteral("color:#b3261e;font-weight:bold"));
        layout->addWidget(warning);
    }
    if (m_support.destructive && production) {
        m_typed = new QLineEdit(this);
        m_typed->setPlaceholderText(request.queue.displayName());
        layout->addWidget(new QLabel(tr("Type the queue's name to confirm on production:"), this));
        layout->addWidget(m_typed);
        connect(m_typed, &QLineEdit::textChanged, this, &ActionConfirmDialog::updateAccept);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_accept = buttons->addButton(m_support.label, QDialogButtonBox::AcceptRole);
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    updateAccept();
}

void ActionConfirmDialog::updateAccept()
{
    bool ok = true;
    if (m_typed)
        ok = m_typed->text() == m_request.queue.displayName();
    if (m_age)
        ok = ok && parseAge(m_age->text()) >= 0;
    m_accept->setEnabled(ok);
}

jobs::ActionRequest ActionConfirmDialog::request() const
{
    jobs::ActionRequest request = m_request;
    if (m_age)
        request.olderThanMs = qMax<qint64>(0, parseAge(m_age->text()));
    if (m_reset)
        request.resetAttempts = m_reset->isChecked();
    if (m_delayed)
        request.includeDelayed = m_delayed->isChecked();
    return request;
}

} // namespace qs::widgets
