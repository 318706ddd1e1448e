#include "timerangedialog.h"

#include <QDateTime>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QPushButton>

namespace qs::widgets {

namespace {

constexpr qint64 kOldestDays = 90;

QDateTimeEdit *timeEdit(qint64 ms, QWidget *parent)
{
    auto *edit = new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(ms).toLocalTime(), parent);
    edit->setCalendarPopup(true);
    edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    const QDateTime now = QDateTime::currentDateTime();
    edit->setDateTimeRange(now.addDays(-kOldestDays), now.addDays(1));
    return edit;
}

} // namespace

TimeRangeDialog::TimeRangeDialog(qint64 fromMs, qint64 toMs, QWidget *parent)
    : QDialog(parent)
    , m_from(timeEdit(fromMs, this))
    , m_to(timeEdit(toMs, this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Chart range"));
    auto *form = new QFormLayout(this);
    form->addRow(tr("&From:"), m_from);
    form->addRow(tr("&To:"), m_to);
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto check = [this] {
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(this->fromMs() < this->toMs());
    };
    connect(m_from, &QDateTimeEdit::dateTimeChanged, this, check);
    connect(m_to, &QDateTimeEdit::dateTimeChanged, this, check);
    check();
}

qint64 TimeRangeDialog::fromMs() const
{
    return m_from->dateTime().toMSecsSinceEpoch();
}

qint64 TimeRangeDialog::toMs() const
{
    return m_to->dateTime().toMSecsSinceEpoch();
}

} // namespace qs::widgets
