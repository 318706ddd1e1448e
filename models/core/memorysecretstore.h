#pragma once

#include "secretstore.h"

#include <QHash>

namespace qs::core {

// In-memory SecretStore for tests. Answers synchronously (inside the call), or on the event loop
// like the OS keychain after setAnswersLater(true). setUnavailable() makes every call fail the
// way a machine without a keychain does.
class MemorySecretStore : public SecretStore
{
public:
    void read(const QString &profileName, ReadCallback done) override;
    void write(const QString &profileName, const QString &secret, DoneCallback done) override;
    void remove(const QString &profileName, DoneCallback done) override;

    void setUnavailable(bool unavailable) { m_unavailable = unavailable; }
    void setAnswersLater(bool later) { m_answersLater = later; }
    // Keyed by SecretStore::keyFor(profileName).
    const QHash<QString, QString> &entries() const { return m_entries; }

private:
    QHash<QString, QString> m_entries;
    bool m_unavailable = false;
    bool m_answersLater = false;
};

} // namespace qs::core
