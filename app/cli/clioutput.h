#pragma once

#include <QCommandLineParser>
#include <QJsonObject>
#include <QString>

namespace qs::cli {

// All command-line output goes through here: results to stdout, diagnostics to stderr.
void printText(const QString &text);
void printJson(const QJsonObject &object); // compact, one line
void printError(const QString &message);   // "queuescope: <message>" on stderr
int usageError(const QString &message);    // prints, returns ExitCode::UsageError
int printHelp(const QCommandLineParser &parser);

} // namespace qs::cli
