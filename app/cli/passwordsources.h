#pragma once

#include "targetoptions.h"

#include "core/credentialresolver.h"

#include <QCommandLineParser>
#include <QProcessEnvironment>

#include <functional>

namespace qs::cli {

// The ways a command line can be given a password, as redis-cli has them: in the URL (--url,
// REDIS_URL), REDIS_PASSWORD, REDISCLI_AUTH, --password-stdin (the first line of standard
// input), --askpass (a prompt on the terminal, not echoed), or the keychain of a --profile.
// One of them applies; two are an error naming both, never a silent choice.
void addPasswordOptions(QCommandLineParser &parser);

// Where the interactive and piped passwords come from; tests and the prompt replace them.
struct PasswordInput
{
    std::function<std::optional<QString>()> readStdin;          // the first line, if any
    std::function<std::optional<QString>(const QString &)> ask; // nullopt: no terminal
    static PasswordInput system();
};

// Where the target's password may come from, for the CredentialResolver (Rule::OneSource).
core::CredentialRequest passwordRequest(const QCommandLineParser &parser, const Target &target,
                                        const PasswordInput &input = PasswordInput::system());

// Sets target->profile.password from the one source that gives one (the keychain is asked only
// for a --profile target; when it cannot be read, a note on stderr says so). On error, the
// message names the sources, never a password.
core::Result<bool> applyPassword(const QCommandLineParser &parser,
                                 const QProcessEnvironment &environment, Target *target,
                                 const PasswordInput &input = PasswordInput::system());

} // namespace qs::cli
