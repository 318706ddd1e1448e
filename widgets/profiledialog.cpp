#include "profiledialog.h"

#include "core/sentinelurl.h"

#include "profileform.h"
#include "statuscolors.h"

#include "core/profilestore.h"
#include "core/secretstore.h"
#include "monitor/connectiontest.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace qs::widgets {

namespace {

constexpr int EntryRole = Qt::UserRole + 1;

// Display groups, in this order; anything else is "other".
const QStringList groups = {QStringLiteral("production"), QStringLiteral("staging"),
                            QStringLiteral("development")};

QString groupOf(const QString &environment)
{
    const QString e = environment.toLower();
    for (const QString &group : groups) {
        if (e.startsWith(group.left(3)))
            return group;
    }
    return QStringLiteral("other");
}

} // namespace

ProfileDialog::ProfileDialog(core::ProfileStore &store, core::SecretStore &secrets, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_secrets(secrets)
    , m_list(new QTreeWidget(this))
    , m_form(new ProfileForm(this))
    , m_test(new QPushButton(tr("&Test connection"), this))
    , m_testResult(new QLabel(this))
    , m_message(new QLabel(this))
{
    setWindowTitle(tr("Connection profiles"));
    resize(1000, 720);
    m_list->setHeaderHidden(true);
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setWordWrap(true);
    m_message->hide();

    auto *add = new QPushButton(tr("&New"), this);
    auto *duplicate = new QPushButton(tr("D&uplicate"), this);
    auto *remove = new QPushButton(tr("&Delete"), this);
    auto *up = new QPushButton(tr("▲"), this);
    auto *down = new QPushButton(tr("▼"), this);
    auto *import = new QPushButton(tr("&Import"), this);
    auto *exportButton = new QPushButton(tr("E&xport…"), this);
    up->setToolTip(tr("Move up"));
    down->setToolTip(tr("Move down"));
    auto *importMenu = new QMenu(import);
    importMenu->addAction(tr("From this environment (REDIS_URL / REDIS_*)"), this,
                          &ProfileDialog::importFromEnvironment);
    importMenu->addAction(tr("From a .env file…"), this, &ProfileDialog::importDotEnv);
    importMenu->addAction(tr("From an export file…"), this, &ProfileDialog::importExport);
    import->setMenu(importMenu);
    exportButton->setToolTip(tr("Write every profile to a file, without passwords"));

    auto *listButtons = new QHBoxLayout;
    for (QPushButton *button : {add, duplicate, remove, up, down})
        listButtons->addWidget(button);
    auto *transfer = new QHBoxLayout;
    transfer->addWidget(import);
    transfer->addWidget(exportButton);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_list, 1);
    leftLayout->addLayout(listButtons);
    leftLayout->addLayout(transfer);

    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("profileFormScroll"));
    scroll->setWidget(m_form);
    scroll->setWidgetResizable(true);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(scroll, 1);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_testResult, 1);
    rightLayout->addLayout(testRow);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({300, 700});
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this);
    auto *open = buttons->addButton(tr("Save and &open"), QDialogButtonBox::ActionRole);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_message);
    layout->addWidget(buttons);

    connect(add, &QPushButton::clicked, this, [this] {
        core::ConnectionProfile profile;
        profile.name = uniqueName(tr("new profile"));
        addProfile(profile);
    });
    connect(duplicate, &QPushButton::clicked, this, &ProfileDialog::duplicateCurrent);
    connect(remove, &QPushButton::clicked, this, &ProfileDialog::removeCurrent);
    connect(up, &QPushButton::clicked, this, [this] { moveCurrent(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveCurrent(+1); });
    connect(exportButton, &QPushButton::clicked, this, &ProfileDialog::exportProfiles);
    connect(m_test, &QPushButton::clicked, this, &ProfileDialog::testConnection);
    connect(m_list, &QTreeWidget::currentItemChanged, this, &ProfileDialog::onCurrentChanged);
    connect(m_form, &ProfileForm::edited, this, [this] {
        storeForm();
        // Name and environment are what the list shows.
        if (QTreeWidgetItem *item = m_list->currentItem(); item && m_shown >= 0) {
            const Entry &entry = m_entries.at(m_shown);
            if (item->text(0) != entry.profile.name ||
                groupOf(entry.profile.environment) != item->parent()->data(0, EntryRole).toString())
                rebuildList();
        }
    });
    connect(buttons->button(QDialogButtonBox::Save), &QPushButton::clicked, this,
            &ProfileDialog::saveAll);
    connect(open, &QPushButton::clicked, this, [this] {
        const int index = currentIndex();
        if (index >= 0 && saveAll())
            Q_EMIT openRequested(m_entries.at(index).profile.name);
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    for (const core::ConnectionProfile &profile : m_store.profiles())
        m_entries.append({profile, profile.name, false, false});
    // Which passwords the keychain holds (answers arrive on the event loop).
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        const QString name = m_entries.at(i).savedName;
        QPointer<ProfileDialog> self(this);
        m_secrets.read(name, [self, name](core::Result<std::optional<QString>> secret) {
            if (!self)
                return;
            for (Entry &entry : self->m_entries) {
                if (entry.savedName == name)
                    entry.passwordStored = secret.ok() && secret.value().has_value();
            }
            if (!secret.ok())
                self->showMessage(secret.error(), false);
            // Only the password field's hint changes: reloading the form here would undo
            // what the operator typed meanwhile.
            if (self->m_shown >= 0 && self->m_entries.at(self->m_shown).savedName == name)
                self->m_form->setPasswordStored(self->m_entries.at(self->m_shown).passwordStored);
        });
    }
    rebuildList();
}

ProfileDialog::~ProfileDialog() = default;

int ProfileDialog::currentIndex() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item && item->parent() ? item->data(0, EntryRole).toInt() : -1;
}

