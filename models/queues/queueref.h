#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

#include <optional>

namespace qs::queues {

// A framework's id and its key: the key is part of every queue id, profile queue source
// ("bullmq:bull") and CLI queue ("bullmq/emails"). Everything else about a framework comes from
// frameworks/registry.h. A new framework adds its id here (last) and its key in queueref.cpp.
enum class Framework { BullMQ, Bull, Celery, RQ, Sidekiq };

QString frameworkName(Framework framework); // "bullmq", "bull", "celery", "rq", "sidekiq"
std::optional<Framework> frameworkFromName(const QString &name);

// The stable identity of one queue on one server. Names are bytes: queues may be called
// anything, including unicode and binary. Merges of polled tables are keyed on id().
struct QueueRef
{
    Framework framework = Framework::BullMQ;
    QByteArray prefix; // BullMQ/Bull "bull" or "{bull}"; Celery global_keyprefix; RQ "rq";
                       // Sidekiq namespace ("" = none)
    QByteArray name;

    QString id() const;          // "bullmq/bull/emails": framework/prefix/name, for merges
    QString displayName() const; // the name as core::displayBytes shows an identifier

    bool operator==(const QueueRef &) const = default;
};

} // namespace qs::queues

Q_DECLARE_METATYPE(qs::queues::QueueRef)
