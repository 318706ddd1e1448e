#include "actionscript.h"

#include <QCryptographicHash>
#include <QFile>
#include <QHash>
#include <QMutex>

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

} // namespace

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
    if (!file.open(QIODevice::ReadOnly))
        why = QStringLiteral("no built-in script %1").arg(name);
    else
        script = parse(name, file.readAll(), &why);
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
