#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace qs::jobs {

// One action script (models/jobs/scripts/*.lua) and its declarative header: which keys and
// arguments it takes, as templates the engine fills (see scripts/README.md).
struct ActionScript
{
    QString name;
    QByteArray source;
    QByteArray sha1;         // lower-case hex, for EVALSHA
    QList<QByteArray> keys;  // templates: "{p}:{q}:failed"
    QList<QByteArray> argv;  // templates or named values: "{p}:{q}:", "mode", "limit"
    QList<QByteArray> items; // what one item group is: {"id"} or {"member", "queue", "payload"}
    bool returnsCursor = false;

    // Reads the "--! keys:", "--! argv:", "--! items:" and "--! returns:" lines. nullopt and a
    // message naming the line when the header is incomplete or malformed.
    static std::optional<ActionScript> parse(const QString &name, const QByteArray &source,
                                             QString *error);
    // The script compiled into the binary as :/queuescope/scripts/<name>.lua. A missing or
    // malformed script is a build error, so this asserts in debug builds and returns nullopt.
    static std::optional<ActionScript> builtIn(const QString &name, QString *error = nullptr);
};

} // namespace qs::jobs
