#pragma once

#include "targetoptions.h"

#include <QCommandLineParser>

#include <optional>

namespace qs::cli {

// What every subcommand does first: parse, answer --help, check the positional arguments and
// resolve the target. On nullopt the command goes on; otherwise it returns that exit code.
std::optional<int> setUpCommand(QCommandLineParser &parser, const QStringList &arguments,
                                qsizetype maxPositional, Target *target);

} // namespace qs::cli
