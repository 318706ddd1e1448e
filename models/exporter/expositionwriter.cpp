#include "expositionwriter.h"

#include "metricfamilies.h"

namespace qs::exporter {

ExpositionWriter::ExpositionWriter(QList<ServerState> servers, ExpositionFormat format)
    : m_format(format)
{
    m_servers.reserve(servers.size());
    for (ServerState &server : servers)
        m_servers.emplaceBack(std::move(server));
}

bool ExpositionWriter::write(QByteArray &out, qsizetype bytes)
{
    if (m_ended)
        return false;
    const qsizetype start = out.size();
    while (m_family < familyCount() && out.size() - start < bytes) {
        if (m_server == m_servers.size()) {
            ++m_family;
            m_server = 0;
            m_headerWritten = false;
            continue;
        }
        const qsizetype before = out.size();
        if (!m_headerWritten)
            out += familyHeader(familyAt(m_family), m_format);
        const qsizetype samples = out.size();
        m_servers.at(m_server++).render(m_family, out);
        if (out.size() > samples)
            m_headerWritten = true;
        else
            out.truncate(before); // no sample: no header for it (yet)
    }
    if (m_family == familyCount()) {
        out += expositionEnd(m_format);
        m_ended = true;
    }
    return true;
}

QByteArray renderExposition(QList<ServerState> servers, ExpositionFormat format)
{
    ExpositionWriter writer(std::move(servers), format);
    QByteArray out;
    while (writer.write(out, 1 << 20)) {
    }
    return out;
}

} // namespace qs::exporter
