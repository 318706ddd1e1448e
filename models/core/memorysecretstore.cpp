#include "memorysecretstore.h"

#include <QTimer>

namespace qs::core {

namespace {

// Calls answer() now, or from the event loop when the store answers later.
template <typename Answer> void deliver(bool later, Answer answer)
{
    if (later)
        QTimer::singleShot(0, std::move(answer));
    else
        answer();
}

} // namespace

void MemorySecretStore::read(const QString &profileName, ReadCallback done)
{
    using R = Result<std::optional<QString>>;
    const auto it = m_entries.constFind(keyFor(profileName));
    const R result = m_unavailable                ? R::failure(unavailableMessage())
                     : it == m_entries.constEnd() ? R::success(std::nullopt)
                                                  : R::success(*it);
    deliver(m_answersLater, [done = std::move(done), result] { done(result); });
}

void MemorySecretStore::write(const QString &profileName, const QString &secret, DoneCallback done)
{
    if (!m_unavailable)
        m_entries.insert(keyFor(profileName), secret);
    const Result<bool> result =
        m_unavailable ? Result<bool>::failure(unavailableMessage()) : Result<bool>::success(true);
    deliver(m_answersLater, [done = std::move(done), result] { done(result); });
}

void MemorySecretStore::remove(const QString &profileName, DoneCallback done)
{
    const Result<bool> result =
        m_unavailable ? Result<bool>::failure(unavailableMessage())
                      : Result<bool>::success(m_entries.remove(keyFor(profileName)) > 0);
    deliver(m_answersLater, [done = std::move(done), result] { done(result); });
}

} // namespace qs::core
