#pragma once

#include "core/connectionprofile.h"

#include <QList>
#include <QWidget>

class QGridLayout;
class QLabel;

namespace qs::core {
class CredentialResolver;
}
namespace qs::session {
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
    // credentials: where the saved profiles' passwords come from (not owned; may be nullptr:
    // then every probe connects without one).
    explicit OverviewPage(core::CredentialResolver *credentials, QWidget *parent = nullptr);
    ~OverviewPage() override;

    void setProfiles(const QList<core::ConnectionProfile> &profiles);
    QList<session::ProfileProbe *> probes() const { return m_probes; }
    QList<ProfileTile *> tiles() const { return m_tiles; }

Q_SIGNALS:
    void openRequested(const QString &profileName);
    void manageRequested();
    void probeUpdated(qs::session::ProfileProbe *probe);

private:
    void clear();

    core::CredentialResolver *m_credentials = nullptr;
    QGridLayout *m_grid = nullptr;
    QLabel *m_empty = nullptr;
    QList<session::ProfileProbe *> m_probes;
    QList<ProfileTile *> m_tiles;
};

} // namespace qs::widgets
