#include "profilestore.h"

#include "core/limits.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSet>
#include <QStandardPaths>

#include <cmath>

namespace qs::core {

namespace {

const QString kFormat = QStringLiteral("queuescope-profiles");
constexpr int kVersion = 1;

constexpr QFileDevice::Permissions kFileMode = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr QFileDevice::Permissions kDirMode =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;

QJsonObject toJson(const TlsOptions &tls)
{
    return QJsonObject{
        {QStringLiteral("enabled"), tls.enabled}, {QStringLiteral("verifyPeer"), tls.verifyPeer},
        {QStringLiteral("caFile"), tls.caFile},   {QStringLiteral("certFile"), tls.certFile},
        {QStringLiteral("keyFile"), tls.keyFile}, {QStringLiteral("serverName"), tls.serverName},
    };
}

QJsonObject toJson(const ConnectionProfile &p)
{
    // Deliberately no "password" key: secrets live in the keychain only.
    const QJsonObject tls = toJson(p.tls);
    QJsonObject object{
        {QStringLiteral("name"), p.name},
        {QStringLiteral("host"), p.host},
        {QStringLiteral("port"), int(p.port)},
        {QStringLiteral("unixSocket"), p.unixSocket},
        {QStringLiteral("db"), p.db},
        {QStringLiteral("username"), p.username},
        {QStringLiteral("tls"), tls},
        {QStringLiteral("readOnly"), p.readOnly},
        {QStringLiteral("environment"), p.environment},
        {QStringLiteral("connectTimeoutMs"), p.connectTimeoutMs},
        {QStringLiteral("commandTimeoutMs"), p.commandTimeoutMs},
        {QStringLiteral("pollIntervalMs"), p.pollIntervalMs},
        {QStringLiteral("queueSources"), QJsonArray::fromStringList(p.queueSources)},
    };
    // Only when used, so that the files of profiles without Sentinel stay as they were.
    if (p.usesSentinel())
        object.insert(
            QStringLiteral("sentinel"),
            QJsonObject{
                {QStringLiteral("addresses"), QJsonArray::fromStringList(p.sentinel.addresses)},
                {QStringLiteral("masterName"), p.sentinel.masterName},
                {QStringLiteral("username"), p.sentinel.username},
                {QStringLiteral("tls"), toJson(p.sentinel.tls)},
            });
    // Only when set: a profile saved unchanged stays byte-identical.
    if (!p.clusterAddressMap.isEmpty())
        object.insert(QStringLiteral("clusterAddressMap"),
                      QJsonArray::fromStringList(p.clusterAddressMap));
    return object;
}

// Reads one field when present; a present field of the wrong type is an error (a silently
// ignored "readOnly": "yes" would be a safety problem).
class FieldReader
{
public:
    FieldReader(const QJsonObject &object, QString where)
        : m_object(object)
        , m_where(std::move(where))
    {
    }

    void string(const char *key, QString *out)
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return;
        if (!v.isString())
            return fail(key, QStringLiteral("a string"));
        *out = v.toString();
    }
    void boolean(const char *key, bool *out)
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return;
        if (!v.isBool())
            return fail(key, QStringLiteral("true or false"));
        *out = v.toBool();
    }
    void integer(const char *key, int *out, qint64 min, qint64 max)
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return;
        const double d = v.toDouble(-1e300);
        if (!v.isDouble() || d < double(min) || d > double(max) || d != std::floor(d))
            return fail(key, QStringLiteral("a whole number from %1 to %2").arg(min).arg(max));
        *out = int(d);
    }
    void strings(const char *key, QStringList *out)
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return;
        if (!v.isArray())
            return fail(key, QStringLiteral("a list of strings"));
        QStringList values;
        for (const QJsonValue &item : v.toArray()) {
            if (!item.isString())
                return fail(key, QStringLiteral("a list of strings"));
            values << item.toString();
        }
        *out = values;
    }
    const QString &error() const { return m_error; }

private:
    void fail(const char *key, const QString &expected)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1: field '%2' must be %3")
                          .arg(m_where, QLatin1String(key), expected);
    }
    const QJsonObject &m_object;
    QString m_where;
    QString m_error;
};

// An optional sub-object ("tls", "sentinel"): absent is fine, another type is an error.
Result<QJsonObject> subObject(const QJsonObject &o, const char *key, const QString &where)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return Result<QJsonObject>::success({});
    if (!v.isObject())
        return Result<QJsonObject>::failure(
            QStringLiteral("%1: '%2' must be an object").arg(where, QLatin1String(key)));
    return Result<QJsonObject>::success(v.toObject());
}

QString readTls(const QJsonObject &t, const QString &where, TlsOptions *tls)
{
    FieldReader tr(t, where);
    tr.boolean("enabled", &tls->enabled);
    tr.boolean("verifyPeer", &tls->verifyPeer);
    tr.string("caFile", &tls->caFile);
    tr.string("certFile", &tls->certFile);
    tr.string("keyFile", &tls->keyFile);
    tr.string("serverName", &tls->serverName);
    return tr.error();
}

