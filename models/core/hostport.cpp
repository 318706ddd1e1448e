#include "hostport.h"

#include "connectionprofile.h"

#include <QRegularExpression>

namespace qs::core {

QString hostPortText(const QString &host, quint16 port)
{
    ConnectionProfile node;
    node.host = host;
    node.port = port;
    return node.endpoint();
}

Result<std::pair<QString, quint16>> parseHostPort(const QString &address,
                                                  std::optional<quint16> defaultPort)
{
    using R = Result<std::pair<QString, quint16>>;
    const QString text = address.trimmed();
    if (text.isEmpty())
        return R::failure(QStringLiteral("empty address"));
    static const QRegularExpression shape(
        QStringLiteral("^(\\[[0-9A-Fa-f:.]+\\]|[^\\[\\]:/@?#,;=\\s]+)(?::([0-9]{1,5}))?$"));
    const QRegularExpressionMatch match = shape.match(text);
    if (!match.hasMatch())
        return R::failure(QStringLiteral("'%1' is not host:port (an IPv6 address goes in "
                                         "brackets: [::1]:%2)")
                              .arg(text, QString::number(defaultPort.value_or(6379))));
    QString host = match.captured(1);
    if (host.startsWith(u'['))
        host = host.mid(1, host.size() - 2);
    if (!match.hasCaptured(2)) {
        if (!defaultPort)
            return R::failure(QStringLiteral("'%1' names no port (write %1:6379)").arg(text));
        return R::success({host, *defaultPort});
    }
    const int port = match.captured(2).toInt();
    if (port < 1 || port > 65535)
        return R::failure(
            QStringLiteral("port '%1' is out of range (1-65535)").arg(match.captured(2)));
    return R::success({host, quint16(port)});
}

} // namespace qs::core
