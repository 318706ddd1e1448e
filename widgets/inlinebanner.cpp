#include "inlinebanner.h"

#include <QHBoxLayout>
#include <QLabel>

namespace qs::widgets {

InlineBanner::InlineBanner(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(m_label);
    hide();
}

void InlineBanner::showMessage(const QString &text, HealthLevel level)
{
    m_label->setText(text);
    QPalette pal = palette();
    pal.setColor(QPalette::Window,
                 blend(parentWidget() ? parentWidget()->palette().color(QPalette::Base)
                                      : pal.color(QPalette::Base),
                       levelColor(level), 0.35));
    setPalette(pal);
    show();
}

void InlineBanner::clear()
{
    m_label->clear();
    hide();
}

QString InlineBanner::text() const
{
    return m_label->text();
}

} // namespace qs::widgets
