#pragma once

#include "servermetrics.h"

namespace qs::exporter {

// A scrape of several servers, rendered as it is sent: every family that has a sample, its HELP
// and TYPE once, then each server's samples of it in the order given (the formats want a family's
// samples together, across servers). A fleet's scrape is megabytes (14.6 MB for 50 servers x 200
// queues); written part by part as the socket takes it, it never exists in one buffer, and
// nothing is rendered on a poll that no scrape reads.
class ExpositionWriter
{
public:
    ExpositionWriter(QList<ServerState> servers, ExpositionFormat format);

    // Appends the next part of the scrape to `out`: whole families of whole servers until `out`
    // holds at least `bytes`, or the scrape ends. False once it has ended (nothing appended).
    bool write(QByteArray &out, qsizetype bytes);
    bool atEnd() const { return m_ended; }

    // Server `index`'s queue labels as this scrape built them (for its next ServerState).
    const QueueLabelCache &labels(qsizetype index) const { return m_servers.at(index).labels(); }

private:
    QList<ServerMetrics> m_servers;
    ExpositionFormat m_format;
    int m_family = 0;
    qsizetype m_server = 0;       // the next server of m_family
    bool m_headerWritten = false; // m_family's HELP and TYPE
    bool m_ended = false;
};

// The whole scrape in one buffer (tests, and anything small).
QByteArray renderExposition(QList<ServerState> servers, ExpositionFormat format);

} // namespace qs::exporter
