#include "credentialresolver.h"

#include "sentinelurl.h"

namespace qs::core {

namespace {

QString typedSource()
{
    return QStringLiteral("the password typed this session");
}

QString givenTwice(const QString &first, const QString &second)
{
    return QStringLiteral("a password is given twice, by %1 and by %2; give it one way only")
        .arg(first, second);
}

} // namespace

CredentialRequest CredentialRequest::forSavedProfile(const QString &name)
{
    CredentialRequest request;
    request.savedProfile = name;
    request.keychainSource = QStringLiteral("the keychain (%1)").arg(name);
    return request;
}

CredentialResolver::CredentialResolver(SecretStore *keychain, QProcessEnvironment environment)
    : m_keychain(keychain)
    , m_environment(std::move(environment))
{
}

void CredentialResolver::remember(const QString &savedProfile, const QString &password)
{
    m_sessionPasswords.insert(savedProfile, password);
}

std::optional<QString> CredentialResolver::remembered(const QString &savedProfile) const
{
    const auto typed = m_sessionPasswords.constFind(savedProfile);
    if (savedProfile.isEmpty() || typed == m_sessionPasswords.cend())
        return std::nullopt;
    return *typed;
}

std::optional<Credential> CredentialResolver::beforeKeychain(const CredentialRequest &request) const
{
    if (request.rule != CredentialRequest::Rule::FirstFound)
        return std::nullopt;
    if (const std::optional<QString> typed = remembered(request.savedProfile))
        return Credential{*typed, typedSource(), {}, {}};
    if (request.own && !request.own->password.isEmpty())
        return Credential{request.own->password, request.own->source, {}, {}};
    return std::nullopt;
}

void CredentialResolver::resolve(const CredentialRequest &request, Done done) const
{
    if (const std::optional<Credential> settled = beforeKeychain(request)) {
        done(*settled);
        return;
    }
    const std::optional<QString> typed = remembered(request.savedProfile);
    if (request.savedProfile.isEmpty() || !m_keychain) {
        done(decide(request, typed, std::nullopt, m_environment));
        return;
    }
    m_keychain->read(request.savedProfile,
                     [request, typed, environment = m_environment,
                      done = std::move(done)](Result<std::optional<QString>> secret) {
                         done(decide(request, typed, secret, environment));
                     });
}

void CredentialResolver::resolveSavedProfile(const ConnectionProfile &profile,
                                             ProfileDone done) const
{
    resolve(
        CredentialRequest::forSavedProfile(profile.name),
        [keychain = m_keychain, saved = profile,
         done = std::move(done)](const Credential &credential) mutable {
            ConnectionProfile withSecrets = saved;
            withSecrets.password = credential.password;
            if (!withSecrets.usesSentinel() || !keychain || !credential.keychainProblem.isEmpty()) {
                done(withSecrets, credential);
                return;
            }
            keychain->read(sentinelSecretName(withSecrets.name),
                           [withSecrets, credential,
                            done = std::move(done)](Result<std::optional<QString>> secret) mutable {
                               if (secret.ok() && secret.value())
                                   withSecrets.sentinel.password = *secret.value();
                               done(withSecrets, credential);
                           });
        });
}

Credential CredentialResolver::resolveBlocking(const CredentialRequest &request,
                                               int keychainTimeoutMs) const
{
    if (const std::optional<Credential> settled = beforeKeychain(request))
        return *settled;
    KeychainAnswer keychain;
    if (!request.savedProfile.isEmpty() && m_keychain)
        keychain = readSecretBlocking(*m_keychain, request.savedProfile, keychainTimeoutMs);
    return decide(request, remembered(request.savedProfile), keychain, m_environment);
}

Credential CredentialResolver::decide(const CredentialRequest &request,
                                      const std::optional<QString> &typed,
                                      const KeychainAnswer &keychain,
                                      const QProcessEnvironment &environment)
{
    Credential result;
    QList<GivenPassword> given;
    if (typed && !typed->isEmpty())
        given.append({typedSource(), *typed});
    if (request.own && !request.own->password.isEmpty())
        given.append(*request.own);
    if (keychain && !keychain->ok())
        result.keychainProblem = keychain->error();
    else if (keychain && keychain->value() && !keychain->value()->isEmpty())
        given.append({request.keychainSource, *keychain->value()});
    for (const QString &variable : request.environment) {
        if (const QString value = environment.value(variable); !value.isEmpty())
            given.append({variable, value});
    }
    const bool oneSource = request.rule == CredentialRequest::Rule::OneSource;
    if (!oneSource && !given.isEmpty()) {
        result.password = given.first().password;
        result.source = given.first().source;
        return result;
    }
    // Conflicts are reported before anything is read or asked.
    const QList<PasswordPrompt> &prompts = request.prompts;
    if (prompts.size() > 1) {
        result.error = QStringLiteral("%1 and %2 both give the password; use one")
                           .arg(prompts.at(0).source, prompts.at(1).source);
        return result;
    }
    if (oneSource && !prompts.isEmpty() && !given.isEmpty()) {
        result.error = givenTwice(given.first().source, prompts.first().source);
        return result;
    }
    if (oneSource && given.size() > 1) {
        result.error = givenTwice(given.at(0).source, given.at(1).source);
        return result;
    }
    if (!prompts.isEmpty()) {
        const PasswordPrompt &prompt = prompts.first();
        const std::optional<QString> answer =
            prompt.ask ? prompt.ask(prompt.question) : std::nullopt;
        if (!answer) {
            result.error = prompt.unanswered;
            return result;
        }
        result.password = *answer;
        result.source = prompt.source;
    } else if (!given.isEmpty()) {
        result.password = given.first().password;
        result.source = given.first().source;
    }
    return result;
}

} // namespace qs::core
