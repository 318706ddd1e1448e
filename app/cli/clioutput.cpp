#include "clioutput.h"

#include "exitcode.h"

#include <QJsonDocument>

#include <cstdio>

namespace qs::cli {

void printText(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

void printJson(const QJsonObject &object)
{
    printText(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) +
              QLatin1Char('\n'));
}

void printError(const QString &message)
{
    const QByteArray bytes =
        (QStringLiteral("queuescope: ") + message + QLatin1Char('\n')).toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
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
