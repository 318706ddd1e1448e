#pragma once

#include "core/connectionprofile.h"
#include "redis/connectionstatus.h"

#include <QMainWindow>

class QLabel;

namespace qs::redis {
class RedisConnection;
}

namespace qs::widgets {

// The window shell: the dashboard, queue and server pages arrive with their issues. For now it
// opens one server and shows the connection state in the status bar.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    void openServer(const core::ConnectionProfile &profile);

private:
    void showStatus(const redis::ConnectionStatus &status);

    redis::RedisConnection *m_connection = nullptr;
    QLabel *m_centre = nullptr;
    QLabel *m_state = nullptr;
};

} // namespace qs::widgets
