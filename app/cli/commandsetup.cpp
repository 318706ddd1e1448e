#include "commandsetup.h"

#include "clioutput.h"

#include "queues/actionrequest.h"

namespace qs::cli {

std::optional<int> setUpCommand(QCommandLineParser &parser, const QStringList &arguments,
                                qsizetype maxPositional, Target *target)
{
    parser.addHelpOption();
    addTargetOptions(parser);
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help")))
        return printHelp(parser);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > maxPositional)
        return usageError(QStringLiteral("%1: unexpected argument '%2'")
                              .arg(positional.first(), positional.value(maxPositional)));
    auto resolved = resolveTarget(parser, QProcessEnvironment::systemEnvironment());
    if (!resolved)
        return usageError(resolved.error());
    *target = resolved.value();
    return std::nullopt;
}

bool readAgeOption(const QCommandLineParser &parser, const QString &name, std::optional<qint64> *ms)
{
    *ms = std::nullopt;
    if (!parser.isSet(name))
        return true;
    *ms = jobs::parseAgeMs(parser.value(name));
    return *ms && **ms > 0;
}

} // namespace qs::cli
