#pragma once

#include "queues/jobsummary.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTextBrowser;

namespace qs::widgets {

// One job in full: a header (id, state, times) and a block per section (data as pretty JSON,
// options, result, error and every attempt's stack trace, logs, parent and children). Large
// sections are cut to their start so a 10 MB payload never stalls the window; "Copy as JSON"
// copies everything.
class JobDetailView final : public QWidget
{
    Q_OBJECT
public:
    explicit JobDetailView(QWidget *parent = nullptr);

    void showDetail(const jobs::JobDetail &detail);
    void showMessage(const QString &text); // "Select a job", "Loading…", an error
    const jobs::JobDetail &detail() const { return m_detail; }
    QTextBrowser *text() const { return m_text; }
    QPushButton *copyButton() const { return m_copy; }

    static constexpr qsizetype maxSectionBytes = 64 * 1024;

private:
    jobs::JobDetail m_detail;
    QLabel *m_title = nullptr;
    QTextBrowser *m_text = nullptr;
    QPushButton *m_copy = nullptr;
};

} // namespace qs::widgets
