#pragma once

#include "statuscolors.h"

#include <QFrame>

class QLabel;

namespace qs::widgets {

// A message strip above a page for what the operator can act on (connection lost, reconnecting,
// authentication failed). Never modal; hidden when there is nothing to say.
class InlineBanner final : public QFrame
{
    Q_OBJECT
public:
    explicit InlineBanner(QWidget *parent = nullptr);

    void showMessage(const QString &text, HealthLevel level);
    void clear();
    QString text() const;

private:
    QLabel *m_label = nullptr;
};

} // namespace qs::widgets
