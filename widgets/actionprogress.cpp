#include "actionprogress.h"

#include "jobs/auditlog.h"
#include "jobs/bulkaction.h"
#include "redis/redisconnection.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace qs::widgets {

ActionProgress::ActionProgress(QWidget *parent)
    : QWidget(parent)
    , m_bar(new QProgressBar(this))
    , m_label(new QLabel(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
{
    m_cancel->setToolTip(tr("Stop after the batch in flight: what was done stays done"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar, 1);
    layout->addWidget(m_cancel);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_action) {
            m_action->cancel();
            m_cancel->setEnabled(false);
            m_label->setText(tr("Cancelling after this batch…"));
        }
    });
    hide();
}

bool ActionProgress::isRunning() const
{
    return !m_action.isNull();
}

void ActionProgress::run(redis::RedisConnection *connection, const jobs::ActionRequest &request)
{
    if (m_action)
        return;
    m_profile = connection->profile();
    m_action = new jobs::BulkAction(connection, request, this);
    connect(m_action, &jobs::BulkAction::progress, this, &ActionProgress::onProgress);
    connect(m_action, &jobs::BulkAction::finished, this, &ActionProgress::onFinished);
    m_bar->setRange(0, 0); // busy until the first batch says how far it got
    m_label->setText(
        tr("%1 on %2…").arg(jobs::actionName(request.action), request.queue.displayName()));
    m_cancel->setEnabled(true);
    show();
    Q_EMIT started();
    m_action->start();
}

void ActionProgress::onProgress(const jobs::ActionProgress &progress)
{
    if (progress.total > 0) {
        m_bar->setRange(0, int(qMin<qint64>(progress.total, INT_MAX)));
        m_bar->setValue(int(qMin<qint64>(progress.done + progress.skipped, progress.total)));
    }
    if (m_cancel->isEnabled())
        m_label->setText(tr("%1 done, %2 skipped (%3 batches)")
                             .arg(progress.done)
                             .arg(progress.skipped)
                             .arg(progress.calls));
}

void ActionProgress::onFinished(const jobs::ActionSummary &summary)
{
    jobs::AuditLog().append(m_profile, summary, QStringLiteral("gui"));
    m_action->deleteLater();
    m_action = nullptr;
    hide();
    Q_EMIT finished(summary);
}

} // namespace qs::widgets
