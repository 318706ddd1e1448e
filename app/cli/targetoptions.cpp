#include "targetoptions.h"

#include "core/clusteraddressmap.h"
#include "core/environmentimport.h"
#include "core/profilestore.h"
#include "core/redisurl.h"
#include "core/sentinelurl.h"
#include "passwordsources.h"

#include "core/limits.h"

namespace qs::cli {

void addTargetOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("url"),
         QStringLiteral("Server to use: redis://[user:password@]host[:port][/db], rediss://... "
                        "or unix:///path. Keep the password out of it: the command line is "
                        "visible to other users. Use REDIS_PASSWORD, REDISCLI_AUTH, "
                        "--password-stdin or --askpass instead."),
         QStringLiteral("URL")},
        {QStringLiteral("profile"), QStringLiteral("Saved connection profile to use."),
         QStringLiteral("NAME")},
        {QStringLiteral("tls-ca"), QStringLiteral("CA certificate (PEM) to verify the server."),
         QStringLiteral("FILE")},
        {QStringLiteral("tls-cert"), QStringLiteral("Client certificate (PEM) for mutual TLS."),
         QStringLiteral("FILE")},
        {QStringLiteral("tls-key"), QStringLiteral("Key of the client certificate (PEM)."),
         QStringLiteral("FILE")},
        {QStringLiteral("tls-insecure"),
         QStringLiteral("Use TLS without verifying the server certificate.")},
        {QStringLiteral("timeout"),
         QStringLiteral("Connect and command timeout in seconds (default %1).")
             .arg(core::limits::defaultConnectTimeoutMs / 1000),
         QStringLiteral("SECONDS")},
        {QStringLiteral("sentinel"),
         QStringLiteral("Find the master through this sentinel (HOST:PORT; repeat for each "
                        "sentinel, asked in order). Needs --sentinel-master. A URL may name them "
                        "instead: redis+sentinel://h1:26379,h2:26379/<master>."),
         QStringLiteral("HOST:PORT")},
        {QStringLiteral("sentinel-master"),
         QStringLiteral("Name of the master the sentinels monitor (for --sentinel, Celery's "
                        "sentinel:// URLs or a profile). The sentinels' own password comes from "
                        "REDIS_SENTINEL_PASSWORD, the URL's sentinel_password or the keychain."),
         QStringLiteral("NAME")},
        {QStringLiteral("cluster-map"),
         QStringLiteral("A Redis Cluster node announces an address this machine cannot reach "
                        "(NAT, containers): connect to REACHABLE instead (repeat per node; "
                        "replaces a profile's map)."),
         QStringLiteral("ANNOUNCED=REACHABLE")},
        {QStringLiteral("read-only"),
         QStringLiteral("Send no write command at all, whatever the command (saved production "
                        "profiles are read-only already).")},
    });
    addPasswordOptions(parser);
}

