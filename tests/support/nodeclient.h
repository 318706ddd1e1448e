#pragma once

#include "redisserver.h"

#include <QTcpSocket>

namespace qs::test {

// A plain client of ONE server or cluster node (a RedisConnection to a cluster node would open a
// connection to every node): inline commands, one reply read back (a status, an error, an
// integer or a bulk string), blocking with a deadline. For tests that need a client on exactly
// one node (client ids, CLIENT KILL).
class NodeClient
{
public:
    bool open(const RedisServer &server)
    {
        m_socket.connectToHost(server.host(), server.port());
        return m_socket.waitForConnected(5'000);
    }
    QByteArray ask(const QByteArray &inlineCommand)
    {
        m_socket.write(inlineCommand + "\r\n");
        if (!m_socket.waitForBytesWritten(5'000))
            return {};
        QByteArray reply;
        while (!complete(reply) && m_socket.waitForReadyRead(5'000))
            reply += m_socket.readAll();
        return reply.trimmed();
    }
    qint64 id() { return ask("CLIENT ID").mid(1).toLongLong(); }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    bool closedByServer() { return !m_socket.waitForReadyRead(5'000) && !isConnected(); }

private:
    static bool complete(const QByteArray &reply)
    {
        const qsizetype line = reply.indexOf("\r\n");
        if (line < 0)
            return false;
        if (!reply.startsWith('$'))
            return true;
        const qint64 length = reply.mid(1, line - 1).toLongLong();
        return length < 0 || reply.size() >= line + 2 + length + 2;
    }

    QTcpSocket m_socket;
};

} // namespace qs::test
