#pragma once

#include "alerts/alertlog.h"

#include "core/rowtablemodel.h"

namespace qs::alerts {

// The stored alert events of a server as a table for the Alerts page. Rows are merged by event
// id (never reset), so a view's selection survives new events; views sort through a proxy on
// SortRole (the Time column sorts by id: the order they happened in).
class AlertEventModel final : public core::RowTableModel<StoredAlert>
{
    Q_OBJECT
public:
    enum class Column { Time, State, Severity, Rule, Queue, Message, Acknowledged, Notifier };
    static constexpr int ColumnCount = int(Column::Notifier) + 1;
    static constexpr int IdRole = Qt::UserRole + 2;
    // int(Severity) of a fired or flapping event nobody acknowledged yet; null otherwise.
    static constexpr int AttentionRole = Qt::UserRole + 3;

    explicit AlertEventModel(QObject *parent = nullptr);

    void setEvents(const QList<StoredAlert> &events);
    const StoredAlert &eventAt(int row) const { return rows().at(row); }

protected:
    QVariant rowData(const StoredAlert &row, int role) const override;

private:
    static QList<core::ColumnSpec<StoredAlert>> columns();
};

} // namespace qs::alerts
