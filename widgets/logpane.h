#pragma once

#include <QPlainTextEdit>

namespace qs::widgets {

// Everything worth knowing afterwards: errors, reconnects, health changes. Bounded, so a window
// left open for a week does not grow without limit. Never receives a secret: callers pass
// already-redacted text (profile names and redacted URLs only).
class LogPane final : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit LogPane(QWidget *parent = nullptr);

    void append(const QString &source, const QString &message);
};

} // namespace qs::widgets
