#pragma once

#include <QCommandLineParser>
#include <QJsonObject>
#include <QString>

namespace qs::cli {

// All command-line output goes through here: results to stdout, diagnostics to stderr. Human
// text is escaped as a block (core::displayText): controls, C1, bidi controls never reach the
// terminal raw. Single-line fields that hold server data are escaped where they are formatted
// (a newline in a job name must not start a fake line). JSON is written exactly.
void printText(const QString &text);
// Bytes the caller built from numbers and escaped JSON only (history's ranges): written as they
// are, without the text escaping's cost.
void printBytes(const QByteArray &bytes);
void printJson(const QJsonObject &object); // compact, one line
void printError(const QString &message);   // "queuescope: <message>" on stderr
int usageError(const QString &message);

// Server data inside one line of human output (core::displayText, Line mode).
QString field(const QString &text);
QString field(const QByteArray &bytes); // invalid UTF-8 shown as \xNN
// A queue name or job id, shown so that it can be typed back as an argument (Identifier mode).
QString identifier(const QByteArray &bytes);
// For JSON: when bytes are not valid UTF-8, a JSON string cannot hold them (they would read as
// U+FFFD): their identifier() form, which a script can pass back as an argument.
void insertEscapedIfLossy(QJsonObject &json, const QString &key,
                          const QByteArray &bytes); // prints, returns ExitCode::UsageError
int printHelp(const QCommandLineParser &parser);

} // namespace qs::cli
