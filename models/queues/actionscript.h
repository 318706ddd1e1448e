#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace qs::jobs {

// One action script (models/frameworks/<name>/scripts/*.lua) and its declarative header: which keys
// and arguments it takes, as templates the engine fills (see scripts/README.md).
struct ActionScript
{
    QString name;
    QByteArray source;
    QByteArray sha1;         // lower-case hex, for EVALSHA
    QList<QByteArray> keys;  // templates: "{p}:{q}:failed"
    QList<QByteArray> argv;  // templates or named values: "{p}:{q}:", "mode", "limit"
    QList<QByteArray> items; // what one item group is: {"id"} or {"member", "queue", "payload"}
    bool returnsCursor = false;

    // Reads the "--! keys:", "--! argv:", "--! items:" and "--! returns:" lines of a source whose
    // includes are already expanded (expandIncludes); the SHA1 is that of the expanded source.
    // nullopt and a message naming the line when the header is incomplete or malformed, or when
    // a "--! include:" line is left.
    static std::optional<ActionScript> parse(const QString &name, const QByteArray &source,
                                             QString *error);
    // The script compiled into the binary as :/queuescope/scripts/<name>.lua, its includes read
    // from :/queuescope/scripts/include/<name>.lua. A missing or malformed script or include is a
    // build error, so this asserts in debug builds and returns nullopt.
    static std::optional<ActionScript> builtIn(const QString &name, QString *error = nullptr);
};

// The text of include/<name>.lua, nullopt when there is no such include.
using IncludeLoader = std::function<std::optional<QByteArray>(const QString &name)>;

// Expands the "--! include: <name>" lines of an action script (scripts/README.md): each one is
// replaced by the lines of the include, itself expanded the same way; an include named again
// (by the script or by another include) is inlined only the first time. nullopt and a message
// naming the missing include, the cycle, a malformed name, or a header line ("--! keys:" ...)
// in an include (those belong to the top-level script).
std::optional<QByteArray> expandIncludes(const QByteArray &source, const IncludeLoader &loader,
                                         QString *error);

} // namespace qs::jobs