void ProfileDialog::rebuildList()
{
    m_rebuilding = true;
    const int current = m_shown;
    m_list->clear();
    QTreeWidgetItem *select = nullptr;
    for (const QString &group : groups + QStringList{QStringLiteral("other")}) {
        QTreeWidgetItem *header = nullptr;
        for (qsizetype i = 0; i < m_entries.size(); ++i) {
            const core::ConnectionProfile &p = m_entries.at(i).profile;
            if (groupOf(p.environment) != group)
                continue;
            if (!header) {
                header =
                    new QTreeWidgetItem(m_list, {group == QLatin1String("other")
                                                     ? tr("Other")
                                                     : group.left(1).toUpper() + group.mid(1)});
                header->setData(0, EntryRole, group);
                header->setForeground(0, environmentColor(group));
                header->setFlags(Qt::ItemIsEnabled);
                QFont bold = header->font(0);
                bold.setBold(true);
                header->setFont(0, bold);
            }
            auto *item = new QTreeWidgetItem(header, {p.name});
            item->setData(0, EntryRole, int(i));
            item->setToolTip(0, p.displayUrl() + (p.readOnly ? tr(" (read-only)") : QString()));
            if (i == current)
                select = item;
        }
    }
    m_list->expandAll();
    m_rebuilding = false;
    if (select)
        m_list->setCurrentItem(select);
    else if (!m_entries.isEmpty() && m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0)->child(0));
    else
        onCurrentChanged();
}

void ProfileDialog::onCurrentChanged()
{
    if (m_rebuilding)
        return;
    const int index = currentIndex();
    if (index == m_shown)
        return;
    m_shown = index;
    m_form->setEnabled(index >= 0);
    m_test->setEnabled(index >= 0);
    m_testResult->clear();
    if (index >= 0)
        m_form->setProfile(m_entries.at(index).profile, m_entries.at(index).passwordStored);
}

void ProfileDialog::storeForm()
{
    if (m_shown < 0)
        return;
    Entry &entry = m_entries[m_shown];
    entry.profile = m_form->profile();
    entry.passwordEdited = m_form->passwordEdited();
}

QString ProfileDialog::uniqueName(const QString &wanted) const
{
    QString name = wanted;
    for (int n = 2;; ++n) {
        const bool taken = std::any_of(m_entries.cbegin(), m_entries.cend(),
                                       [&](const Entry &e) { return e.profile.name == name; });
        if (!taken)
            return name;
        name = QStringLiteral("%1 (%2)").arg(wanted, QString::number(n));
    }
}

void ProfileDialog::addProfile(const core::ConnectionProfile &profile)
{
    core::ConnectionProfile p = profile;
    p.name = uniqueName(p.name.isEmpty() ? tr("new profile") : p.name);
    m_entries.append({p, QString(), false, !p.password.isEmpty()});
    m_shown = -1;
    rebuildList();
    selectProfile(p.name);
}

void ProfileDialog::selectProfile(const QString &name)
{
    for (QTreeWidgetItemIterator it(m_list); *it; ++it) {
        if ((*it)->parent() && (*it)->text(0) == name) {
            m_list->setCurrentItem(*it);
            return;
        }
    }
}

void ProfileDialog::duplicateCurrent()
{
    const int index = currentIndex();
    if (index < 0)
        return;
    core::ConnectionProfile copy = m_entries.at(index).profile;
    copy.name = copy.name + tr(" copy");
    copy.password.clear(); // the copy asks for its own password: none is copied out of sight
    addProfile(copy);
}

void ProfileDialog::removeCurrent()
{
    const int index = currentIndex();
    if (index < 0)
        return;
    if (!m_entries.at(index).savedName.isEmpty())
        m_removedNames.append(m_entries.at(index).savedName);
    m_entries.removeAt(index);
    m_shown = -1;
    rebuildList();
}

