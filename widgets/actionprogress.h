#pragma once

#include "core/connectionprofile.h"
#include "jobs/actionsummary.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace qs::redis {
class RedisConnection;
}
namespace qs::jobs {
class BulkAction;
}

namespace qs::widgets {

// Runs one confirmed action on a connection and shows it while it runs: a progress bar, what
// was done and skipped so far, and Cancel (between two bounded calls). Every action is written
// to the audit log when it ends. Hidden while idle.
class ActionProgress final : public QWidget
{
    Q_OBJECT
public:
    explicit ActionProgress(QWidget *parent = nullptr);

    void run(redis::RedisConnection *connection, const jobs::ActionRequest &request);
    bool isRunning() const;
    QPushButton *cancelButton() const { return m_cancel; }
    QProgressBar *bar() const { return m_bar; }

Q_SIGNALS:
    void started();
    void finished(const qs::jobs::ActionSummary &summary);

private:
    void onProgress(const jobs::ActionProgress &progress);
    void onFinished(const jobs::ActionSummary &summary);

    QPointer<jobs::BulkAction> m_action;
    core::ConnectionProfile m_profile;
    QProgressBar *m_bar = nullptr;
    QLabel *m_label = nullptr;
    QPushButton *m_cancel = nullptr;
};

} // namespace qs::widgets
