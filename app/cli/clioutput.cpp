#include "clioutput.h"

#include "exitcode.h"

#include "core/displaytext.h"

#include <QJsonDocument>

#include <cstdio>

namespace qs::cli {

namespace {

void write(FILE *stream, const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

} // namespace

void printText(const QString &text)
{
    // The last line of defence: whatever a command forgot to escape cannot drive the terminal.
    write(stdout, core::displayText(text, core::DisplayMode::Block).toUtf8());
}

void printBytes(const QByteArray &bytes)
{
    write(stdout, bytes);
}

void printJson(const QJsonObject &object)
{
    write(stdout, QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n'); // exact JSON
}

void printError(const QString &message)
{
    write(stderr, (QStringLiteral("queuescope: ") +
                   core::displayText(message, core::DisplayMode::Block) + QLatin1Char('\n'))
                      .toUtf8());
}

QString field(const QString &text)
{
    return core::displayText(text, core::DisplayMode::Line);
}

QString field(const QByteArray &bytes)
{
    return core::displayBytes(bytes, core::DisplayMode::Line);
}

QString identifier(const QByteArray &bytes)
{
    return core::displayBytes(bytes, core::DisplayMode::Identifier);
}

void insertEscapedIfLossy(QJsonObject &json, const QString &key, const QByteArray &bytes)
{
    if (QString::fromUtf8(bytes).toUtf8() != bytes)
        json.insert(key, identifier(bytes));
}

int usageError(const QString &message)
{
    printError(message + QStringLiteral(" (see --help)"));
    return UsageError;
}

int printHelp(const QCommandLineParser &parser)
{
    printText(parser.helpText());
    return Success;
}

} // namespace qs::cli
