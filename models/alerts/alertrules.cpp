#include "alerts/alertrules.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

namespace qs::alerts {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(AlertRules)
};

const QStringList &comparisonKeys()
{
    static const QStringList keys{QStringLiteral("above"), QStringLiteral("atLeast"),
                                  QStringLiteral("below"), QStringLiteral("atMost"),
                                  QStringLiteral("equals")};
    return keys;
}

// "line 4, column 12" for a parse error: what an editor shows.
QString positionOf(const QByteArray &json, int offset)
{
    const QByteArray before = json.left(offset);
    const int line = int(before.count('\n')) + 1;
    const int column = int(offset - (before.lastIndexOf('\n') + 1)) + 1;
    return Tr::tr("line %1, column %2").arg(line).arg(column);
}

core::Result<NotifierCommand> notifierOf(const QJsonValue &value, const QString &origin)
{
    using R = core::Result<NotifierCommand>;
    NotifierCommand notifier;
    if (value.isString()) {
        notifier.command = value.toString();
        return R::success(notifier);
    }
    const QJsonObject object = value.toObject();
    notifier.command = object.value(QStringLiteral("command")).toString();
    if (!value.isObject() || notifier.command.isEmpty())
        return R::failure(Tr::tr("%1: 'notify' is a command, or {\"command\": ..., \"timeout\": "
                                 "\"10s\"}")
                              .arg(origin));
    const QJsonValue timeout = object.value(QStringLiteral("timeout"));
    if (!timeout.isUndefined()) {
        const std::optional<qint64> ms = durationFromJson(timeout);
        if (!ms || *ms < 1000 || *ms > 600'000)
            return R::failure(
                Tr::tr("%1: the notifier's 'timeout' is a duration from 1s to 10m").arg(origin));
        notifier.timeoutMs = *ms;
    }
    return R::success(notifier);
}

} // namespace

QString AlertRules::globalPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           QStringLiteral("/alerts.json");
}

QString AlertRules::profilePath(const QString &profileName)
{
    QString safe = profileName;
    for (QChar &c : safe) {
        if (c == QLatin1Char('/') || c == QLatin1Char('\\') || c.unicode() < 0x20)
            c = QLatin1Char('_');
    }
    if (safe.startsWith(QLatin1Char('.')))
        safe.prepend(QLatin1Char('_'));
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           QStringLiteral("/alerts/") + safe + QStringLiteral(".json");
}

core::Result<AlertRules> AlertRules::forProfile(const QString &profileName)
{
    AlertRules rules = defaults();
    for (const QString &path :
         {globalPath(), profileName.isEmpty() ? QString() : profilePath(profileName)}) {
        if (path.isEmpty())
            continue;
        const core::Result<bool> added = rules.addFile(path);
        if (!added)
            return core::Result<AlertRules>::failure(added.error());
    }
    return core::Result<AlertRules>::success(rules);
}

core::Result<bool> AlertRules::addFile(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return core::Result<bool>::success(false);
    if (!file.open(QIODevice::ReadOnly))
        return core::Result<bool>::failure(
            Tr::tr("cannot read the rules file %1: %2").arg(path, file.errorString()));
    // A rules file is a few KB; more is not a rules file.
    return addLayer(file.read(1024 * 1024), QDir::toNativeSeparators(path));
}

core::Result<bool> AlertRules::addLayer(const QByteArray &json, const QString &origin)
{
    using R = core::Result<bool>;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return R::failure(Tr::tr("%1: not valid JSON at %2: %3")
                              .arg(origin, positionOf(json, error.offset), error.errorString()));
    if (!document.isObject())
        return R::failure(Tr::tr("%1: a rules file is an object: {\"rules\": [...]}").arg(origin));
    const QJsonObject top = document.object();
    for (auto it = top.begin(); it != top.end(); ++it) {
        if (it.key() != QLatin1String("rules") && it.key() != QLatin1String("notify") &&
            it.key() != QLatin1String("comment"))
            return R::failure(Tr::tr("%1: unknown key '%2' (a rules file has \"rules\", "
                                     "\"notify\" and \"comment\")")
                                  .arg(origin, it.key()));
    }
    AlertRules next = *this;
    if (top.contains(QStringLiteral("notify"))) {
        const core::Result<NotifierCommand> notifier =
            notifierOf(top.value(QStringLiteral("notify")), origin);
        if (!notifier)
            return R::failure(notifier.error());
        next.m_notifier = notifier.value();
    }
    const QJsonValue rules = top.value(QStringLiteral("rules"));
    if (!rules.isUndefined() && !rules.isArray())
        return R::failure(Tr::tr("%1: \"rules\" is a list: [{...}, {...}]").arg(origin));
    const QJsonArray list = rules.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString where = Tr::tr("%1, rule %2").arg(origin).arg(i + 1);
        const QJsonObject fields = list.at(i).toObject();
        const QString id = fields.value(QStringLiteral("id")).toString();
        if (!list.at(i).isObject() || id.isEmpty())
            return R::failure(Tr::tr("%1: each rule is an object with an \"id\"").arg(where));
        const QJsonValue queue = fields.value(QStringLiteral("queue"));
        if (!queue.isUndefined() && (!queue.isString() || queue.toString().isEmpty()))
            return R::failure(Tr::tr("%1: 'queue' is a queue id such as \"bullmq/bull/emails\" "
                                     "('*' matches any text)")
                                  .arg(where));
        next.m_entries.append({fields, queue.toString(), where});
        if (!next.m_ids.contains(id))
            next.m_ids.append(id);
    }
    next.m_effective.clear();
    const R valid = next.validate();
    if (!valid)
        return valid;
    *this = std::move(next);
    return R::success(true);
}

