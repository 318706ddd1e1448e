#include "passwordsources.h"

#include <QFile>
#include <QTextStream>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace qs::cli {

namespace {

// The password already in the target, and where it came from.
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

core::Result<bool> applyPassword(const QCommandLineParser &parser,
                                 const QProcessEnvironment &environment, Target *target,
                                 const PasswordInput &input)
{
    using R = core::Result<bool>;
    struct Given
    {
        QString source;
        QString password;
    };
    QList<Given> given;
    if (!target->profile.password.isEmpty())
        given.append({ownSource(*target), target->profile.password});
    // REDIS_PASSWORD is the target's own password when the target came from REDIS_HOST.
    for (const char *name : {"REDIS_PASSWORD", "REDISCLI_AUTH"}) {
        const QString variable = QString::fromLatin1(name);
        if (variable == QLatin1String("REDIS_PASSWORD") &&
            target->origin == Target::Origin::EnvironmentParts)
            continue;
        if (const QString value = environment.value(variable); !value.isEmpty())
            given.append({variable, value});
    }
    const bool fromStdin = parser.isSet(QStringLiteral("password-stdin"));
    const bool prompt = parser.isSet(QStringLiteral("askpass"));
    if (fromStdin && prompt)
        return R::failure(QStringLiteral("--password-stdin and --askpass both give the password; "
                                         "use one"));
    // Conflicts are reported before anything is read or asked.
    const QString flag = fromStdin ? QStringLiteral("--password-stdin")
                                   : (prompt ? QStringLiteral("--askpass") : QString());
    if (!flag.isEmpty() && !given.isEmpty())
        return R::failure(QStringLiteral("a password is given twice, by %1 and by %2; give it "
                                         "one way only")
                              .arg(given.first().source, flag));
    if (given.size() > 1)
        return R::failure(QStringLiteral("a password is given twice, by %1 and by %2; give it "
                                         "one way only")
                              .arg(given.at(0).source, given.at(1).source));
    if (fromStdin) {
        const std::optional<QString> line = input.readStdin();
        if (!line || line->isEmpty())
            return R::failure(QStringLiteral("--password-stdin: standard input has no password"));
        target->profile.password = *line;
    } else if (prompt) {
        const std::optional<QString> typed =
            input.ask(QStringLiteral("Password for %1: ").arg(target->profile.displayUrl()));
        if (!typed)
            return R::failure(QStringLiteral("--askpass needs a terminal to ask on; use "
                                             "--password-stdin or REDISCLI_AUTH in scripts"));
        target->profile.password = *typed;
    } else if (!given.isEmpty()) {
        target->profile.password = given.first().password;
    }
    return R::success(true);
}

} // namespace qs::cli
