#pragma once

#include <QFrame>

class QLabel;

namespace qs::widgets {

// One key figure on the dashboard: a title, a big value, a detail line, and a level that
// colours the tile (so a red tile is visible from across the room at 3 a.m.).
class KpiTile final : public QFrame
{
    Q_OBJECT
public:
    enum class Level { Unknown, Normal, Warning, Critical };

    explicit KpiTile(const QString &title, QWidget *parent = nullptr);

    void setValue(const QString &value, const QString &detail = {}, Level level = Level::Normal);
    QString value() const;
    QString detail() const;
    Level level() const { return m_level; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyLevel();

    QLabel *m_title = nullptr;
    QLabel *m_value = nullptr;
    QLabel *m_detail = nullptr;
    Level m_level = Level::Unknown;
};

} // namespace qs::widgets