std::optional<QJsonObject> AlertRules::merged(const QString &id, const QString &queueId,
                                              qsizetype count) const
{
    const QList<Entry> entries = count < 0 ? m_entries : m_entries.first(count);
    QJsonObject object;
    bool applies = false;
    // Every queue's entries first, then the entries of matching queues: the narrower wins.
    for (const bool scoped : {false, true}) {
        for (const Entry &entry : entries) {
            if (entry.fields.value(QStringLiteral("id")).toString() != id ||
                entry.queueGlob.isEmpty() == scoped)
                continue;
            if (scoped &&
                (queueId.isEmpty() || !globPattern(entry.queueGlob).match(queueId).hasMatch()))
                continue;
            const bool namesComparison =
                std::any_of(comparisonKeys().begin(), comparisonKeys().end(),
                            [&](const QString &key) { return entry.fields.contains(key); });
            if (namesComparison) {
                for (const QString &key : comparisonKeys())
                    object.remove(key);
            }
            for (auto it = entry.fields.begin(); it != entry.fields.end(); ++it)
                object.insert(it.key(), it.value());
            applies = true;
        }
    }
    if (!applies)
        return std::nullopt;
    object.remove(QStringLiteral("queue"));
    return object;
}

core::Result<bool> AlertRules::validate() const
{
    // Entry by entry, so that an error names the entry that made it.
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        const Entry &entry = m_entries.at(i);
        const QString id = entry.fields.value(QStringLiteral("id")).toString();
        // A queue glob stands for the queues it matches: itself is one of them.
        const std::optional<QJsonObject> object = merged(id, entry.queueGlob, i + 1);
        if (!object)
            continue;
        const core::Result<AlertRule> rule = AlertRule::fromJson(*object, entry.origin);
        if (!rule)
            return core::Result<bool>::failure(rule.error());
    }
    return core::Result<bool>::success(true);
}

std::optional<AlertRule> AlertRules::effective(const QString &id, const QString &queueId) const
{
    const QString key = id + QLatin1Char('\n') + queueId;
    const auto cached = m_effective.constFind(key);
    if (cached != m_effective.constEnd())
        return *cached;
    std::optional<AlertRule> result;
    if (const std::optional<QJsonObject> object = merged(id, queueId)) {
        core::Result<AlertRule> rule = AlertRule::fromJson(*object, id);
        if (rule && rule->enabled)
            result = rule.value();
    }
    m_effective.insert(key, result);
    return result;
}

QRegularExpression AlertRules::globPattern(const QString &glob)
{
    const QStringList parts = glob.split(QLatin1Char('*'));
    QStringList escaped;
    for (const QString &part : parts)
        escaped.append(QRegularExpression::escape(part));
    return QRegularExpression(QLatin1Char('^') + escaped.join(QStringLiteral("(.*)")) +
                                  QLatin1Char('$'),
                              QRegularExpression::DotMatchesEverythingOption);
}

QString AlertRules::queueOf(const QString &series)
{
    static const QString prefix = QStringLiteral("queue.");
    if (!series.startsWith(prefix))
        return {};
    const qsizetype lastDot = series.lastIndexOf(QLatin1Char('.'));
    if (lastDot <= prefix.size())
        return {};
    return series.mid(prefix.size(), lastDot - prefix.size());
}

} // namespace qs::alerts
