#include "jobdetailview.h"

#include "core/displaytext.h"

#include "queues/payloadformat.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace qs::widgets {

namespace {

QString when(qint64 ms)
{
    return ms < 0 ? QStringLiteral("—")
                  : QDateTime::fromMSecsSinceEpoch(ms).toString(
                        QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

} // namespace

JobDetailView::JobDetailView(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_text(new QTextBrowser(this))
    , m_copy(new QPushButton(tr("Copy as &JSON"), this))
{
    m_title->setTextFormat(Qt::PlainText);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_text->setOpenLinks(false);
    m_text->setLineWrapMode(QTextEdit::NoWrap);
    m_copy->setEnabled(false);
    m_copy->setToolTip(tr("Copy the whole job, every section in full, as JSON"));
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(
            QString::fromUtf8(QJsonDocument(m_detail.toJson()).toJson(QJsonDocument::Indented)));
    });
    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_copy);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_text, 1);
    showMessage(tr("Select a job to see its data, error and stack traces."));
}

void JobDetailView::showMessage(const QString &text)
{
    m_detail = {};
    m_copy->setEnabled(false);
    m_title->clear();
    m_text->setPlainText(text);
}

void JobDetailView::showDetail(const jobs::JobDetail &detail)
{
    m_detail = detail;
    m_copy->setEnabled(detail.found);
    const jobs::JobSummary &s = detail.summary;
    // Everything from the server is shown visibly (core::displayText): a bidi override or a
    // control character in an id, a name or a stack trace must not hide or reorder text.
    const auto line = [](const QString &text) {
        return core::displayText(text, core::DisplayMode::Line);
    };
    m_title->setText(tr("%1 — %2%3")
                         .arg(core::displayBytes(s.id, core::DisplayMode::Identifier),
                              line(s.state),
                              s.name.isEmpty() ? QString() : QStringLiteral(" — ") + line(s.name)));
    QString html = QStringLiteral("<table cellspacing=2>");
    const std::pair<QString, QString> rows[] = {
        {tr("Created"), when(s.createdMs)},
        {tr("Processed"), when(s.processedMs)},
        {tr("Finished"), when(s.finishedMs)},
        {tr("Runs at"), when(s.runAtMs)},
        {tr("Attempts"), s.attempts < 0 ? QStringLiteral("—") : QString::number(s.attempts)},
        {tr("Queue"), s.queue.isEmpty() ? detail.queue.displayName() : line(s.queue)},
    };
    for (const auto &[label, value] : rows)
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(label.toHtmlEscaped(), value.toHtmlEscaped());
    html += QStringLiteral("</table>");
    if (!detail.error.isEmpty())
        html += QStringLiteral("<p style='color:#b3261e'>%1</p>")
                    .arg(line(detail.error).toHtmlEscaped());
    for (const jobs::DetailSection &section : detail.sections) {
        html += QStringLiteral("<h4>%1</h4>").arg(line(section.title).toHtmlEscaped());
        if (!section.note.isEmpty())
            html += QStringLiteral("<p><i>%1</i></p>").arg(line(section.note).toHtmlEscaped());
        html += QStringLiteral("<pre>%1</pre>")
                    .arg(core::displayText(jobs::displayText(section, maxSectionBytes),
                                           core::DisplayMode::Block)
                             .toHtmlEscaped());
    }
    m_text->setHtml(html);
}

} // namespace qs::widgets
