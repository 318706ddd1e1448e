#pragma once

#include "targetoptions.h"

#include <QCommandLineParser>

#include <optional>

namespace qs::cli {

// What every subcommand does first: parse, answer --help, check the positional arguments and
// resolve the target. On nullopt the command goes on; otherwise it returns that exit code.
std::optional<int> setUpCommand(QCommandLineParser &parser, const QStringList &arguments,
                                qsizetype maxPositional, Target *target);

// An option that takes an age (90s, 15m, 24h, 7d) as milliseconds: nullopt when not given;
// false when given but not a positive age (the caller says so, exit 2).
bool readAgeOption(const QCommandLineParser &parser, const QString &name,
                   std::optional<qint64> *ms);

} // namespace qs::cli
