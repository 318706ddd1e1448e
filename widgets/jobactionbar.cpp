#include "jobactionbar.h"

#include "frameworks/registry.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace qs::widgets {

using jobs::JobAction;
using jobs::Selection;

JobActionBar::JobActionBar(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QHBoxLayout(this))
    , m_info(new QLabel(this))
{
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_info->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxInformation).pixmap(size, size));
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->addStretch(1);
    m_layout->addWidget(m_info);
}

void JobActionBar::clear()
{
    for (const Entry &entry : m_entries)
        delete entry.button;
    m_entries.clear();
}

void JobActionBar::add(JobAction action, bool all, const QString &text, const QString &tip)
{
    auto *button = new QToolButton(this);
    button->setText(text);
    button->setToolTip(tip);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    connect(button, &QToolButton::clicked, this,
            [this, action, all] { Q_EMIT actionRequested(action, all); });
    m_layout->insertWidget(m_layout->count() - 2, button);
    m_entries.append({action, all, button});
}

void JobActionBar::setFramework(queues::Framework framework, bool readOnly,
                                const QString &readOnlyReason)
{
    clear();
    m_framework = framework;
    m_readOnly = readOnly;
    m_readOnlyReason = readOnlyReason;
    QStringList missing;
    for (JobAction action :
         {JobAction::Retry, JobAction::Promote, JobAction::Remove, JobAction::Clean,
          JobAction::Pause, JobAction::Resume, JobAction::Drain, JobAction::Restore}) {
        const jobs::ActionSupport support = frameworks::actionSupport(framework, action);
        if (!support.supported) {
            missing << tr("%1: %2").arg(jobs::actionName(action), support.reason);
            continue;
        }
        switch (support.selection) {
        case Selection::IdsOrAll:
            add(action, false, tr("%1 selected").arg(support.label),
                tr("%1 the selected jobs").arg(support.label));
            add(action, true, tr("%1 all").arg(support.label),
                tr("%1 every job of this state, in bounded batches").arg(support.label));
            break;
        case Selection::Ids:
            add(action, false, tr("%1 selected").arg(support.label),
                tr("%1 the selected jobs").arg(support.label));
            break;
        case Selection::All:
            add(action, true, tr("%1…").arg(support.label),
                tr("%1 the jobs of this state, optionally older than an age").arg(support.label));
            break;
        case Selection::Queue:
            add(action, false, support.destructive ? tr("%1…").arg(support.label) : support.label,
                tr("%1 the queue").arg(support.label));
            break;
        }
    }
    m_info->setVisible(!missing.isEmpty());
    m_info->setToolTip(tr("Not available for %1:\n").arg(queues::frameworkName(framework)) +
                       missing.join(QLatin1Char('\n')));
}

void JobActionBar::updateFor(const QString &state, int selectedJobs, bool connected, bool busy)
{
    for (const Entry &entry : m_entries) {
        const jobs::ActionSupport support = frameworks::actionSupport(m_framework, entry.action);
        bool enabled = connected && !busy && !m_readOnly;
        if (support.selection != Selection::Queue && !support.states.isEmpty())
            enabled = enabled && support.actsOn(state);
        if (!entry.all && support.selection != Selection::Queue)
            enabled = enabled && selectedJobs > 0;
        entry.button->setEnabled(enabled);
        if (m_readOnly)
            entry.button->setToolTip(m_readOnlyReason);
    }
}

QToolButton *JobActionBar::button(JobAction action, bool all) const
{
    for (const Entry &entry : m_entries) {
        if (entry.action == action && entry.all == all)
            return entry.button;
    }
    return nullptr;
}

QString readOnlyReason(const core::ConnectionProfile &profile)
{
    if (!profile.readOnly)
        return {};
    return JobActionBar::tr("Profile “%1” is read-only: QueueScope sends no write to this server.")
        .arg(profile.name.isEmpty() ? profile.displayUrl() : profile.name);
}

} // namespace qs::widgets
