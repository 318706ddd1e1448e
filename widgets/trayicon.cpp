#include "trayicon.h"

#include "statuscolors.h"

#include <QMenu>
#include <QPainter>
#include <QPixmap>
#include <QSystemTrayIcon>

namespace qs::widgets {

namespace {

using Level = monitor::ServerNotification::Level;

std::optional<bool> availableForTest;

QIcon dot(Level level)
{
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const HealthLevel health = level == Level::Critical  ? HealthLevel::Critical
                               : level == Level::Warning ? HealthLevel::Warning
                                                         : HealthLevel::Good;
    painter.setBrush(levelColor(health));
    painter.setPen(QPen(Qt::black, 1.5));
    painter.drawEllipse(QRectF(3, 3, 26, 26));
    return QIcon(pixmap);
}

} // namespace

TrayIcon::TrayIcon(QObject *parent)
    : QObject(parent)
    , m_menu(std::make_unique<QMenu>())
{
    m_show = m_menu->addAction(tr("Show QueueScope"), this, [this] { Q_EMIT activated(); });
    m_menu->addSeparator();
    m_quit = m_menu->addAction(tr("Quit QueueScope"), this, [this] { Q_EMIT quitRequested(); });
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(dot(Level::Info), this);
    m_tray->setContextMenu(m_menu.get());
    connect(m_tray, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason != QSystemTrayIcon::Context)
                    Q_EMIT activated();
            });
    m_tray->show();
    refresh();
}

TrayIcon::~TrayIcon() = default;

bool TrayIcon::isAvailable() const
{
    return availableForTest.value_or(m_tray != nullptr);
}

void TrayIcon::setAvailableForTest(std::optional<bool> available)
{
    availableForTest = available;
}

bool TrayIcon::isVisible() const
{
    return m_tray && m_tray->isVisible();
}

void TrayIcon::report(const monitor::ServerState &state)
{
    const QList<monitor::ServerNotification> notifications = m_alerts.update(state);
    for (const monitor::ServerNotification &n : notifications)
        notify(n);
    refresh();
}

void TrayIcon::notify(const monitor::ServerNotification &n)
{
    if (m_tray && QSystemTrayIcon::supportsMessages())
        m_tray->showMessage(n.title, n.message,
                            n.level == Level::Critical  ? QSystemTrayIcon::Critical
                            : n.level == Level::Warning ? QSystemTrayIcon::Warning
                                                        : QSystemTrayIcon::Information);
    Q_EMIT notified(n);
}

void TrayIcon::forget(const QString &name)
{
    m_alerts.forget(name);
    refresh();
}

QString TrayIcon::toolTip() const
{
    QStringList lines{QStringLiteral("QueueScope")};
    for (const monitor::ServerState &state : m_alerts.states()) {
        const QString verdict = !state.reachable ? tr("unreachable")
                                : state.health   ? monitor::statusName(*state.health)
                                                 : tr("connecting");
        lines << QStringLiteral("%1: %2").arg(state.name, verdict);
    }
    return lines.join(QLatin1Char('\n'));
}

void TrayIcon::refresh()
{
    if (!m_tray)
        return;
    m_tray->setIcon(dot(m_alerts.overall()));
    m_tray->setToolTip(toolTip());
}

} // namespace qs::widgets
