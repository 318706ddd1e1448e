#pragma once

#include <QHash>
#include <QList>
#include <QPair>
#include <QString>

namespace qs::session {
class ServerSession;
}

namespace qs::widgets {

class KpiTile;

// Tile ids and titles, in display order.
QList<QPair<QString, QString>> dashboardTileTitles();

// Fills every tile from the session's latest poll and health, with its warning level.
void updateDashboardTiles(const QHash<QString, KpiTile *> &tiles,
                          const session::ServerSession &session);

} // namespace qs::widgets
