#pragma once

#include "connectionprofile.h"
#include "secretstore.h"

#include <QHash>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace qs::core {

// A password from one place, and how a message names that place.
struct GivenPassword
{
    QString source; // "the --url URL", "REDIS_URL", ...
    QString password;
};

// Someone to ask for a password: a terminal, standard input, a dialog.
struct PasswordPrompt
{
    QString source;   // how a message names it: "--askpass"
    QString question; // "Password for redis://127.0.0.1:6379: "
    // nullopt: nobody to ask (no terminal) or no answer.
    std::function<std::optional<QString>(const QString &question)> ask;
    QString unanswered; // the error when ask() gives nothing
};

// Where the password of one connection may come from. The sources are tried in this order: the
// session cache (by savedProfile), the target's own password, the keychain (by savedProfile),
// the environment variables, the prompts. A source gives a password when it is not empty; only
// a password typed this session counts even when empty (the server needs none).
struct CredentialRequest
{
    enum class Rule {
        FirstFound, // the first source that has one wins (the window, the overview)
        OneSource,  // two sources that both give one are an error naming both (the command line)
    };

    QString savedProfile;   // its keychain entry and session-cache entry count; empty: none
    QString keychainSource; // how a message names that keychain entry
    std::optional<GivenPassword> own; // a password the target carries (a URL's)
    QStringList environment;          // variables that may give one, in this order
    QList<PasswordPrompt> prompts;    // asked when nothing else gave one; two are an error
    Rule rule = Rule::FirstFound;

    // A saved profile opened in the window or watched by the overview: the password typed this
    // session, else the keychain's, else none.
    static CredentialRequest forSavedProfile(const QString &name);
};

// What a request found. Never logged as a whole: `password` is the secret.
struct Credential
{
    QString password;        // empty: connect without one
    QString source;          // where it came from; empty: nowhere
    QString keychainProblem; // the keychain could not be read: why (the caller says so)
    QString error;           // refused (given twice, a prompt without answer); names no password
    bool ok() const { return error.isEmpty(); }
};

// The one place that decides which password a connection uses: profile, keychain, environment,
// a prompt, and the passwords typed this session (kept in memory only, until quit).
class CredentialResolver
{
public:
    using Done = std::function<void(const Credential &)>;

    // keychain: not owned, may be nullptr (then it holds nothing). The environment is only read
    // for the variables a request names.
    explicit CredentialResolver(SecretStore *keychain = nullptr,
                                QProcessEnvironment environment = QProcessEnvironment());

    // Calls done exactly once, possibly before returning (no keychain read needed, or a store
    // that answers at once); later answers go to a copy of the request, so the resolver may be
    // gone by then.
    void resolve(const CredentialRequest &request, Done done) const;
    // A saved profile ready to connect (the window, the overview tiles): its password as
    // forSavedProfile finds it and, when it uses Sentinel, the sentinels' own password from their
    // keychain entry (sentinelSecretName). done gets the profile with both filled in and the
    // data password's credential (keychainProblem included), exactly once.
    using ProfileDone = std::function<void(const ConnectionProfile &, const Credential &)>;
    void resolveSavedProfile(const ConnectionProfile &profile, ProfileDone done) const;
    // The same, waiting for the keychain at most keychainTimeoutMs (for the command line).
    Credential resolveBlocking(const CredentialRequest &request,
                               int keychainTimeoutMs = 10'000) const;

    // A password typed for a saved profile: used for it until quit, written nowhere.
    void remember(const QString &savedProfile, const QString &password);
    std::optional<QString> remembered(const QString &savedProfile) const;

private:
    using KeychainAnswer = std::optional<Result<std::optional<QString>>>;
    static Credential decide(const CredentialRequest &request, const std::optional<QString> &typed,
                             const KeychainAnswer &keychain,
                             const QProcessEnvironment &environment);
    // FirstFound: what settles the request without asking the keychain.
    std::optional<Credential> beforeKeychain(const CredentialRequest &request) const;

    SecretStore *m_keychain = nullptr;
    QProcessEnvironment m_environment;
    QHash<QString, QString> m_sessionPasswords;
};

} // namespace qs::core
