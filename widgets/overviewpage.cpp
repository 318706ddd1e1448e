#include "overviewpage.h"

#include "profiletile.h"

#include "core/credentialresolver.h"
#include "session/profileprobe.h"

#include <QGridLayout>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace qs::widgets {

namespace {

constexpr int columns = 3;

} // namespace

OverviewPage::OverviewPage(core::CredentialResolver *credentials, QWidget *parent)
    : QWidget(parent)
    , m_credentials(credentials)
    , m_empty(new QLabel(this))
{
    auto *inner = new QWidget(this);
    m_grid = new QGridLayout(inner);
    m_grid->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(inner);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_empty->setText(tr("<h2>QueueScope</h2><p>No saved profiles yet: <b>File → Manage "
                        "profiles…</b> (Ctrl+P) adds one (paste a redis:// URL, or import a .env "
                        "file),<br>or open a server once with <b>File → Connect to URL…</b> "
                        "(Ctrl+O).</p>"));
    m_empty->setAlignment(Qt::AlignCenter);
    auto *manage = new QPushButton(tr("Manage profiles…"), this);
    connect(manage, &QPushButton::clicked, this, &OverviewPage::manageRequested);
    auto *title =
        new QLabel(tr("<b>Every saved server</b>, polled every %1 s. Click one to open it.")
                       .arg(session::ProfileProbe::intervalMs / 1000),
                   this);
    auto *bar = new QHBoxLayout;
    bar->addWidget(title, 1);
    bar->addWidget(manage);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_empty);
    layout->addWidget(scroll, 1);
}

OverviewPage::~OverviewPage() = default;

void OverviewPage::clear()
{
    qDeleteAll(m_tiles);
    m_tiles.clear();
    qDeleteAll(m_probes);
    m_probes.clear();
}

void OverviewPage::setProfiles(const QList<core::ConnectionProfile> &profiles)
{
    clear();
    m_empty->setVisible(profiles.isEmpty());
    for (qsizetype i = 0; i < profiles.size(); ++i) {
        auto *probe = new session::ProfileProbe(profiles.at(i), this);
        auto *tile = new ProfileTile(probe, this);
        m_grid->addWidget(tile, int(i / columns), int(i % columns));
        m_probes.append(probe);
        m_tiles.append(tile);
        const QString name = profiles.at(i).name;
        connect(tile, &ProfileTile::clicked, this, [this, name] { Q_EMIT openRequested(name); });
        connect(probe, &session::ProfileProbe::updated, this,
                [this, probe] { Q_EMIT probeUpdated(probe); });
        // The password typed this session or the keychain's (and the sentinels' own); without
        // one (or without a keychain) the probe connects without, and the tile says what the
        // server answered.
        if (!m_credentials) {
            probe->start();
            continue;
        }
        QPointer<session::ProfileProbe> guard(probe);
        m_credentials->resolveSavedProfile(
            profiles.at(i),
            [guard](const core::ConnectionProfile &withSecrets, const core::Credential &) {
                if (guard)
                    guard->startAs(withSecrets);
            });
    }
}

} // namespace qs::widgets