void ProfileDialog::moveCurrent(int delta)
{
    const int index = currentIndex();
    if (index < 0)
        return;
    // Within its group: to the previous/next profile of the same environment group.
    const QString group = groupOf(m_entries.at(index).profile.environment);
    for (int other = index + delta; other >= 0 && other < m_entries.size(); other += delta) {
        if (groupOf(m_entries.at(other).profile.environment) == group) {
            m_entries.move(index, other);
            m_shown = other;
            rebuildList();
            return;
        }
    }
}

void ProfileDialog::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #b3261e") : QString());
    m_message->setVisible(!text.isEmpty());
}

void ProfileDialog::testConnection()
{
    const int index = currentIndex();
    if (index < 0)
        return;
    storeForm();
    if (const QString why = m_form->validate(); !why.isEmpty()) {
        m_testResult->setText(why);
        return;
    }
    m_test->setEnabled(false);
    m_testResult->setText(tr("Connecting…"));
    const Entry entry = m_entries.at(index);
    QPointer<ProfileDialog> self(this);
    auto run = [self](core::ConnectionProfile profile) {
        if (!self)
            return;
        auto *test = new monitor::ConnectionTest(profile, self);
        connect(test, &monitor::ConnectionTest::finished, self,
                [self, test](const monitor::ConnectionTestResult &result) {
                    self->m_testResult->setText(result.describe());
                    self->m_testResult->setStyleSheet(result.ok ? QString()
                                                                : QStringLiteral("color: #b3261e"));
                    self->m_test->setEnabled(true);
                    test->deleteLater();
                });
        test->start();
    };
    if (entry.passwordEdited || !entry.passwordStored || entry.savedName.isEmpty()) {
        run(entry.profile);
        return;
    }
    core::ConnectionProfile profile = entry.profile;
    m_credentials.resolve(core::CredentialRequest::forSavedProfile(entry.savedName),
                          [run, profile](const core::Credential &credential) mutable {
                              profile.password = credential.password;
                              run(profile);
                          });
}

bool ProfileDialog::saveAll()
{
    storeForm();
    QStringList names;
    for (const Entry &entry : m_entries) {
        if (names.contains(entry.profile.name)) {
            showMessage(
                tr("Two profiles are called “%1”: names must be unique.").arg(entry.profile.name),
                true);
            return false;
        }
        names << entry.profile.name;
    }
    if (m_shown >= 0) {
        if (const QString why = m_form->validate(); !why.isEmpty()) {
            showMessage(why, true);
            return false;
        }
    }
    QList<core::ConnectionProfile> profiles;
    for (const Entry &entry : m_entries) {
        profiles.append(entry.profile);
        profiles.last().password.clear();
    }
    // Unchanged profiles leave the file alone, byte for byte (and its time stamp).
    const bool changed = profiles != m_store.profiles();
    if (changed) {
        m_store.setProfiles(profiles);
        if (const core::Result<bool> saved = m_store.save(); !saved) {
            showMessage(saved.error(), true);
            return false;
        }
    }
    // Said first: a keychain failure (reported as it happens) replaces it.
    showMessage(
        changed ? tr("Saved %n profile(s) to %1.", "", int(m_entries.size())).arg(m_store.path())
                : tr("No changes to %1.").arg(m_store.path()),
        false);
    // Passwords: new ones written, renamed ones moved, deleted profiles' removed.
    QPointer<ProfileDialog> self(this);
    auto report = [self](core::Result<bool> result) {
        if (self && !result.ok())
            self->showMessage(result.error() + tr(" — the password was not saved; QueueScope asks "
                                                  "for it when connecting."),
                              true);
    };
    for (Entry &entry : m_entries) {
        const QString name = entry.profile.name;
        if (entry.passwordEdited) {
            if (entry.profile.password.isEmpty())
                m_secrets.remove(name, report);
            else
                m_secrets.write(name, entry.profile.password, report);
            entry.passwordStored = !entry.profile.password.isEmpty();
        } else if (!entry.savedName.isEmpty() && entry.savedName != name && entry.passwordStored) {
            const QString old = entry.savedName;
            core::SecretStore *secrets = &m_secrets;
            m_secrets.read(old, [secrets, old, name,
                                 report](core::Result<std::optional<QString>> s) {
                if (s.ok() && s.value())
                    secrets->write(name, *s.value(), [secrets, old, report](core::Result<bool> w) {
                        report(w);
                        if (w.ok())
                            secrets->remove(old, [](core::Result<bool>) {});
                    });
            });
        }
        // The sentinels' own password, when one was typed: its own keychain entry.
        if (!entry.profile.sentinel.password.isEmpty())
            m_secrets.write(core::sentinelSecretName(name), entry.profile.sentinel.password,
                            report);
        entry.profile.password.clear();
        entry.profile.sentinel.password.clear();
        entry.passwordEdited = false;
        entry.savedName = name;
    }
    for (const QString &name : m_removedNames)
        m_secrets.remove(name, [](core::Result<bool>) {});
    m_removedNames.clear();
    Q_EMIT saved();
    return true;
}

} // namespace qs::widgets