QString readSentinel(const QJsonObject &o, const QString &where, SentinelOptions *sentinel)
{
    FieldReader r(o, where);
    r.strings("addresses", &sentinel->addresses);
    r.string("masterName", &sentinel->masterName);
    r.string("username", &sentinel->username);
    if (!r.error().isEmpty())
        return r.error();
    auto tls = subObject(o, "tls", where);
    if (!tls)
        return tls.error();
    return readTls(tls.value(), where + QStringLiteral(", tls"), &sentinel->tls);
}

Result<ConnectionProfile> fromJson(const QJsonValue &value, const QString &where)
{
    if (!value.isObject())
        return Result<ConnectionProfile>::failure(where + QStringLiteral(" is not an object"));
    const QJsonObject o = value.toObject();
    ConnectionProfile p;
    FieldReader r(o, where);
    r.string("name", &p.name);
    r.string("host", &p.host);
    int port = p.port;
    r.integer("port", &port, 1, 65535);
    p.port = quint16(port);
    r.string("unixSocket", &p.unixSocket);
    r.integer("db", &p.db, 0, limits::maxDb);
    r.string("username", &p.username);
    r.boolean("readOnly", &p.readOnly);
    r.string("environment", &p.environment);
    r.integer("connectTimeoutMs", &p.connectTimeoutMs, 1, limits::maxTimeoutMs);
    r.integer("commandTimeoutMs", &p.commandTimeoutMs, 1, limits::maxTimeoutMs);
    r.integer("pollIntervalMs", &p.pollIntervalMs, limits::minPollIntervalMs,
              limits::maxPollIntervalMs);
    r.strings("queueSources", &p.queueSources);
    r.strings("clusterAddressMap", &p.clusterAddressMap);
    if (!r.error().isEmpty())
        return Result<ConnectionProfile>::failure(r.error());
    auto tls = subObject(o, "tls", where);
    if (!tls)
        return Result<ConnectionProfile>::failure(tls.error());
    if (const QString error = readTls(tls.value(), where + QStringLiteral(", tls"), &p.tls);
        !error.isEmpty())
        return Result<ConnectionProfile>::failure(error);
    auto sentinel = subObject(o, "sentinel", where);
    if (!sentinel)
        return Result<ConnectionProfile>::failure(sentinel.error());
    if (const QString error =
            readSentinel(sentinel.value(), where + QStringLiteral(", sentinel"), &p.sentinel);
        !error.isEmpty())
        return Result<ConnectionProfile>::failure(error);
    // A "password" key (hand-edited file, another tool) is ignored, never loaded.
    if (p.name.trimmed().isEmpty())
        return Result<ConnectionProfile>::failure(where + QStringLiteral(" has no name"));
    return Result<ConnectionProfile>::success(p);
}

// 1-based line and column of a byte offset, for parse errors an operator can find.
std::pair<int, int> lineAndColumn(const QByteArray &data, int offset)
{
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset && i < data.size(); ++i) {
        if (data.at(i) == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

} // namespace

QString ProfileStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           QStringLiteral("/profiles.json");
}

ProfileStore::ProfileStore(QString path)
    : m_path(std::move(path))
{
}

QByteArray ProfileStore::serialize(const QList<ConnectionProfile> &profiles)
{
    QJsonArray list;
    for (const ConnectionProfile &p : profiles)
        list.append(toJson(p));
    const QJsonObject root{
        {QStringLiteral("format"), kFormat},
        {QStringLiteral("version"), kVersion},
        {QStringLiteral("profiles"), list},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<QList<ConnectionProfile>> ProfileStore::parse(const QByteArray &json, const QString &origin)
{
    using R = Result<QList<ConnectionProfile>>;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        const auto [line, column] = lineAndColumn(json, error.offset);
        return R::failure(QStringLiteral("%1 is not valid JSON: %2 at line %3, column %4 "
                                         "(offset %5); the file was left unchanged")
                              .arg(origin, error.errorString(), QString::number(line),
                                   QString::number(column), QString::number(error.offset)));
    }
    if (!document.isObject())
        return R::failure(origin + QStringLiteral(": expected a JSON object with a \"profiles\" "
                                                  "list; the file was left unchanged"));
    const QJsonObject root = document.object();
    const int version = root.value(QStringLiteral("version")).toInt(kVersion);
    if (version > kVersion)
        return R::failure(QStringLiteral("%1 was written by a newer QueueScope (format version "
                                         "%2, this one reads %3); the file was left unchanged")
                              .arg(origin, QString::number(version), QString::number(kVersion)));
    const QJsonValue list = root.value(QStringLiteral("profiles"));
    if (list.isUndefined() || list.isNull())
        return R::success({});
    if (!list.isArray())
        return R::failure(origin + QStringLiteral(": \"profiles\" must be a list; the file was "
                                                  "left unchanged"));
    QList<ConnectionProfile> profiles;
    QSet<QString> seen;
    const QJsonArray array = list.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto profile = fromJson(
            array.at(i), QStringLiteral("%1: profile #%2").arg(origin, QString::number(i + 1)));
        if (!profile)
            return R::failure(profile.error());
        if (seen.contains(profile->name))
            return R::failure(
                QStringLiteral("%1: two profiles are named '%2'").arg(origin, profile->name));
        seen.insert(profile->name);
        profiles.append(profile.value());
    }
    return R::success(profiles);
}

