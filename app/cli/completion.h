#pragma once

#include <QDeadlineTimer>

class QEventLoop;
class QTimer;

namespace qs::cli {

// One awaited answer of an asynchronous call on this thread. The callback or signal handler
// calls finish(); the command then calls wait(). An answer delivered before wait() (a signal
// emitted synchronously inside the call) is not lost: wait() returns at once. Every wait has a
// deadline; wait() returns false when it passed first.
//
//     Completion done;
//     connect(&browser, &JobBrowser::located, &browser, [&](...) { result = ...; done.finish(); });
//     browser.find(queue, id);
//     if (!done.wait(server.deadlineFor())) ... // no answer in time
class Completion
{
public:
    Completion() = default;
    Completion(const Completion &) = delete;
    Completion &operator=(const Completion &) = delete;

    void finish();
    bool isFinished() const { return m_finished; }
    bool wait(QDeadlineTimer deadline);
    // Moves the deadline of the wait in progress (work that reports progress earns more time).
    void postpone(QDeadlineTimer deadline);

private:
    bool m_finished = false;
    QEventLoop *m_loop = nullptr;
    QTimer *m_expiry = nullptr;
};

} // namespace qs::cli
