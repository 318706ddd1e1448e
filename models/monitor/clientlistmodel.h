#pragma once

#include "monitor/clientlist.h"

#include "core/rowtablemodel.h"

namespace qs::monitor {

// CLIENT LIST as a table. Rows are merged by node and client id on every refresh (never reset), so
// the selection and scroll position of a view survive polling. Views sort through a proxy on
// SortRole; row actions (kill) live in the page, not here.
class ClientListModel final : public core::RowTableModel<ClientInfo>
{
    Q_OBJECT
public:
    // Node: the cluster node that listed the client (views hide it off a cluster).
    enum class Column { Id, Address, Name, User, Db, Age, Idle, Command, Flags, Memory, Node };
    static constexpr int ColumnCount = int(Column::Node) + 1;

    explicit ClientListModel(QObject *parent = nullptr);

    void setClients(const QList<ClientInfo> &clients);
    const ClientInfo &client(int row) const { return rows().at(row); }

private:
    static QList<core::ColumnSpec<ClientInfo>> columns();
};

// "42 s", "12 min", "3 h 5 min", "2 d 4 h": how long a client has been connected or idle.
QString formatSeconds(qint64 seconds);

} // namespace qs::monitor
