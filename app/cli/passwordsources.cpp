#include "passwordsources.h"

#include "clioutput.h"
#include "core/sentinelurl.h"
#include "keychain/keychainsecretstore.h"

#include <QFile>
#include <QTextStream>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace qs::cli {

namespace {

// Where the password already in the target came from.
QString ownSource(const Target &target)
{
    switch (target.origin) {
    case Target::Origin::Url:
        return QStringLiteral("the --url URL");
    case Target::Origin::EnvironmentUrl:
        return QStringLiteral("REDIS_URL");
    case Target::Origin::EnvironmentParts:
        return QStringLiteral("REDIS_PASSWORD");
    case Target::Origin::Profile:
        return QStringLiteral("the keychain (%1)").arg(target.source);
    case Target::Origin::Default:
        break;
    }
    return {};
}

QString chomp(QString line)
{
    while (line.endsWith(QLatin1Char('\n')) || line.endsWith(QLatin1Char('\r')))
        line.chop(1);
    return line;
}

std::optional<QString> readFirstLineOfStdin()
{
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray line = in.readLine(64 * 1024);
    if (line.isEmpty())
        return std::nullopt;
    return chomp(QString::fromUtf8(line));
}

// Prompts on the controlling terminal with echo off, as redis-cli --askpass does.
std::optional<QString> askOnTerminal(const QString &prompt)
{
    FILE *tty = std::fopen("/dev/tty", "r+");
    if (!tty)
        return std::nullopt;
    const int fd = fileno(tty);
    termios saved{};
    if (tcgetattr(fd, &saved) != 0) {
        std::fclose(tty);
        return std::nullopt;
    }
    termios quiet = saved;
    quiet.c_lflag &= ~tcflag_t(ECHO);
    quiet.c_lflag |= ECHONL;
    std::fputs(prompt.toUtf8().constData(), tty);
    std::fflush(tty);
    tcsetattr(fd, TCSAFLUSH, &quiet);
    QByteArray line;
    for (int c = std::fgetc(tty); c != EOF && c != '\n' && line.size() < 64 * 1024;
         c = std::fgetc(tty))
        line.append(char(c));
    tcsetattr(fd, TCSAFLUSH, &saved);
    std::fclose(tty);
    return chomp(QString::fromUtf8(line));
}

// The keychain of this command: one for all its profiles and their sentinels, so that a keychain
// that left one read unanswered is not waited for again for each of them (SecretStore::unanswered).
keychain::KeychainSecretStore &commandKeychain()
{
    static keychain::KeychainSecretStore store;
    return store;
}

// The sentinels' own password, when they have one: the URL's sentinel_password, else
// REDIS_SENTINEL_PASSWORD, else the keychain entry of a saved profile. Never the data password.
void applySentinelPassword(const QProcessEnvironment &environment, Target *target)
{
    core::ConnectionProfile &profile = target->profile;
    if (!profile.usesSentinel() || !profile.sentinel.password.isEmpty())
        return;
    profile.sentinel.password = environment.value(QStringLiteral("REDIS_SENTINEL_PASSWORD"));
    if (!profile.sentinel.password.isEmpty() || target->origin != Target::Origin::Profile)
        return;
    const auto stored =
        core::readSecretBlocking(commandKeychain(), core::sentinelSecretName(profile.name));
    if (stored && stored.value())
        profile.sentinel.password = *stored.value();
}

} // namespace

PasswordInput PasswordInput::system()
{
    return {readFirstLineOfStdin, askOnTerminal};
}

void addPasswordOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("password-stdin"),
         QStringLiteral("Read the password from the first line of standard input.")},
        {QStringLiteral("askpass"),
         QStringLiteral("Ask for the password on the terminal (not echoed). REDIS_PASSWORD and "
                        "REDISCLI_AUTH in the environment are read too; give a password one "
                        "way only.")},
    });
}

core::CredentialRequest passwordRequest(const QCommandLineParser &parser, const Target &target,
                                        const PasswordInput &input)
{
    core::CredentialRequest request;
    request.rule = core::CredentialRequest::Rule::OneSource;
    if (!target.profile.password.isEmpty())
        request.own = core::GivenPassword{ownSource(target), target.profile.password};
    if (target.origin == Target::Origin::Profile) {
        request.savedProfile = target.profile.name;
        request.keychainSource = QStringLiteral("the keychain (%1)").arg(target.source);
    }
    // REDIS_PASSWORD is the target's own password when the target came from REDIS_HOST.
    if (target.origin != Target::Origin::EnvironmentParts)
        request.environment.append(QStringLiteral("REDIS_PASSWORD"));
    request.environment.append(QStringLiteral("REDISCLI_AUTH"));
    if (parser.isSet(QStringLiteral("password-stdin"))) {
        request.prompts.append(
            {QStringLiteral("--password-stdin"), QString(),
             [read = input.readStdin](const QString &) -> std::optional<QString> {
                 const std::optional<QString> line = read();
                 if (!line || line->isEmpty())
                     return std::nullopt;
                 return line;
             },
             QStringLiteral("--password-stdin: standard input has no password")});
    }
    if (parser.isSet(QStringLiteral("askpass"))) {
        request.prompts.append(
            {QStringLiteral("--askpass"),
             QStringLiteral("Password for %1: ").arg(target.profile.displayUrl()), input.ask,
             QStringLiteral("--askpass needs a terminal to ask on; use --password-stdin or "
                            "REDISCLI_AUTH in scripts")});
    }
    return request;
}

core::Result<bool> applyPassword(const QCommandLineParser &parser,
                                 const QProcessEnvironment &environment, Target *target,
                                 const PasswordInput &input)
{
    const core::CredentialRequest request = passwordRequest(parser, *target, input);
    const core::CredentialResolver resolver(
        request.savedProfile.isEmpty() ? nullptr : &commandKeychain(), environment);
    const core::Credential credential = resolver.resolveBlocking(request);
    // No keychain at all: no password, so a server that needs one answers with an
    // authentication error this note explains.
    if (!credential.keychainProblem.isEmpty())
        printError(QStringLiteral("note: keychain unavailable, connecting with profile '%1' "
                                  "without a password (%2)")
                       .arg(target->profile.name, credential.keychainProblem));
    if (!credential.ok())
        return core::Result<bool>::failure(credential.error);
    target->profile.password = credential.password;
    applySentinelPassword(environment, target);
    return core::Result<bool>::success(true);
}

} // namespace qs::cli
