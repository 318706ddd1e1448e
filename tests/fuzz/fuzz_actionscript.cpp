// The action scripts' header reader and include expander on arbitrary sources. Input: the
// script, then includes, each after a line "@@ <name>". Properties: an expansion leaves no
// include directive, inlines each include at most once (so it is never longer than all the
// texts together), keeps the script's own lines in order, is idempotent, and what it produces
// is never refused as unexpanded; a parsed header's lists are the words of its lines and the
// SHA1 is that of the source.
#include "fuzzcheck.h"
#include "queues/actionscript.h"

#include <QCryptographicHash>
#include <QHash>

using qs::fuzz::preview;
using qs::jobs::ActionScript;
using qs::jobs::expandIncludes;

namespace {

bool isIncludeDirective(const QByteArray &line)
{
    const QByteArray t = line.trimmed();
    const qsizetype colon = t.indexOf(':');
    return t.startsWith("--!") && colon >= 0 && t.mid(3, colon - 3).trimmed() == "include";
}

void checkWords(const QList<QByteArray> &words, const char *what)
{
    for (const QByteArray &word : words)
        FUZZ_CHECK(!word.isEmpty() && word == word.simplified() && !word.contains(' '),
                   QStringLiteral("%1 word '%2'").arg(QLatin1String(what), preview(word)));
}

void checkParse(const QByteArray &source)
{
    QString error;
    const std::optional<ActionScript> script =
        ActionScript::parse(QStringLiteral("fuzz"), source, &error);
    if (!script) {
        FUZZ_CHECK(!error.isEmpty(), "a refusal without a reason");
        return;
    }
    FUZZ_CHECK(script->sha1 == QCryptographicHash::hash(source, QCryptographicHash::Sha1).toHex(),
               "the SHA1 is not that of the source");
    checkWords(script->keys, "keys");
    checkWords(script->argv, "argv");
    checkWords(script->items, "items");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = qs::fuzz::bytesOf(data, size);
    const QList<QByteArray> parts = input.split('\n');
    QByteArrayList script;
    QHash<QString, QByteArrayList> includes;
    QByteArrayList *current = &script;
    for (const QByteArray &line : parts) {
        if (line.startsWith("@@ ")) {
            current = &includes[QString::fromUtf8(line.mid(3))];
            current->clear();
        } else {
            current->append(line);
        }
    }
    const QByteArray source = script.join('\n');
    int loads = 0;
    const auto loader = [&](const QString &name) -> std::optional<QByteArray> {
        ++loads;
        if (!includes.contains(name))
            return std::nullopt;
        return includes.value(name).join('\n');
    };

    QString error;
    const std::optional<QByteArray> expanded = expandIncludes(source, loader, &error);
    checkParse(source);
    if (!expanded) {
        FUZZ_CHECK(!error.isEmpty(), "a refused expansion without a reason");
        return 0;
    }
    FUZZ_CHECK(loads <= includes.size() + 1,
               QStringLiteral("%1 loads for %2 includes").arg(loads).arg(includes.size()));
    const QList<QByteArray> lines = expanded->split('\n');
    FUZZ_CHECK(lines.size() <= parts.size(),
               QStringLiteral("%1 lines expanded from %2").arg(lines.size()).arg(parts.size()));
    qsizetype next = 0; // the script's own lines appear in order
    for (const QByteArray &line : lines) {
        FUZZ_CHECK(!isIncludeDirective(line),
                   QStringLiteral("directive left: %1").arg(preview(line)));
        while (next < script.size() && isIncludeDirective(script.at(next)))
            ++next;
        if (next < script.size() && line == script.at(next))
            ++next;
    }
    while (next < script.size() && isIncludeDirective(script.at(next)))
        ++next;
    FUZZ_CHECK(
        next == script.size(),
        QStringLiteral("script line %1 lost: %2").arg(next).arg(preview(script.value(next))));

    QString again;
    FUZZ_CHECK(expandIncludes(*expanded, loader, &again) == expanded,
               QStringLiteral("a second expansion changes the text: %1").arg(again));
    if (!ActionScript::parse(QStringLiteral("fuzz"), *expanded, &error))
        FUZZ_CHECK(!error.contains(QLatin1String("include not expanded")), error);
    checkParse(*expanded);
    return 0;
}