Result<QList<ConnectionProfile>> ProfileStore::readFile(const QString &file)
{
    using R = Result<QList<ConnectionProfile>>;
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return R::failure(QStringLiteral("cannot read %1: %2").arg(file, in.errorString()));
    return parse(in.readAll(), file);
}

Result<bool> ProfileStore::writeFile(const QString &file, const QList<ConnectionProfile> &profiles,
                                     bool privateDirectory)
{
    using R = Result<bool>;
    // The store's own directory is made private; an export target (~/Downloads, ...) is the
    // operator's directory and is left alone.
    if (privateDirectory) {
        const QString dir = QFileInfo(file).absolutePath();
        if (!QDir().mkpath(dir))
            return R::failure(QStringLiteral("cannot create the directory %1").arg(dir));
        if (!QFile::setPermissions(dir, kDirMode))
            return R::failure(QStringLiteral("cannot make %1 private (mode 0700)").arg(dir));
    }

    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly))
        return R::failure(QStringLiteral("cannot write %1: %2").arg(file, out.errorString()));
    // Private before the first byte is written; the rename keeps the mode.
    out.setPermissions(kFileMode);
    const QByteArray data = serialize(profiles);
    if (out.write(data) != data.size()) {
        const QString reason = out.errorString();
        out.cancelWriting();
        out.commit();
        return R::failure(QStringLiteral("cannot write %1: %2").arg(file, reason));
    }
    if (!out.commit())
        return R::failure(QStringLiteral("cannot save %1: %2").arg(file, out.errorString()));
    if (!QFile::setPermissions(file, kFileMode))
        return R::failure(
            QStringLiteral("saved %1 but cannot make it private (mode 0600)").arg(file));
    return R::success(true);
}

Result<bool> ProfileStore::load()
{
    m_profiles.clear();
    m_loadError.clear();
    if (!QFileInfo::exists(m_path))
        return Result<bool>::success(true);
    auto profiles = readFile(m_path);
    if (!profiles) {
        m_loadError = profiles.error();
        return Result<bool>::failure(profiles.error());
    }
    m_profiles = profiles.value();
    return Result<bool>::success(true);
}

Result<bool> ProfileStore::save() const
{
    if (!m_loadError.isEmpty())
        return Result<bool>::failure(
            QStringLiteral("not saving: %1 could not be read and would be overwritten; fix or "
                           "move it first (%2)")
                .arg(m_path, m_loadError));
    return writeFile(m_path, m_profiles, true);
}

QStringList ProfileStore::names() const
{
    QStringList names;
    for (const ConnectionProfile &p : m_profiles)
        names.append(p.name);
    return names;
}

std::optional<ConnectionProfile> ProfileStore::profile(const QString &name) const
{
    for (const ConnectionProfile &p : m_profiles)
        if (p.name == name)
            return p;
    return std::nullopt;
}

void ProfileStore::upsert(ConnectionProfile profile)
{
    profile.password.clear();
    profile.sentinel.password.clear();
    for (ConnectionProfile &p : m_profiles) {
        if (p.name == profile.name) {
            p = std::move(profile);
            return;
        }
    }
    m_profiles.append(std::move(profile));
}

bool ProfileStore::remove(const QString &name)
{
    return m_profiles.removeIf([&](const ConnectionProfile &p) { return p.name == name; }) > 0;
}

bool ProfileStore::move(const QString &name, int to)
{
    for (qsizetype from = 0; from < m_profiles.size(); ++from) {
        if (m_profiles.at(from).name == name) {
            m_profiles.move(from, qBound(qsizetype(0), qsizetype(to), m_profiles.size() - 1));
            return true;
        }
    }
    return false;
}

void ProfileStore::setProfiles(QList<ConnectionProfile> profiles)
{
    for (ConnectionProfile &p : profiles) {
        p.password.clear();
        p.sentinel.password.clear();
    }
    m_profiles = std::move(profiles);
}

Result<bool> ProfileStore::exportProfiles(const QString &file, const QStringList &names) const
{
    QList<ConnectionProfile> selected;
    for (const QString &name : names) {
        const auto p = profile(name);
        if (!p)
            return Result<bool>::failure(
                QStringLiteral("cannot export: no saved profile named '%1'").arg(name));
        selected.append(*p);
    }
    return writeFile(file, names.isEmpty() ? m_profiles : selected, false);
}

Result<int> ProfileStore::importProfiles(const QString &file)
{
    auto imported = readFile(file);
    if (!imported)
        return Result<int>::failure(imported.error());
    for (const ConnectionProfile &p : imported.value())
        upsert(p);
    return Result<int>::success(int(imported->size()));
}

} // namespace qs::core
