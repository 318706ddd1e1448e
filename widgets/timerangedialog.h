#pragma once

#include <QDialog>

class QDateTimeEdit;
class QDialogButtonBox;

namespace qs::widgets {

// Asks for a time range for the charts: from and to, in local time, to the minute, at most 90
// days back (what the history on disk keeps). OK only while "from" is before "to".
class TimeRangeDialog final : public QDialog
{
    Q_OBJECT
public:
    TimeRangeDialog(qint64 fromMs, qint64 toMs, QWidget *parent = nullptr);

    qint64 fromMs() const;
    qint64 toMs() const;
    QDateTimeEdit *fromEdit() const { return m_from; }
    QDateTimeEdit *toEdit() const { return m_to; }

private:
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace qs::widgets
