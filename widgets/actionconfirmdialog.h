#pragma once

#include "queues/actionsupport.h"

#include "core/connectionprofile.h"

#include <QDialog>

class QCheckBox;
class QLineEdit;
class QPushButton;

namespace qs::widgets {

// Asks before an action runs, naming everything it touches: the server and its environment
// tag, the queue, the action and how many jobs. On production a destructive action also needs
// the queue's name typed in. Carries the action's options (older than, reset attempts, delayed).
class ActionConfirmDialog final : public QDialog
{
    Q_OBJECT
public:
    ActionConfirmDialog(const core::ConnectionProfile &profile, const jobs::ActionRequest &request,
                        const QString &howMany, QWidget *parent = nullptr);

    // The request with the options chosen in the dialog; valid after accept().
    jobs::ActionRequest request() const;
    QPushButton *acceptButton() const { return m_accept; }
    QLineEdit *typedName() const { return m_typed; }
    QLineEdit *age() const { return m_age; }

private:
    void updateAccept();

    jobs::ActionRequest m_request;
    jobs::ActionSupport m_support;
    QLineEdit *m_typed = nullptr; // production + destructive only
    QLineEdit *m_age = nullptr;   // actions that take an age
    QCheckBox *m_reset = nullptr;
    QCheckBox *m_delayed = nullptr;
    QPushButton *m_accept = nullptr;
};

} // namespace qs::widgets
