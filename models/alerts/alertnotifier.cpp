#include "alerts/alertnotifier.h"

#include <QJsonDocument>
#include <QPointer>
#include <QProcess>
#include <QTimer>

#ifdef Q_OS_UNIX
#include <csignal>
#include <unistd.h>
#endif

namespace qs::alerts {

namespace {

// Kills the command and whatever it started (curl under sh): they share a process group.
void killGroup(QProcess *process)
{
#ifdef Q_OS_UNIX
    if (process->processId() > 0)
        ::kill(-pid_t(process->processId()), SIGKILL);
#endif
    process->kill();
}

} // namespace

AlertNotifier::AlertNotifier(QObject *parent)
    : QObject(parent)
{
}

AlertNotifier::~AlertNotifier()
{
    for (QProcess *process : std::as_const(m_running)) {
        process->disconnect(this);
        killGroup(process);
        process->waitForFinished(1000);
    }
}

void AlertNotifier::notify(const AlertEvent &event, qint64 token)
{
    if (m_command.command.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [this, token] { Q_EMIT finished(token, tr("no notifier"), {}); },
            Qt::QueuedConnection);
        return;
    }
    if (m_queue.size() >= kMaxQueued) {
        const Pending dropped = m_queue.takeFirst();
        QMetaObject::invokeMethod(
            this,
            [this, token = dropped.token] {
                Q_EMIT finished(token, tr("dropped: too many notifications waiting"), {});
            },
            Qt::QueuedConnection);
    }
    m_queue.append(
        {QJsonDocument(event.toJson()).toJson(QJsonDocument::Compact) + '\n', token, m_command});
    startNext();
}

void AlertNotifier::startNext()
{
    while (m_running.size() < kMaxRunning && !m_queue.isEmpty())
        start(m_queue.takeFirst());
}

void AlertNotifier::start(const Pending &pending)
{
    auto *process = new QProcess(this);
    m_running.append(process);
    process->setProcessChannelMode(QProcess::MergedChannels);
#ifdef Q_OS_UNIX
    process->setChildProcessModifier([] { ::setpgid(0, 0); });
    process->setProgram(QStringLiteral("/bin/sh"));
    process->setArguments({QStringLiteral("-c"), pending.command.command});
#else
    process->setProgram(QStringLiteral("cmd.exe"));
    process->setArguments({QStringLiteral("/c"), pending.command.command});
#endif
    auto output = std::make_shared<QByteArray>();
    auto timedOut = std::make_shared<bool>(false);
    auto *deadline = new QTimer(process);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, process, [process, timedOut] {
        *timedOut = true;
        killGroup(process);
    });
    connect(process, &QProcess::readyReadStandardOutput, process, [process, output] {
        const QByteArray chunk = process->readAllStandardOutput();
        if (output->size() < kMaxOutputBytes)
            output->append(chunk.left(kMaxOutputBytes - output->size()));
    });
    const qint64 token = pending.token;
    const qint64 timeoutMs = pending.command.timeoutMs;
    const auto done = [this, process, output, timedOut, token, timeoutMs](const QString &failure) {
        if (!m_running.removeOne(process))
            return; // already reported (an error and then finished)
        QString outcome;
        if (*timedOut)
            outcome = tr("timed out after %1 s").arg(timeoutMs / 1000);
        else if (!failure.isEmpty())
            outcome = failure;
        else if (process->exitStatus() != QProcess::NormalExit)
            outcome = tr("failed: killed by a signal");
        else if (process->exitCode() != 0)
            outcome = tr("failed: exit %1").arg(process->exitCode());
        else
            outcome = tr("sent");
        process->deleteLater();
        Q_EMIT finished(token, outcome, *output);
        startNext();
    };
    connect(process, &QProcess::finished, this, [done] { done({}); });
    connect(process, &QProcess::errorOccurred, this, [process, done](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            done(tr("failed: cannot start the notifier (%1)").arg(process->errorString()));
    });
    const QByteArray json = pending.json;
    connect(process, &QProcess::started, process, [process, json, deadline, timeoutMs] {
        deadline->start(int(timeoutMs));
        process->write(json);
        process->closeWriteChannel();
    });
    process->start();
}

} // namespace qs::alerts
