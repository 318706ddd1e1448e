#pragma once

#include "monitor/serverinspector.h"

#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QTreeWidget;
class QTreeWidgetItem;
class QAbstractItemModel;

namespace qs::widgets {

// The "Server" page of one connected server: slow log, client list and raw INFO from a
// ServerInspector, active while the page is visible (every RefreshIntervalMs, and on Refresh /
// F5). Errors of one command (NOPERM for a limited ACL user, a renamed command) show inline in
// that tab; the others keep working. Writes (SLOWLOG RESET, CLIENT KILL) ask first and are
// disabled on read-only profiles, where the connection layer refuses them as well.
class ServerPage final : public QWidget
{
    Q_OBJECT
public:
    static constexpr int RefreshIntervalMs = monitor::ServerInspector::defaultIntervalMs;

    explicit ServerPage(QWidget *parent = nullptr);
    ~ServerPage() override;

    // Not owned; may be nullptr. Replies still in flight for the previous one are dropped.
    void setConnection(redis::RedisConnection *connection);
    redis::RedisConnection *connection() const { return m_inspector->connection(); }

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    // After every completed refresh, whether or not all of it succeeded.
    void refreshed();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    struct TableTab
    {
        QWidget *page = nullptr;
        QLabel *banner = nullptr;
        QLineEdit *filter = nullptr;
        QSortFilterProxyModel *proxy = nullptr;
        QTableView *view = nullptr;
        QPushButton *action = nullptr;
        bool sized = false; // columns fitted to the first data
    };

    TableTab createTableTab(QAbstractItemModel *model, int sortRole, const QString &name,
                            const QString &actionText);
    QWidget *createInfoTab();
    void onRefreshed(const monitor::Inspection &inspection);
    void onActionFinished(monitor::ServerInspector::Part part, const QString &problem);
    // The Node columns (and the slow log ordered by time) on a Redis Cluster only.
    void showNodeColumns(bool cluster);
    void updateInfoTree(const redis::InfoSnapshot &info);
    void applyInfoFilter();
    void clearData();
    void updateActions();
    int selectedClientRow() const;
    void killSelectedClient();
    void resetSlowLog();
    bool confirm(const QString &title, const QString &text, const QString &informative,
                 const QString &acceptText);
    QString serverDescription() const;
    static void showBanner(QLabel *banner, const QString &message);
    static void fitColumnsOnce(TableTab &tab);

    monitor::ServerInspector *m_inspector = nullptr;
    QAction *m_refreshAction = nullptr;
    QLabel *m_status = nullptr;
    QTabWidget *m_tabs = nullptr;
    TableTab m_slowLog;
    TableTab m_clients;
    QLabel *m_infoBanner = nullptr;
    QLineEdit *m_infoFilter = nullptr;
    QTreeWidget *m_infoTree = nullptr;
};

} // namespace qs::widgets
