#include "logpane.h"

#include <QDateTime>

namespace qs::widgets {

LogPane::LogPane(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setMaximumBlockCount(5'000);
    setLineWrapMode(QPlainTextEdit::WidgetWidth); // long errors wrap, never run off the right
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    setFont(QFont(QStringLiteral("monospace")));
}

void LogPane::append(const QString &source, const QString &message)
{
    const QString time = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"));
    appendPlainText(QStringLiteral("%1  %2  %3").arg(time, source, message));
}

} // namespace qs::widgets
