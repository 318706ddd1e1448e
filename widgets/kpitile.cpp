#include "kpitile.h"

#include "statuscolors.h"

#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>

namespace qs::widgets {

KpiTile::KpiTile(const QString &title, QWidget *parent)
    : QFrame(parent)
    , m_title(new QLabel(title, this))
    , m_value(new QLabel(QStringLiteral("–"), this))
    , m_detail(new QLabel(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setMinimumWidth(110);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->setSpacing(1);
    QFont valueFont = m_value->font();
    valueFont.setPointSizeF(valueFont.pointSizeF() * 1.5);
    valueFont.setBold(true);
    m_value->setFont(valueFont);
    m_detail->setWordWrap(true);
    for (QLabel *label : {m_title, m_value, m_detail}) {
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(label);
    }
    applyLevel();
}

void KpiTile::setValue(const QString &value, const QString &detail, Level level)
{
    m_value->setText(value);
    m_detail->setText(detail);
    setToolTip(detail.isEmpty() ? value : value + QLatin1Char('\n') + detail);
    if (level != m_level) {
        m_level = level;
        applyLevel();
    }
}

QString KpiTile::value() const
{
    return m_value->text();
}

QString KpiTile::detail() const
{
    return m_detail->text();
}

void KpiTile::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !property("qs-applying").toBool())
        applyLevel();
}

void KpiTile::applyLevel()
{
    // Tint the tile from the current palette so that light and dark themes both read well.
    setProperty("qs-applying", true);
    QPalette pal = parentWidget() ? parentWidget()->palette() : QPalette();
    const QColor base = pal.color(QPalette::Base);
    const QColor tint = levelColor(m_level == Level::Critical  ? HealthLevel::Critical
                                   : m_level == Level::Warning ? HealthLevel::Warning
                                   : m_level == Level::Normal  ? HealthLevel::Good
                                                               : HealthLevel::Unknown);
    pal.setColor(QPalette::Window, blend(base, tint, m_level == Level::Normal ? 0.08 : 0.28));
    setPalette(pal);
    setProperty("qs-applying", false);
}

} // namespace qs::widgets
