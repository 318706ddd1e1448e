#pragma once

#include "queues/queueref.h"

#include <QSortFilterProxyModel>

#include <optional>

namespace qs::widgets {

// The Workers page's view of a WorkerTreeModel: a text filter over worker, host and queues, one
// framework or all, offline workers shown or not, and each row's text in its state's colour
// (busy green, quiet/suspended amber, offline red); group rows in bold.
class WorkerFilter final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit WorkerFilter(QObject *parent = nullptr);

    void setText(const QString &text);
    void setFramework(std::optional<queues::Framework> framework);
    void setShowOffline(bool show);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    std::optional<queues::Framework> m_framework;
    bool m_showOffline = true;
};

} // namespace qs::widgets
