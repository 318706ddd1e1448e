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
    // The last chunk is small: sent at once, not held back until the scraper acknowledges.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
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
        // One write per chunk, its size in front: written in a fixed width (leading zeros are
        // allowed) once the chunk is rendered. Small writes of their own would wait on the
        // scraper's acknowledgements.
        QByteArray frame(kSizeWidth, '0');
        frame.reserve(kChunkBytes + kChunkBytes / 4);
        frame += "\r\n";
        m_writer->write(frame, kChunkBytes);
        const qsizetype size = frame.size() - kSizeWidth - 2;
        if (size > 0) {
            const QByteArray hex = QByteArray::number(size, 16);
            std::copy(hex.cbegin(), hex.cend(), frame.begin() + (kSizeWidth - hex.size()));
            frame += "\r\n";
        } else {
            frame.clear();
        }
        if (m_writer->atEnd())
            frame += "0\r\n\r\n"; // the last chunk
        // A QByteArray of 4 KB or more is kept by reference in the socket's buffer, not copied.
        m_socket->write(frame);
        m_socket->flush(); // as much as the kernel takes now, not one piece per pass of the loop
        if (m_writer->atEnd()) {
            m_deadline.stop();
            disconnect(m_socket, nullptr, this, nullptr);
            setParent(nullptr);
            deleteLater();
            break;
        }
    }
    m_sending = false;
}

} // namespace qs::cli
