#pragma once

#include "exporter/expositionwriter.h"

#include <QObject>
#include <QTimer>

#include <memory>

class QTcpSocket;

namespace qs::cli {

// A scrape's body sent with chunked transfer encoding as the socket takes it: the next part is
// rendered only when the socket holds less than a bound of unsent bytes (its own buffer and, over
// TLS, the encrypted one), so a scrape of megabytes holds a few hundred KB at a time whatever the
// scraper's pace. A scrape that is not sent in full within its deadline (a scraper that stopped
// reading) ends the connection. Owned by the socket; deletes itself when the body is sent.
class ChunkedBody : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype kChunkBytes = 64 * 1024;
    static constexpr qsizetype kUnsentBound = 256 * 1024;
    static constexpr int kDeadlineMs = 60'000;
    static constexpr qsizetype kSizeWidth = 8; // hex digits of a chunk's size: up to 4 GB

    // Starts sending on `socket`, whose response headers (Transfer-Encoding: chunked) are written.
    static void start(QTcpSocket *socket, std::unique_ptr<exporter::ExpositionWriter> writer);
    // Whether `socket` is still sending a body (a request pipelined behind it cannot be answered
    // in turn: MetricsServer ends the connection).
    static bool isSending(const QTcpSocket *socket);

private:
    ChunkedBody(QTcpSocket *socket, std::unique_ptr<exporter::ExpositionWriter> writer);
    void send();
    qint64 unsent() const;

    QTcpSocket *m_socket;
    std::unique_ptr<exporter::ExpositionWriter> m_writer;
    QTimer m_deadline;
    bool m_sending = false;
};

} // namespace qs::cli
