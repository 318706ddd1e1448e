#include "auditlogdialog.h"

#include "jobs/auditlog.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace qs::widgets {

namespace {

QString what(const QJsonObject &entry)
{
    if (entry.value(QLatin1String("all")).toBool())
        return QObject::tr("all %1").arg(entry.value(QLatin1String("state")).toString());
    const int count = entry.value(QLatin1String("idCount")).toInt();
    if (count == 0)
        return QObject::tr("queue");
    QStringList ids;
    const QJsonArray logged = entry.value(QLatin1String("ids")).toArray();
    for (qsizetype i = 0; i < qMin<qsizetype>(5, logged.size()); ++i)
        ids << logged.at(i).toString().left(40);
    return QObject::tr("%n job(s): ", "", count) + ids.join(QStringLiteral(", ")) +
           (count > 5 ? QStringLiteral(", …") : QString());
}

QString outcome(const QJsonObject &result)
{
    const QString kind = result.value(QLatin1String("outcome")).toString();
    QString text = kind;
    if (result.contains(QLatin1String("done")))
        text += QObject::tr(": %1 done, %2 skipped")
                    .arg(result.value(QLatin1String("done")).toInteger())
                    .arg(result.value(QLatin1String("skipped")).toInteger());
    const QString error = result.value(QLatin1String("error")).toString();
    if (!error.isEmpty())
        text += QStringLiteral(" — ") + error;
    return text;
}

} // namespace

AuditLogDialog::AuditLogDialog(QWidget *parent, const QString &path)
    : QDialog(parent)
    , m_table(new QTableWidget(this))
{
    const jobs::AuditLog log(path.isEmpty() ? jobs::AuditLog::defaultPath() : path);
    setWindowTitle(tr("Audit log"));
    resize(1100, 520);
    const QStringList headers{tr("Time"),  tr("Origin"), tr("Profile"), tr("Server"),
                              tr("Queue"), tr("Action"), tr("Jobs"),    tr("Result")};
    m_table->setColumnCount(int(headers.size()));
    m_table->setHorizontalHeaderLabels(headers);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    QList<QJsonObject> entries = log.readLast(maxEntries);
    std::reverse(entries.begin(), entries.end());
    m_table->setRowCount(int(entries.size()));
    for (int row = 0; row < entries.size(); ++row) {
        const QJsonObject &e = entries.at(row);
        const QDateTime time =
            QDateTime::fromString(e.value(QLatin1String("time")).toString(), Qt::ISODateWithMs);
        QString profile = e.value(QLatin1String("profile")).toString();
        if (const QString env = e.value(QLatin1String("environment")).toString(); !env.isEmpty())
            profile += QStringLiteral(" [%1]").arg(env);
        const QStringList cells{time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                                e.value(QLatin1String("origin")).toString(),
                                profile,
                                e.value(QLatin1String("server")).toString(),
                                e.value(QLatin1String("queue")).toString(),
                                e.value(QLatin1String("action")).toString(),
                                what(e),
                                outcome(e.value(QLatin1String("result")).toObject())};
        for (int column = 0; column < cells.size(); ++column)
            m_table->setItem(row, column, new QTableWidgetItem(cells.at(column)));
    }
    m_table->resizeColumnsToContents();
    auto *where =
        new QLabel(tr("%n entries from %1", "", int(entries.size())).arg(log.path()), this);
    where->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(where);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
}

} // namespace qs::widgets
