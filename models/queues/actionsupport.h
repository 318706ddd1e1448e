#pragma once

#include "actionrequest.h"

#include <QList>
#include <QPair>
#include <QString>

namespace qs::jobs {

// What an action acts on.
enum class Selection {
    Queue,    // the queue itself (pause, resume, drain)
    Ids,      // explicit jobs only (remove)
    IdsOrAll, // explicit jobs, or every job of the state (retry, promote)
    All,      // every job of the state, optionally older than N (clean)
};

// Where a script call's items come from.
enum class Feed {
    None,     // queue-level scripts take no items
    Ids,      // the ids themselves; in "all" mode the script selects the jobs
    Cursor,   // the script walks the state and returns a cursor
    Prepared, // the framework's own feed reads the items and edits them client-side (Sidekiq's
              // zset members, Celery's results and unacked deliveries): FrameworkEntry
};

// How one framework supports one action: the script, the states it acts on and how jobs are
// chosen; or why not (shown as the tooltip of a hidden action and by the CLI's refusal).
struct ActionSupport
{
    bool supported = false;
    QString reason; // when unsupported
    QString label;  // the framework's own word: "Retry", "Requeue", "Retry now", "Purge"...
    QString script; // built-in script name
    // Native state names and the value the script receives for each; the first is the default.
    QList<QPair<QString, QByteArray>> states;
    Selection selection = Selection::Queue;
    Feed feed = Feed::None;
    bool destructive = false;         // deletes jobs or their data
    bool takesAge = false;            // honours --older-than
    bool offersResetAttempts = false; // honours ActionRequest::resetAttempts
    bool offersDelayed = false;       // honours ActionRequest::includeDelayed

    bool actsOn(const QString &state) const;
    QByteArray scriptState(const QString &state) const; // empty when not one of states

    // The two ways a catalog entry is written.
    static ActionSupport unsupported(const QString &reason);
    static ActionSupport supportedBy(QString label, QString script,
                                     QList<QPair<QString, QByteArray>> states, Selection selection,
                                     Feed feed, bool destructive = false, bool takesAge = false);
};

} // namespace qs::jobs
