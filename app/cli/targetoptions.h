#pragma once

#include "core/connectionprofile.h"
#include "core/result.h"

#include <QCommandLineParser>
#include <QProcessEnvironment>

namespace qs::cli {

// The target options every subcommand shares (DESIGN section 6): --url, --profile, or the
// environment (REDIS_URL, else REDIS_HOST/PORT/PASSWORD/USERNAME/DB/TLS), then --tls-ca,
// --tls-cert/--tls-key, --tls-insecure, --timeout on top.
void addTargetOptions(QCommandLineParser &parser);

struct Target
{
    // Where the server (and its password) came from: what a message may tell the user to fix.
    enum class Origin { Url, Profile, EnvironmentUrl, EnvironmentParts, Default };

    core::ConnectionProfile profile;
    QString source; // "--url", "REDIS_URL", "default 127.0.0.1:6379", ... for messages
    Origin origin = Origin::Default;
};

core::Result<Target> resolveTarget(const QCommandLineParser &parser,
                                   const QProcessEnvironment &environment);

// Several saved profiles at once (`record --profile A --profile B`, `--all`): each resolved as
// `--profile NAME` is, its password from the keychain. --url and a password given on the command
// line are refused (they name one server).
core::Result<QList<Target>> resolveProfileTargets(const QCommandLineParser &parser,
                                                  const QProcessEnvironment &environment, bool all);

// The servers of a command that watches several (`record`, `exporter`; the parser has --all):
// `target` alone, or with --all or --profile given more than once, those saved profiles.
core::Result<QList<Target>> watchedTargets(const QCommandLineParser &parser, const Target &target);

} // namespace qs::cli
