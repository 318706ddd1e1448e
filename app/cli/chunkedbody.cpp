#include "chunkedbody.h"

#include <QSslSocket>
#include <QTcpSocket>

namespace qs::cli {

void ChunkedBody::start(QTcpSocket *socket, std::unique_ptr<exporter::ExpositionWriter> writer)
{
    (new ChunkedBody(socket, std::move(writer)))->send();
}

bool ChunkedBody::isSending(const QTcpSocket *socket)
{
    // A body sent in full leaves its socket at once (it is deleted later).
    return socket->findChild<ChunkedBody *>(QString(), Qt::FindDirectChildrenOnly) != nullptr;
}

ChunkedBody::ChunkedBody(QTcpSocket *socket, std::unique_ptr<exporter::ExpositionWriter> writer)
    : QObject(socket)
    , m_socket(socket)
    , m_writer(std::move(writer))
{
    connect(socket, &QIODevice::bytesWritten, this, &ChunkedBody::send);
    if (auto *tls = qobject_cast<QSslSocket *>(socket))
        connect(tls, &QSslSocket::encryptedBytesWritten, this, &ChunkedBody::send);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, socket, &QAbstractSocket::abort);
    m_deadline.start(kDeadlineMs);
}

qint64 ChunkedBody::unsent() const
{
    qint64 bytes = m_socket->bytesToWrite();
    if (const auto *tls = qobject_cast<const QSslSocket *>(m_socket))
        bytes += tls->encryptedBytesToWrite();
    return bytes;
}

void ChunkedBody::send()
{
    if (m_sending) // flush() below can signal bytesWritten again
        return;
    m_sending = true;
    while (m_socket->state() == QAbstractSocket::ConnectedState && unsent() < kUnsentBound) {
        QByteArray chunk;
        chunk.reserve(kChunkBytes + kChunkBytes / 4);
        if (!m_writer->write(chunk, kChunkBytes)) {
            m_socket->write("0\r\n\r\n", 5);
            m_socket->flush();
            m_deadline.stop();
            disconnect(m_socket, nullptr, this, nullptr);
            setParent(nullptr);
            deleteLater();
            break;
        }
        if (chunk.isEmpty())
            continue;
        m_socket->write(QByteArray::number(chunk.size(), 16) + "\r\n");
        // A QByteArray of 4 KB or more is kept by reference in the socket's buffer, not copied.
        m_socket->write(chunk);
        m_socket->write("\r\n", 2);
        m_socket->flush(); // as much as the kernel takes now, not one piece per pass of the loop
    }
    m_sending = false;
}

} // namespace qs::cli
