#pragma once

#include "core/secretstore.h"

namespace qs::keychain {

// SecretStore on the OS keychain through QtKeychain: service "QueueScope", key
// "profile/<name>/password". The insecure plain-text fallback is off: with no keychain (no D-Bus
// session, no Secret Service) every call fails with SecretStore::unavailableMessage().
// Callbacks run on the event loop of the calling thread; the store may be destroyed while
// jobs are running (they own their callbacks).
class KeychainSecretStore : public core::SecretStore
{
public:
    explicit KeychainSecretStore(QString service = serviceName());

    void read(const QString &profileName, ReadCallback done) override;
    void write(const QString &profileName, const QString &secret, DoneCallback done) override;
    void remove(const QString &profileName, DoneCallback done) override;

private:
    QString m_service;
};

} // namespace qs::keychain
