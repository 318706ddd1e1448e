#pragma once

#include "result.h"

#include <QString>

#include <functional>
#include <optional>

namespace qs::core {

// Where profile passwords live (DESIGN section 5): the OS keychain, never a file in plain text.
// Asynchronous like QtKeychain, whose jobs finish on the event loop: every call answers exactly
// once through its callback (possibly before the call returns, as the in-memory fake does).
// Errors are for operators and never contain the secret.
class SecretStore
{
public:
    // Success with nullopt: the keychain works but holds no password for this profile.
    using ReadCallback = std::function<void(Result<std::optional<QString>>)>;
    // write: success(true). remove: success(true) if an entry was deleted, success(false) if
    // there was none (when the backend can tell).
    using DoneCallback = std::function<void(Result<bool>)>;

    virtual ~SecretStore() = default;

    // Why a blocking call (below) gave up on this store: it left a call unanswered past its
    // timeout. Later blocking calls on the same store fail at once with it instead of waiting
    // again: fifty profiles on a keychain that does not answer would wait ten seconds each.
    QString unanswered;

    virtual void read(const QString &profileName, ReadCallback done) = 0;
    virtual void write(const QString &profileName, const QString &secret, DoneCallback done) = 0;
    virtual void remove(const QString &profileName, DoneCallback done) = 0;

    // Keychain service and key for a profile's password.
    static QString serviceName() { return QStringLiteral("QueueScope"); }
    static QString keyFor(const QString &profileName)
    {
        return QStringLiteral("profile/%1/password").arg(profileName);
    }
    // The error every backend gives when there is no keychain to talk to.
    static QString unavailableMessage()
    {
        return QStringLiteral("no keychain available (no D-Bus session / secret service): "
                              "enter the password when connecting");
    }
};

// Where there is no keychain at all: every call fails with unavailableMessage(), so callers say
// so and ask for the password instead (never a silent fallback to plain text).
class NoSecretStore final : public SecretStore
{
public:
    void read(const QString &, ReadCallback done) override
    {
        done(Result<std::optional<QString>>::failure(unavailableMessage()));
    }
    void write(const QString &, const QString &, DoneCallback done) override
    {
        done(Result<bool>::failure(unavailableMessage()));
    }
    void remove(const QString &, DoneCallback done) override
    {
        done(Result<bool>::failure(unavailableMessage()));
    }
};

// Blocking wrappers for the command line: run a local event loop until the store answers or
// timeoutMs passes (a keychain that never answers becomes an error, not a hang). Once a store
// left one call unanswered, the next ones on it fail at once (SecretStore::unanswered).
Result<std::optional<QString>> readSecretBlocking(SecretStore &store, const QString &profileName,
                                                  int timeoutMs = 10'000);
Result<bool> writeSecretBlocking(SecretStore &store, const QString &profileName,
                                 const QString &secret, int timeoutMs = 10'000);
Result<bool> removeSecretBlocking(SecretStore &store, const QString &profileName,
                                  int timeoutMs = 10'000);

} // namespace qs::core
