#pragma once

#include "core/connectionprofile.h"

#include <QList>
#include <QWidget>

class QGridLayout;
class QLabel;

namespace qs::core {
class SecretStore;
}
namespace qs::monitor {
class ProfileProbe;
}

namespace qs::widgets {

class ProfileTile;

// Every saved profile at once, a tile each (state, memory, ops/sec, clients, failed jobs with
// their trend, the last error), each polled lightly by its own ProfileProbe. A click opens the
// server. With no profile yet it says how to make one.
class OverviewPage final : public QWidget
{
    Q_OBJECT
public:
    explicit OverviewPage(core::SecretStore *secrets, QWidget *parent = nullptr);
    ~OverviewPage() override;

    void setProfiles(const QList<core::ConnectionProfile> &profiles);
    QList<monitor::ProfileProbe *> probes() const { return m_probes; }
    QList<ProfileTile *> tiles() const { return m_tiles; }

Q_SIGNALS:
    void openRequested(const QString &profileName);
    void manageRequested();
    void probeUpdated(qs::monitor::ProfileProbe *probe);

private:
    void clear();

    core::SecretStore *m_secrets = nullptr;
    QGridLayout *m_grid = nullptr;
    QLabel *m_empty = nullptr;
    QList<monitor::ProfileProbe *> m_probes;
    QList<ProfileTile *> m_tiles;
};

} // namespace qs::widgets
