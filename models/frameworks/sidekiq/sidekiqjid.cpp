#include "sidekiqjid.h"

#include "queues/jsonedit.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace qs::jobs {

QByteArray sidekiqJidOf(const QByteArray &payload)
{
    const std::optional<QByteArray> raw = jsonedit::topLevelValue(payload, "jid");
    if (!raw)
        return {};
    // The value as JSON decodes it (escapes resolved), inside an array to parse a bare string.
    return QJsonDocument::fromJson('[' + *raw + ']').array().at(0).toString().toUtf8();
}

QByteArray sidekiqJidPattern(const QByteArray &jid)
{
    QByteArray pattern = "*\"jid\"*";
    const bool verbatim = std::all_of(jid.cbegin(), jid.cend(), [](char c) {
        // Printable ASCII that JSON writes as itself (no quote, no backslash).
        return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    });
    if (!verbatim || jid.isEmpty())
        return pattern;
    for (const char c : jid) {
        if (c == '*' || c == '?' || c == '[' || c == ']')
            pattern += '\\'; // a glob character of MATCH, taken literally
        pattern += c;
    }
    return pattern + '*';
}

} // namespace qs::jobs
