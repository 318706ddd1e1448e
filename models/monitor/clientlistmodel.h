#pragma once

#include "monitor/clientlist.h"

#include <QAbstractTableModel>

namespace qs::monitor {

// CLIENT LIST as a table. Rows are merged by client id on every refresh (never reset), so the
// selection and scroll position of a view survive polling. Views sort through a proxy on
// SortRole; row actions (kill) live in the page, not here.
class ClientListModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Column { Id, Address, Name, User, Db, Age, Idle, Command, Flags, Memory };
    static constexpr int ColumnCount = int(Column::Memory) + 1;
    // Raw values for sorting: numbers for the numeric columns, text for the others.
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit ClientListModel(QObject *parent = nullptr);

    void setClients(const QList<ClientInfo> &clients);
    const ClientInfo &client(int row) const { return m_clients.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant display(const ClientInfo &client, Column column) const;
    QVariant sortValue(const ClientInfo &client, Column column) const;
    QString toolTip(const ClientInfo &client, Column column) const;

    // setClients() merges through this helper (rowmerge.h), which needs the protected
    // begin/end row notifications.
    template <typename Model, typename Row, typename KeyOf>
    friend void mergeRowsByKey(Model &, QList<Row> &, const QList<Row> &, KeyOf);

    QList<ClientInfo> m_clients;
};

// "42 s", "12 min", "3 h 5 min", "2 d 4 h": how long a client has been connected or idle.
QString formatSeconds(qint64 seconds);

} // namespace qs::monitor
