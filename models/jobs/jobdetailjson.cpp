#include "jobdetailjson.h"

#include "queues/jsonsyntax.h"
#include "queues/payloadformat.h"

#include <QJsonDocument>

namespace qs::jobs {

namespace {

constexpr qsizetype chunkBytes = 64 * 1024;

class Writer
{
public:
    explicit Writer(const JsonSink &sink)
        : m_sink(sink)
    {
        m_buffer.reserve(chunkBytes + 16);
    }
    ~Writer() { flush(); }

    void raw(QByteArrayView bytes)
    {
        if (bytes.size() >= chunkBytes) {
            flush();
            m_sink(bytes);
            return;
        }
        m_buffer.append(bytes);
        if (m_buffer.size() >= chunkBytes)
            flush();
    }
    void key(const char *name, bool first = false)
    {
        if (!first)
            raw(",");
        string(QByteArrayView(name));
        raw(":");
    }
    void key(const QString &name, bool first)
    {
        if (!first)
            raw(",");
        string(QByteArrayView(name.toUtf8()));
        raw(":");
    }
    void number(qint64 value) { raw(QByteArray::number(value)); }
    void boolean(bool value) { raw(value ? "true" : "false"); }
    void string(const QString &text) { string(QByteArrayView(text.toUtf8())); }
    // UTF-8 bytes as a JSON string (invalid sequences become U+FFFD, as QJsonValue does).
    void string(QByteArrayView utf8)
    {
        if (!utf8.isValidUtf8()) {
            const QByteArray repaired = QString::fromUtf8(utf8).toUtf8();
            string(QByteArrayView(repaired));
            return;
        }
        raw("\"");
        qsizetype plainStart = 0;
        for (qsizetype i = 0; i < utf8.size(); ++i) {
            const auto c = static_cast<unsigned char>(utf8[i]);
            if (c >= 0x20 && c != '"' && c != '\\')
                continue;
            raw(utf8.sliced(plainStart, i - plainStart));
            plainStart = i + 1;
            switch (c) {
            case '"':
                raw("\\\"");
                break;
            case '\\':
                raw("\\\\");
                break;
            case '\n':
                raw("\\n");
                break;
            case '\r':
                raw("\\r");
                break;
            case '\t':
                raw("\\t");
                break;
            default:
                raw(QByteArrayLiteral("\\u00") + QByteArray::number(c, 16).rightJustified(2, '0'));
            }
        }
        raw(utf8.sliced(plainStart));
        raw("\"");
    }
    void base64(QByteArrayView bytes)
    {
        raw("{\"base64\":\"");
        constexpr qsizetype step = 3 * 16 * 1024; // whole 3-byte groups: no padding in between
        for (qsizetype at = 0; at < bytes.size(); at += step)
            raw(bytes.sliced(at, qMin(step, bytes.size() - at)).toByteArray().toBase64());
        raw("\"}");
    }
    void content(const QByteArray &bytes, ContentFormat format)
    {
        switch (format) {
        case ContentFormat::Json:
            if (isJsonDocument(bytes)) {
                raw(bytes);
                return;
            }
            [[fallthrough]];
        case ContentFormat::Text:
            string(QByteArrayView(bytes));
            return;
        case ContentFormat::Binary:
        case ContentFormat::Pickle:
            base64(bytes);
            return;
        }
    }

private:
    void flush()
    {
        if (m_buffer.isEmpty())
            return;
        m_sink(m_buffer);
        m_buffer.clear();
    }

    const JsonSink &m_sink;
    QByteArray m_buffer;
};

const DetailSection *sectionShowing(const JobDetail &detail, const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return nullptr;
    for (const DetailSection &section : detail.sections) {
        if (section.content.constData() == bytes.constData() &&
            section.content.size() == bytes.size())
            return &section;
    }
    return nullptr;
}

} // namespace

void writeJobDetailJson(const JobDetail &detail, const JsonSink &sink)
{
    Writer out(sink);
    const JobSummary &summary = detail.summary;
    out.raw("{");
    out.key("queue", true);
    out.string(detail.queue.id());
    out.key("id");
    out.string(QByteArrayView(summary.id));
    out.key("found");
    out.boolean(detail.found);
    if (!summary.state.isEmpty()) {
        out.key("state");
        out.string(summary.state);
    }
    if (!summary.name.isEmpty()) {
        out.key("name");
        out.string(summary.name);
    }
    const std::pair<const char *, qint64> numbers[] = {
        {"createdMs", summary.createdMs},   {"processedMs", summary.processedMs},
        {"finishedMs", summary.finishedMs}, {"runAtMs", summary.runAtMs},
        {"attempts", summary.attempts},     {"priority", summary.priority}};
    for (const auto &[key, value] : numbers) {
        if (value >= 0) {
            out.key(key);
            out.number(value);
        }
    }
    if (!summary.failedReason.isEmpty()) {
        out.key("failedReason");
        out.string(summary.failedReason);
    }
    out.key("fields");
    out.raw("{");
    bool first = true;
    for (const auto &[name, bytes] : detail.fields) {
        out.key(name, first);
        first = false;
        if (const DetailSection *section = sectionShowing(detail, bytes)) {
            out.raw("{\"section\":");
            out.string(section->title);
            out.raw("}");
        } else {
            out.content(bytes, classifyContent(bytes) == ContentFormat::Binary
                                   ? ContentFormat::Binary
                                   : ContentFormat::Text);
        }
    }
    out.raw("}");
    if (!detail.truncatedFields.isEmpty()) {
        out.key("truncatedFields");
        out.raw("{");
        first = true;
        for (auto it = detail.truncatedFields.cbegin(); it != detail.truncatedFields.cend(); ++it) {
            out.key(it.key(), first);
            first = false;
            out.number(it.value());
        }
        out.raw("}");
    }
    out.key("sections");
    out.raw("[");
    first = true;
    for (const DetailSection &section : detail.sections) {
        out.raw(first ? "{" : ",{");
        first = false;
        out.key("title", true);
        out.string(section.title);
        out.key("content");
        out.content(section.content, section.format);
        if (!section.note.isEmpty()) {
            out.key("note");
            out.string(section.note);
        }
        out.raw("}");
    }
    out.raw("]");
    if (!detail.error.isEmpty()) {
        out.key("error");
        out.string(detail.error);
    }
    out.raw("}");
}

QByteArray jobDetailJson(const JobDetail &detail)
{
    QByteArray json;
    writeJobDetailJson(detail, [&json](QByteArrayView piece) { json.append(piece); });
    return json;
}

QJsonObject JobDetail::toJson() const
{
    return QJsonDocument::fromJson(jobDetailJson(*this)).object();
}

} // namespace qs::jobs
