#pragma once

#include <QDialog>

class QTableWidget;

namespace qs::widgets {

// The audit log (every action performed or refused, from the window and the command line),
// newest first, read from the file in the app data folder.
class AuditLogDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit AuditLogDialog(QWidget *parent = nullptr, const QString &path = {});
    QTableWidget *table() const { return m_table; }

    static constexpr int maxEntries = 1000;

private:
    QTableWidget *m_table = nullptr;
};

} // namespace qs::widgets
