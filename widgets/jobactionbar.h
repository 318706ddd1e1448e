#pragma once

#include "core/connectionprofile.h"
#include "queues/actionsupport.h"

#include <QHash>
#include <QWidget>

class QHBoxLayout;
class QLabel;
class QToolButton;

namespace qs::widgets {

// The actions one framework supports on one queue, as buttons ("Retry selected", "Retry all",
// "Clean…", "Pause"…). What the framework cannot do is not offered; the information icon at the end
// says what is missing and why. Buttons are enabled for the state on screen and the selection.
class JobActionBar final : public QWidget
{
    Q_OBJECT
public:
    explicit JobActionBar(QWidget *parent = nullptr);

    void setFramework(queues::Framework framework, bool readOnly, const QString &readOnlyReason);
    void updateFor(const QString &state, int selectedJobs, bool connected, bool busy);
    QToolButton *button(jobs::JobAction action, bool all) const;
    QLabel *unsupportedInfo() const { return m_info; }

Q_SIGNALS:
    void actionRequested(qs::jobs::JobAction action, bool all);

private:
    struct Entry
    {
        jobs::JobAction action;
        bool all;
        QToolButton *button;
    };
    void clear();
    void add(jobs::JobAction action, bool all, const QString &text, const QString &tip);

    QHBoxLayout *m_layout = nullptr;
    QLabel *m_info = nullptr;
    QList<Entry> m_entries;
    queues::Framework m_framework = queues::Framework::BullMQ;
    bool m_readOnly = false;
    QString m_readOnlyReason;
};

// Why no write is offered on this profile's server ("Profile “prod” is read-only: ..."); empty
// when the profile is writable.
QString readOnlyReason(const core::ConnectionProfile &profile);

} // namespace qs::widgets
