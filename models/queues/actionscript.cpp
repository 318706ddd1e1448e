#include "actionscript.h"

#include <QCryptographicHash>
#include <QFile>
#include <QHash>
#include <QMutex>
#include <QSet>
#include <QStringList>

namespace qs::jobs {

namespace {

QList<QByteArray> words(const QByteArray &text)
{
    QList<QByteArray> out;
    for (const QByteArray &word : text.simplified().split(' ')) {
        if (!word.isEmpty())
            out.append(word);
    }
    return out;
}

// A "--! <field>: <value>" line: its field and value, trimmed; false for any other line.
bool headerLine(const QByteArray &rawLine, QByteArray *field, QByteArray *value)
{
    const QByteArray line = rawLine.trimmed();
    if (!line.startsWith("--!"))
        return false;
    const qsizetype colon = line.indexOf(':');
    *field = colon < 0 ? QByteArray() : line.mid(3, colon - 3).trimmed();
    *value = colon < 0 ? QByteArray() : line.mid(colon + 1).trimmed();
    return true;
}

bool isIncludeName(const QByteArray &name)
{
    if (name.isEmpty())
        return false;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok)
            return false;
    }
    return true;
}

struct Expansion
{
    const IncludeLoader &loader;
    QList<QByteArray> out;  // the expanded lines
    QStringList stack;      // the includes being expanded, outermost first
    QSet<QString> included; // every include inlined (or being inlined) so far
    QString error;

    QString where() const
    {
        return stack.isEmpty() ? QStringLiteral("the script")
                               : QStringLiteral("include/%1.lua").arg(stack.constLast());
    }

    bool expand(const QByteArray &text)
    {
        for (const QByteArray &line : text.split('\n')) {
            QByteArray field, value;
            if (!headerLine(line, &field, &value)) {
                out.append(line);
                continue;
            }
            if (field != "include") {
                if (stack.isEmpty()) {
                    out.append(line);
                    continue;
                }
                error = QStringLiteral("%1: header line '%2' belongs in the top-level script")
                            .arg(where(), QString::fromUtf8(line.trimmed()));
                return false;
            }
            if (!isIncludeName(value)) {
                error = QStringLiteral("%1: bad include name '%2' (letters, digits, '-', '_')")
                            .arg(where(), QString::fromUtf8(value));
                return false;
            }
            const QString name = QString::fromUtf8(value);
            if (stack.contains(name)) {
                error = QStringLiteral("include cycle: %1 -> %2")
                            .arg(stack.join(QStringLiteral(" -> ")), name);
                return false;
            }
            if (included.contains(name))
                continue; // inlined once per script
            std::optional<QByteArray> include = loader(name);
            if (!include) {
                error = QStringLiteral("missing include '%1' (include/%1.lua, named in %2)")
                            .arg(name, where());
                return false;
            }
            if (include->endsWith('\n'))
                include->chop(1); // the directive's own line end stays
            included.insert(name);
            stack.append(name);
            if (!expand(*include))
                return false;
            stack.removeLast();
        }
        return true;
    }
};

} // namespace

std::optional<QByteArray> expandIncludes(const QByteArray &source, const IncludeLoader &loader,
                                         QString *error)
{
    Expansion expansion{loader, {}, {}, {}, {}};
    if (!expansion.expand(source)) {
        if (error)
            *error = expansion.error;
        return std::nullopt;
    }
    return expansion.out.join('\n');
}

std::optional<ActionScript> ActionScript::parse(const QString &name, const QByteArray &source,
                                                QString *error)
{
    ActionScript script;
    script.name = name;
    script.source = source;
    script.sha1 = QCryptographicHash::hash(source, QCryptographicHash::Sha1).toHex();
    bool haveKeys = false, haveArgv = false, haveItems = false, haveReturns = false;
    for (const QByteArray &rawLine : source.split('\n')) {
        const QByteArray line = rawLine.trimmed();
        if (!line.startsWith("--!"))
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon < 0) {
            *error = QStringLiteral("%1: header line without ':': %2")
                         .arg(name, QString::fromUtf8(line));
            return std::nullopt;
        }
        const QByteArray field = line.mid(3, colon - 3).trimmed();
        const QByteArray value = line.mid(colon + 1);
        if (field == "include") {
            *error = QStringLiteral("%1: include not expanded (expandIncludes first): %2")
                         .arg(name, QString::fromUtf8(line));
            return std::nullopt;
        }
        if (field == "keys") {
            script.keys = words(value);
            haveKeys = true;
        } else if (field == "argv") {
            script.argv = words(value);
            haveArgv = true;
        } else if (field == "items") {
            script.items = words(value);
            haveItems = true;
        } else if (field == "returns") {
            const QByteArray kind = value.trimmed();
            if (kind != "standard" && kind != "cursor") {
                *error = QStringLiteral("%1: unknown return kind '%2'")
                             .arg(name, QString::fromUtf8(kind));
                return std::nullopt;
            }
            script.returnsCursor = kind == "cursor";
            haveReturns = true;
        }
    }
    if (!haveKeys || !haveArgv || !haveItems || !haveReturns) {
        *error =
            QStringLiteral("%1: the header needs keys, argv, items and returns lines").arg(name);
        return std::nullopt;
    }
    return script;
}

std::optional<ActionScript> ActionScript::builtIn(const QString &name, QString *error)
{
    // Parsed once per process; scripts are immutable resources.
    static QMutex mutex;
    static QHash<QString, ActionScript> cache;
    QMutexLocker lock(&mutex);
    if (const auto it = cache.constFind(name); it != cache.constEnd())
        return *it;
    QString why;
    QFile file(QStringLiteral(":/queuescope/scripts/%1.lua").arg(name));
    std::optional<ActionScript> script;
    const auto loadInclude = [](const QString &include) -> std::optional<QByteArray> {
        QFile file(QStringLiteral(":/queuescope/scripts/include/%1.lua").arg(include));
        if (!file.open(QIODevice::ReadOnly))
            return std::nullopt;
        return file.readAll();
    };
    if (!file.open(QIODevice::ReadOnly)) {
        why = QStringLiteral("no built-in script %1").arg(name);
    } else if (const auto source = expandIncludes(file.readAll(), loadInclude, &why)) {
        script = parse(name, *source, &why);
    } else {
        why = QStringLiteral("%1: %2").arg(name, why);
    }
    if (!script) {
        Q_ASSERT_X(false, "ActionScript::builtIn", qPrintable(why));
        if (error)
            *error = why;
        return std::nullopt;
    }
    cache.insert(name, *script);
    return script;
}

} // namespace qs::jobs
