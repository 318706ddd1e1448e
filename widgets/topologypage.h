#pragma once

#include "monitor/nodehistory.h"

#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace qs::session {
class ServerSession;
}
namespace qs::monitor {
class TopologyModel;
}

namespace qs::widgets {

class NodeCharts;

// The "Topology" page of one server: what the data is served by (a standalone server and its
// replicas, every node of a cluster, a Sentinel group) as one summary line and a node table
// (role, master, state, slots, keys, memory, ops/s, clients, replication offset, lag), refreshed
// by every poll. A failed poll keeps the last table and says how old it is. Where more than one
// node is polled on its own (a cluster, a Sentinel group), charts of each node's memory and
// ops/sec follow, with the failovers marked.
class TopologyPage final : public QWidget
{
    Q_OBJECT
public:
    explicit TopologyPage(session::ServerSession *session, QWidget *parent = nullptr);

    monitor::TopologyModel *model() const { return m_model; }
    NodeCharts *nodeCharts() const { return m_charts; }

private:
    void onPolled();

    session::ServerSession *m_session = nullptr;
    monitor::TopologyModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QLabel *m_summary = nullptr;
    QTableView *m_view = nullptr;
    NodeCharts *m_charts = nullptr;
    monitor::NodeHistory m_nodeHistory;
    qint64 m_shownAtMs = 0; // the poll the table shows
    bool m_sized = false;
};

} // namespace qs::widgets
