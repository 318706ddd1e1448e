#include "secretstore.h"

#include <QEventLoop>
#include <QTimer>

#include <memory>

namespace qs::core {

namespace {

// The callback may fire after a timeout returned (the job is still running): it only touches
// this shared state, never the caller's stack.
template <typename T> struct Pending
{
    std::optional<Result<T>> result;
    QEventLoop *loop = nullptr;
};

template <typename T, typename Start>
Result<T> runBlocking(SecretStore &store, Start start, int timeoutMs, const QString &what)
{
    if (!store.unanswered.isEmpty())
        return Result<T>::failure(
            QStringLiteral("not %1 from the keychain: %2").arg(what, store.unanswered));
    auto pending = std::make_shared<Pending<T>>();
    start([pending](Result<T> r) {
        pending->result = std::move(r);
        if (pending->loop)
            pending->loop->quit();
    });
    if (!pending->result) {
        QEventLoop loop;
        pending->loop = &loop;
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
        pending->loop = nullptr;
    }
    if (!pending->result) {
        store.unanswered = QStringLiteral("the keychain did not answer within %1 s while %2")
                               .arg(timeoutMs / 1000.0)
                               .arg(what);
        return Result<T>::failure(store.unanswered);
    }
    return std::move(*pending->result);
}

} // namespace

Result<std::optional<QString>> readSecretBlocking(SecretStore &store, const QString &profileName,
                                                  int timeoutMs)
{
    return runBlocking<std::optional<QString>>(
        store, [&](SecretStore::ReadCallback done) { store.read(profileName, std::move(done)); },
        timeoutMs, QStringLiteral("reading the password of '%1'").arg(profileName));
}

Result<bool> writeSecretBlocking(SecretStore &store, const QString &profileName,
                                 const QString &secret, int timeoutMs)
{
    return runBlocking<bool>(
        store,
        [&](SecretStore::DoneCallback done) { store.write(profileName, secret, std::move(done)); },
        timeoutMs, QStringLiteral("storing the password of '%1'").arg(profileName));
}

Result<bool> removeSecretBlocking(SecretStore &store, const QString &profileName, int timeoutMs)
{
    return runBlocking<bool>(
        store, [&](SecretStore::DoneCallback done) { store.remove(profileName, std::move(done)); },
        timeoutMs, QStringLiteral("deleting the password of '%1'").arg(profileName));
}

} // namespace qs::core