namespace {

// --profile NAME: the saved profile (case-sensitive name); its password comes from the keychain
// (passwordsources.cpp).
core::Result<Target> savedProfileTarget(const QString &name)
{
    core::ProfileStore store;
    if (auto loaded = store.load(); !loaded)
        return core::Result<Target>::failure(
            QStringLiteral("--profile %1: %2").arg(name, loaded.error()));
    auto profile = store.profile(name);
    if (!profile) {
        const QStringList names = store.names();
        return core::Result<Target>::failure(
            QStringLiteral("no saved profile named '%1' in %2 (%3)")
                .arg(name, store.path(),
                     names.isEmpty()
                         ? QStringLiteral("no saved profiles")
                         : QStringLiteral("saved profiles: ") + names.join(QStringLiteral(", "))));
    }
    return core::Result<Target>::success(
        {*profile, QStringLiteral("--profile %1").arg(name), Target::Origin::Profile});
}

core::Result<Target> baseTarget(const QCommandLineParser &parser,
                                const QProcessEnvironment &environment)
{
    if (parser.isSet(QStringLiteral("url"))) {
        auto profile = core::parseRedisUrl(parser.value(QStringLiteral("url")));
        if (!profile)
            return core::Result<Target>::failure(QStringLiteral("--url: ") + profile.error());
        return core::Result<Target>::success(
            {profile.value(), QStringLiteral("--url"), Target::Origin::Url});
    }
    if (parser.isSet(QStringLiteral("profile")))
        return savedProfileTarget(parser.value(QStringLiteral("profile")));
    if (environment.contains(QStringLiteral("REDIS_URL")) ||
        environment.contains(QStringLiteral("REDIS_HOST"))) {
        auto profile = core::profileFromEnvironment(environment);
        if (!profile)
            return core::Result<Target>::failure(profile.error());
        // An empty REDIS_URL counts as unset (profileFromEnvironment): REDIS_HOST applies.
        const bool fromUrl = !environment.value(QStringLiteral("REDIS_URL")).trimmed().isEmpty();
        return core::Result<Target>::success(
            {profile.value(), fromUrl ? QStringLiteral("REDIS_URL") : QStringLiteral("REDIS_HOST"),
             fromUrl ? Target::Origin::EnvironmentUrl : Target::Origin::EnvironmentParts});
    }
    return core::Result<Target>::success(
        {core::ConnectionProfile{}, QStringLiteral("default 127.0.0.1:6379")});
}

// --sentinel HOST:PORT (repeated) and --sentinel-master NAME on top of the target; then whether
// a target that uses Sentinel can be asked at all (a master name, addresses that parse).
QString applySentinelOptions(const QCommandLineParser &parser, core::ConnectionProfile &profile)
{
    const QStringList sentinels = parser.values(QStringLiteral("sentinel"));
    if (!sentinels.isEmpty()) {
        profile.sentinel.addresses.clear();
        for (const QString &sentinel : sentinels) {
            auto address = core::parseSentinelAddress(sentinel);
            if (!address)
                return QStringLiteral("--sentinel %1: %2").arg(sentinel, address.error());
            profile.sentinel.addresses << core::hostPortText(address->first, address->second);
        }
        profile.sentinel.tls = profile.tls;
    }
    if (parser.isSet(QStringLiteral("sentinel-master"))) {
        if (!profile.usesSentinel())
            return QStringLiteral("--sentinel-master needs sentinels to ask: give --sentinel "
                                  "HOST:PORT, a redis+sentinel:// URL or a profile with "
                                  "sentinels");
        profile.sentinel.masterName = parser.value(QStringLiteral("sentinel-master"));
    }
    if (profile.sentinel.tls.enabled) // --tls-ca and the like serve the sentinels too
        profile.sentinel.tls = profile.tls;
    return core::sentinelProblem(profile);
}

// The options every target takes: its password, TLS files, --read-only, --timeout.
core::Result<Target> finishTarget(core::Result<Target> target, const QCommandLineParser &parser,
                                  const QProcessEnvironment &environment)
{
    if (!target)
        return target;
    if (auto password = applyPassword(parser, environment, &target.value()); !password)
        return core::Result<Target>::failure(password.error());
    core::ConnectionProfile &profile = target.value().profile;
    if (parser.isSet(QStringLiteral("tls-ca"))) {
        profile.tls.enabled = true;
        profile.tls.caFile = parser.value(QStringLiteral("tls-ca"));
    }
    if (parser.isSet(QStringLiteral("tls-cert")) != parser.isSet(QStringLiteral("tls-key")))
        return core::Result<Target>::failure(
            QStringLiteral("--tls-cert and --tls-key go together (mutual TLS needs both)"));
    if (parser.isSet(QStringLiteral("tls-cert"))) {
        profile.tls.enabled = true;
        profile.tls.certFile = parser.value(QStringLiteral("tls-cert"));
        profile.tls.keyFile = parser.value(QStringLiteral("tls-key"));
    }
    if (parser.isSet(QStringLiteral("tls-insecure"))) {
        profile.tls.enabled = true;
        profile.tls.verifyPeer = false;
    }
    if (parser.isSet(QStringLiteral("read-only")))
        profile.readOnly = true;
    if (const QString problem = applySentinelOptions(parser, profile); !problem.isEmpty())
        return core::Result<Target>::failure(problem);
    if (parser.isSet(QStringLiteral("cluster-map")))
        profile.clusterAddressMap = parser.values(QStringLiteral("cluster-map"));
    if (auto map = core::parseClusterAddressMap(profile.clusterAddressMap); !map)
        return core::Result<Target>::failure(map.error());
    if (parser.isSet(QStringLiteral("timeout"))) {
        bool ok = false;
        const double seconds = parser.value(QStringLiteral("timeout")).toDouble(&ok);
        if (!ok || seconds <= 0 || seconds > core::limits::maxTimeoutMs / 1000.0)
            return core::Result<Target>::failure(
                QStringLiteral("--timeout takes seconds from 0.1 to %1, not '%2'")
                    .arg(QString::number(core::limits::maxTimeoutMs / 1000),
                         parser.value(QStringLiteral("timeout"))));
        profile.connectTimeoutMs = int(seconds * 1000);
        profile.commandTimeoutMs = int(seconds * 1000);
    } else {
        profile.commandTimeoutMs =
            qMax(profile.commandTimeoutMs, core::limits::minCliCommandTimeoutMs);
    }
    return target;
}

} // namespace

core::Result<Target> resolveTarget(const QCommandLineParser &parser,
                                   const QProcessEnvironment &environment)
{
    return finishTarget(baseTarget(parser, environment), parser, environment);
}

core::Result<QList<Target>> resolveProfileTargets(const QCommandLineParser &parser,
                                                  const QProcessEnvironment &environment, bool all)
{
    using Targets = core::Result<QList<Target>>;
    if (parser.isSet(QStringLiteral("url")))
        return Targets::failure(QStringLiteral("--url names one server: give saved profiles "
                                               "(--profile NAME ... or --all) instead"));
    if (parser.isSet(QStringLiteral("password-stdin")) || parser.isSet(QStringLiteral("askpass")))
        return Targets::failure(
            QStringLiteral("one password cannot serve several profiles: each comes from the "
                           "keychain (or run one command per profile)"));
    QStringList names = parser.values(QStringLiteral("profile"));
    if (all) {
        core::ProfileStore store;
        if (auto loaded = store.load(); !loaded)
            return Targets::failure(QStringLiteral("--all: ") + loaded.error());
        names = store.names();
        if (names.isEmpty())
            return Targets::failure(
                QStringLiteral("--all: no saved profiles in %1").arg(store.path()));
    }
    names.removeDuplicates();
    QList<Target> targets;
    for (const QString &name : std::as_const(names)) {
        auto target = finishTarget(savedProfileTarget(name), parser, environment);
        if (!target)
            return Targets::failure(target.error());
        targets.append(target.value());
    }
    return Targets::success(targets);
}

core::Result<QList<Target>> watchedTargets(const QCommandLineParser &parser, const Target &target)
{
    const bool all = parser.isSet(QStringLiteral("all"));
    if (all || parser.values(QStringLiteral("profile")).size() > 1)
        return resolveProfileTargets(parser, QProcessEnvironment::systemEnvironment(), all);
    return core::Result<QList<Target>>::success({target});
}

} // namespace qs::cli
