#pragma once

#include <QCommandLineParser>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace qs::cli {

// One headless command: the dispatcher runs it and the top-level help lists it, both from
// commandList(), so the two cannot drift apart.
struct CliCommand
{
    QString name;
    QString summary; // one line in `queuescope --help`
    std::function<int(const QStringList &arguments)> run;
};

const QList<CliCommand> &commandList();
const CliCommand *findCommand(const QString &name);

// The options of the window (`queuescope [target]`) with the command list as description: the
// parser of the window and the text of `queuescope --help`.
void describeTopLevel(QCommandLineParser &parser);
int printTopLevelHelp();
// "unknown command 'queus'; did you mean 'queues'?" on stderr; returns UsageError.
int unknownCommand(const QString &typed);

} // namespace qs::cli
