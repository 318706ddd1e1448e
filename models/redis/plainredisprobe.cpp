#include "plainredisprobe.h"

#include <QTcpSocket>

namespace qs::redis {

PlainRedisProbe::PlainRedisProbe(const QString &host, quint16 port, QObject *parent)
    : QObject(parent)
    , m_socket(new QTcpSocket(this))
{
    connect(m_socket, &QTcpSocket::connected, this, [this] { m_socket->write("PING\r\n"); });
    connect(m_socket, &QTcpSocket::readyRead, this, &PlainRedisProbe::onReadyRead);
    m_socket->connectToHost(host, port);
}

void PlainRedisProbe::onReadyRead()
{
    m_received += m_socket->read(256 - m_received.size());
    const qsizetype end = m_received.indexOf("\r\n");
    if (end < 0 && m_received.size() < 256)
        return;
    const bool resp = end > 0 && (m_received.startsWith('+') || m_received.startsWith('-'));
    m_socket->abort();
    if (resp)
        Q_EMIT plainRedisAnswered();
}

} // namespace qs::redis
