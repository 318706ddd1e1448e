// Celery's event messages (celeryevents::parseMessage): what any publisher on the event
// channels can send a monitor. Input: one byte, then either the published message itself (even
// byte) or the event JSON that the harness wraps in kombu's envelope (odd byte: reaches the
// event reader at once). Properties: every message is accounted for (events read or a counted
// reason, never silently lost); what is read is sane (a hostname, a positive finite freq, a
// clock reading for a timestamp, counts >= 0, a task id) and bounded (at most
// kMaxEventsPerMessage events); any body under a content type other than JSON yields nothing
// (a pickle is never decoded); the base64 and the plain body give the same events; the parse is
// deterministic.
#include "frameworks/celery/celeryevents.h"
#include "fuzzcheck.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using qs::fuzz::preview;
using namespace qs::queues;

namespace {

QByteArray envelope(const QByteArray &body, const QString &contentType, bool base64)
{
    QJsonObject properties{{QStringLiteral("delivery_mode"), 1}};
    if (base64)
        properties.insert(QStringLiteral("body_encoding"), QStringLiteral("base64"));
    const QString text = base64 ? QString::fromLatin1(body.toBase64()) : QString::fromUtf8(body);
    const QJsonObject message{{QStringLiteral("body"), text},
                              {QStringLiteral("content-encoding"), QStringLiteral("utf-8")},
                              {QStringLiteral("content-type"), contentType},
                              {QStringLiteral("properties"), properties}};
    return QJsonDocument(message).toJson(QJsonDocument::Compact);
}

QString summary(const WorkerEvents &events)
{
    QStringList parts;
    for (const WorkerEvent &w : events.workers)
        parts << QStringLiteral("worker %1 freq %2 active %3 ts %4")
                     .arg(w.hostname)
                     .arg(w.freq)
                     .arg(w.active)
                     .arg(w.timestampMs);
    for (const TaskEvent &t : events.tasks)
        parts << QStringLiteral("task %1 %2").arg(celeryevents::taskEventName(t.kind), t.uuid);
    parts << events.ignored;
    return parts.join(QStringLiteral("; "));
}

void checkSane(const WorkerEvents &events, const QByteArray &message)
{
    const QString where = preview(message);
    FUZZ_CHECK(events.workers.size() + events.tasks.size() + events.ignored.size() >= 1,
               QStringLiteral("a message vanished without a reason: %1").arg(where));
    FUZZ_CHECK(events.workers.size() + events.tasks.size() <= celeryevents::kMaxEventsPerMessage,
               QStringLiteral("%1 events from one message").arg(events.workers.size()));
    for (const WorkerEvent &w : events.workers) {
        FUZZ_CHECK(!w.hostname.isEmpty(), where);
        FUZZ_CHECK(std::isfinite(w.freq) && w.freq > 0 && w.freq <= 86'400,
                   QStringLiteral("freq %1 from %2").arg(w.freq).arg(where));
        FUZZ_CHECK(w.active >= 0 && w.processed >= 0, where);
        FUZZ_CHECK(w.timestampMs >= 1'000'000'000'000 && w.timestampMs <= 10'000'000'000'000,
                   QStringLiteral("timestamp %1 from %2").arg(w.timestampMs).arg(where));
        FUZZ_CHECK(w.loadavg.size() <= 3, where);
        for (const double load : w.loadavg)
            FUZZ_CHECK(std::isfinite(load), where);
        FUZZ_CHECK(!w.pid || *w.pid > 0, where);
    }
    for (const TaskEvent &t : events.tasks) {
        FUZZ_CHECK(!t.uuid.isEmpty(), where);
        FUZZ_CHECK(t.timestampMs == 0 ||
                       (t.timestampMs >= 1'000'000'000'000 && t.timestampMs <= 10'000'000'000'000),
                   where);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray rest = qs::fuzz::bytesOf(data + 1, size - 1);
    const bool wrap = data[0] & 1;
    const QByteArray message =
        wrap ? envelope(rest, QStringLiteral("application/json"), true) : rest;

    const WorkerEvents events = celeryevents::parseMessage(message);
    checkSane(events, message);
    const WorkerEvents again = celeryevents::parseMessage(message);
    FUZZ_CHECK(summary(again) == summary(events), preview(message));

    // The same bytes as a pickle (or anything but JSON) are never decoded.
    const WorkerEvents pickled = celeryevents::parseMessage(
        envelope(rest, QStringLiteral("application/x-python-serialize"), true));
    FUZZ_CHECK(pickled.workers.isEmpty() && pickled.tasks.isEmpty() && pickled.ignored.size() == 1,
               QStringLiteral("a non-JSON body was read: %1").arg(summary(pickled)));

    // kombu's two body forms (base64, plain text) read alike, for text that is UTF-8.
    if (wrap && QString::fromUtf8(rest).toUtf8() == rest) {
        const WorkerEvents plain =
            celeryevents::parseMessage(envelope(rest, QStringLiteral("application/json"), false));
        FUZZ_CHECK(summary(plain) == summary(events),
                   QStringLiteral("base64: %1\nplain: %2").arg(summary(events), summary(plain)));
    }
    return 0;
}
