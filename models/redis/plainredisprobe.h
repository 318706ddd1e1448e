#pragma once

#include <QObject>

class QTcpSocket;

namespace qs::redis {

// Asks host:port in plain text whether it speaks Redis ("PING" answered by "+PONG", "-NOAUTH",
// "-DENIED", ...). A TLS client that talks to a plain Redis port gets no answer to its
// ClientHello (Redis waits for the end of an inline command that never comes), so without this
// it would wait for the whole connect timeout before saying anything.
class PlainRedisProbe final : public QObject
{
    Q_OBJECT
public:
    PlainRedisProbe(const QString &host, quint16 port, QObject *parent);

Q_SIGNALS:
    // Only when the answer was plain RESP; nothing for a TLS server, silence or an error.
    void plainRedisAnswered();

private:
    void onReadyRead();

    QTcpSocket *m_socket = nullptr;
    QByteArray m_received;
};

} // namespace qs::redis
