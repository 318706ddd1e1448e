#pragma once

#include <QFrame>

class QLabel;

namespace qs::session {
class ProfileProbe;
}

namespace qs::widgets {

// One profile on the overview: its name under its environment's colour, then its state,
// memory against maxmemory, ops/sec, clients, failed jobs (with the change since the last
// poll) and the last error. Clicking it asks to open the server.
class ProfileTile final : public QFrame
{
    Q_OBJECT
public:
    explicit ProfileTile(session::ProfileProbe *probe, QWidget *parent = nullptr);

    void refresh();
    QString workersText() const; // "workers: 3 live of 4 seen", "" before the first scan
    session::ProfileProbe *probe() const { return m_probe; }
    QString stateText() const;
    QString failedText() const;
    QString errorText() const; // the last error, shown while the server is unreachable

Q_SIGNALS:
    void clicked();

protected:
    void mouseReleaseEvent(class QMouseEvent *event) override;

private:
    session::ProfileProbe *m_probe = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_numbers = nullptr;
    QLabel *m_failed = nullptr;
    QLabel *m_workers = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace qs::widgets
