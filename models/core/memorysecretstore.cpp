#include "memorysecretstore.h"

namespace qs::core {

void MemorySecretStore::read(const QString &profileName, ReadCallback done)
{
    using R = Result<std::optional<QString>>;
    if (m_unavailable)
        return done(R::failure(unavailableMessage()));
    const auto it = m_entries.constFind(keyFor(profileName));
    done(it == m_entries.constEnd() ? R::success(std::nullopt) : R::success(*it));
}

void MemorySecretStore::write(const QString &profileName, const QString &secret, DoneCallback done)
{
    if (m_unavailable)
        return done(Result<bool>::failure(unavailableMessage()));
    m_entries.insert(keyFor(profileName), secret);
    done(Result<bool>::success(true));
}

void MemorySecretStore::remove(const QString &profileName, DoneCallback done)
{
    if (m_unavailable)
        return done(Result<bool>::failure(unavailableMessage()));
    done(Result<bool>::success(m_entries.remove(keyFor(profileName)) > 0));
}

} // namespace qs::core
