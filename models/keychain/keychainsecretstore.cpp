#include "keychainsecretstore.h"

#include <qt6keychain/keychain.h>

namespace qs::keychain {

namespace {

// QtKeychain's error strings describe the backend (D-Bus, libsecret), never the secret.
QString describe(const QKeychain::Job &job, const QString &what)
{
    const QString detail = job.errorString();
    switch (job.error()) {
    case QKeychain::NoBackendAvailable:
    case QKeychain::OtherError:
    case QKeychain::NotImplemented:
        // No D-Bus session fails as OtherError ("Cannot autolaunch D-Bus without X11 $DISPLAY").
        return core::SecretStore::unavailableMessage() +
               (detail.isEmpty() ? QString() : QStringLiteral(" [%1]").arg(detail));
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return QStringLiteral("the keychain refused access while %1 (locked or denied): enter "
                              "the password when connecting [%2]")
            .arg(what, detail);
    default:
        return QStringLiteral("keychain error while %1: %2").arg(what, detail);
    }
}

template <typename JobT> JobT *makeJob(const QString &service, const QString &profileName)
{
    auto *job = new JobT(service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never plain text
    job->setKey(core::SecretStore::keyFor(profileName));
    return job;
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString service)
    : m_service(std::move(service))
{
}

void KeychainSecretStore::read(const QString &profileName, ReadCallback done)
{
    using R = core::Result<std::optional<QString>>;
    auto *job = makeJob<QKeychain::ReadPasswordJob>(m_service, profileName);
    QObject::connect(
        job, &QKeychain::Job::finished, job,
        [profileName, done = std::move(done)](QKeychain::Job *base) {
            auto *job = static_cast<QKeychain::ReadPasswordJob *>(base);
            if (job->error() == QKeychain::NoError)
                return done(R::success(job->textData()));
            if (job->error() == QKeychain::EntryNotFound)
                return done(R::success(std::nullopt));
            done(R::failure(
                describe(*job, QStringLiteral("reading the password of '%1'").arg(profileName))));
        });
    job->start();
}

void KeychainSecretStore::write(const QString &profileName, const QString &secret,
                                DoneCallback done)
{
    using R = core::Result<bool>;
    auto *job = makeJob<QKeychain::WritePasswordJob>(m_service, profileName);
    job->setTextData(secret);
    QObject::connect(
        job, &QKeychain::Job::finished, job,
        [profileName, done = std::move(done)](QKeychain::Job *job) {
            if (job->error() == QKeychain::NoError)
                return done(R::success(true));
            done(R::failure(
                describe(*job, QStringLiteral("storing the password of '%1'").arg(profileName))));
        });
    job->start();
}

void KeychainSecretStore::remove(const QString &profileName, DoneCallback done)
{
    using R = core::Result<bool>;
    auto *job = makeJob<QKeychain::DeletePasswordJob>(m_service, profileName);
    QObject::connect(
        job, &QKeychain::Job::finished, job,
        [profileName, done = std::move(done)](QKeychain::Job *job) {
            if (job->error() == QKeychain::NoError)
                return done(R::success(true));
            if (job->error() == QKeychain::EntryNotFound)
                return done(R::success(false));
            done(R::failure(
                describe(*job, QStringLiteral("deleting the password of '%1'").arg(profileName))));
        });
    job->start();
}

} // namespace qs::keychain
