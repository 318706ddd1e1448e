#include "completion.h"

#include <QEventLoop>
#include <QTimer>

#include <limits>

namespace qs::cli {

namespace {

int remainingMs(QDeadlineTimer deadline)
{
    Q_ASSERT(!deadline.isForever()); // a command that waits forever is the bug this prevents
    return int(
        qBound<qint64>(0, deadline.remainingTime(), qint64(std::numeric_limits<int>::max())));
}

} // namespace

void Completion::finish()
{
    m_finished = true;
    if (m_loop)
        m_loop->quit();
}

bool Completion::wait(QDeadlineTimer deadline)
{
    if (m_finished)
        return true;
    if (deadline.hasExpired())
        return false;
    QEventLoop loop;
    QTimer expiry;
    expiry.setSingleShot(true);
    expiry.setTimerType(Qt::PreciseTimer);
    QObject::connect(&expiry, &QTimer::timeout, &loop, &QEventLoop::quit);
    expiry.start(remainingMs(deadline));
    m_loop = &loop;
    m_expiry = &expiry;
    loop.exec();
    m_loop = nullptr;
    m_expiry = nullptr;
    return m_finished;
}

void Completion::postpone(QDeadlineTimer deadline)
{
    if (m_expiry)
        m_expiry->start(remainingMs(deadline));
}

} // namespace qs::cli
