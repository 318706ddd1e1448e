// CredentialResolver: which password a connection uses, in which order the sources count, the
// command line's "given twice" rule, prompts, the session cache, and a keychain that is absent or
// answers later. Fakes for the keychain (in memory, counting reads) and the prompts.
#include "core/credentialresolver.h"
#include "core/memorysecretstore.h"

#include <QSignalSpy>
#include <QTest>

using namespace qs;
using core::Credential;
using core::CredentialRequest;
using core::CredentialResolver;
using Rule = CredentialRequest::Rule;

namespace {

const QString kKeychainPassword = QStringLiteral("from-keychain-7f3a");
const QString kUrlPassword = QStringLiteral("from-url-91c2");
const QString kEnvPassword = QStringLiteral("from-env-c0d4");
const QString kTyped = QStringLiteral("typed-5be1");

// The in-memory keychain, counting how often it is read.
class CountingKeychain final : public core::MemorySecretStore
{
public:
    void read(const QString &profileName, ReadCallback done) override
    {
        ++reads;
        MemorySecretStore::read(profileName, std::move(done));
    }
    int reads = 0;
};

// A keychain that never answers (a Secret Service that hangs), counting the reads asked of it.
class SilentKeychain final : public core::SecretStore
{
public:
    void read(const QString &, ReadCallback) override { ++reads; }
    void write(const QString &, const QString &, DoneCallback) override {}
    void remove(const QString &, DoneCallback) override {}
    int reads = 0;
};

// A prompt that answers `answer` and counts how often it was asked.
struct FakePrompt
{
    explicit FakePrompt(std::optional<QString> answer)
        : answer(std::move(answer))
    {
    }

    std::optional<QString> answer;
    int asked = 0;
    QString question;

    core::PasswordPrompt prompt(const QString &source, const QString &unanswered = {})
    {
        return {source, QStringLiteral("Password for test: "),
                [this](const QString &q) {
                    ++asked;
                    question = q;
                    return answer;
                },
                unanswered};
    }
};

QProcessEnvironment environment(std::initializer_list<std::pair<const char *, QString>> values)
{
    QProcessEnvironment e;
    for (const auto &[name, value] : values)
        e.insert(QString::fromLatin1(name), value);
    return e;
}

CredentialRequest commandLine(const QStringList &variables = {QStringLiteral("REDIS_PASSWORD"),
                                                              QStringLiteral("REDISCLI_AUTH")})
{
    CredentialRequest request;
    request.rule = Rule::OneSource;
    request.environment = variables;
    return request;
}

// Every secret this test uses, so that a message can be checked for all of them.
bool namesNoPassword(const QString &message)
{
    for (const QString &secret : {kKeychainPassword, kUrlPassword, kEnvPassword, kTyped}) {
        if (message.contains(secret))
            return false;
    }
    return true;
}

} // namespace

class TestCredentialResolver : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void savedProfileTakesTheTypedPasswordBeforeTheKeychain()
    {
        CountingKeychain keychain;
        QVERIFY(core::writeSecretBlocking(keychain, QStringLiteral("orders"), kKeychainPassword));
        CredentialResolver resolver(&keychain);
        const Credential fromKeychain =
            resolver.resolveBlocking(CredentialRequest::forSavedProfile(QStringLiteral("orders")));
        QVERIFY(fromKeychain.ok());
        QCOMPARE(fromKeychain.password, kKeychainPassword);
        QVERIFY(fromKeychain.source.contains(QLatin1String("keychain")));
        QCOMPARE(keychain.reads, 1);

        // Typed this session (even empty: "it needs none"): used, and the keychain not read.
        resolver.remember(QStringLiteral("orders"), QString());
        const Credential typed =
            resolver.resolveBlocking(CredentialRequest::forSavedProfile(QStringLiteral("orders")));
        QCOMPARE(typed.password, QString());
        QCOMPARE(keychain.reads, 1);
        resolver.remember(QStringLiteral("orders"), kTyped);
        QVERIFY(resolver.remembered(QStringLiteral("orders")) == kTyped);
        QVERIFY(!resolver.remembered(QStringLiteral("other")));
        QCOMPARE(
            resolver.resolveBlocking(CredentialRequest::forSavedProfile(QStringLiteral("orders")))
                .password,
            kTyped);
        QCOMPARE(keychain.reads, 1);
    }

    void noKeychainIsSaidAndNoPasswordUsed()
    {
        core::NoSecretStore none;
        CredentialResolver resolver(&none);
        const Credential credential =
            resolver.resolveBlocking(CredentialRequest::forSavedProfile(QStringLiteral("orders")));
        QVERIFY(credential.ok());
        QCOMPARE(credential.password, QString());
        QCOMPARE(credential.keychainProblem, core::SecretStore::unavailableMessage());
        // An empty entry counts as none.
        core::MemorySecretStore empty;
        QVERIFY(core::writeSecretBlocking(empty, QStringLiteral("orders"), QString()));
        const Credential nothing = CredentialResolver(&empty).resolveBlocking(
            CredentialRequest::forSavedProfile(QStringLiteral("orders")));
        QVERIFY(nothing.ok() && nothing.password.isEmpty() && nothing.source.isEmpty() &&
                nothing.keychainProblem.isEmpty());
    }

    void aKeychainThatAnswersLaterAnswersOnce()
    {
        auto keychain = std::make_unique<core::MemorySecretStore>();
        QVERIFY(core::writeSecretBlocking(*keychain, QStringLiteral("orders"), kKeychainPassword));
        keychain->setAnswersLater(true);
        auto resolver = std::make_unique<CredentialResolver>(keychain.get());
        int answers = 0;
        Credential got;
        resolver->resolve(CredentialRequest::forSavedProfile(QStringLiteral("orders")),
                          [&](const Credential &credential) {
                              ++answers;
                              got = credential;
                          });
        QCOMPARE(answers, 0); // on the event loop, like the OS keychain
        resolver.reset();     // the resolver may be gone by then
        QTRY_COMPARE(answers, 1);
        QCOMPARE(got.password, kKeychainPassword);
    }

    void firstFoundTakesTheSourcesInOrder()
    {
        CountingKeychain keychain;
        QVERIFY(core::writeSecretBlocking(keychain, QStringLiteral("orders"), kKeychainPassword));
        CredentialResolver resolver(&keychain, environment({{"REDISCLI_AUTH", kEnvPassword}}));
        FakePrompt prompt{kTyped};
        CredentialRequest request = CredentialRequest::forSavedProfile(QStringLiteral("orders"));
        request.own = core::GivenPassword{QStringLiteral("the URL"), kUrlPassword};
        request.environment = {QStringLiteral("REDISCLI_AUTH")};
        request.prompts = {prompt.prompt(QStringLiteral("a dialog"))};
        QCOMPARE(resolver.resolveBlocking(request).password, kUrlPassword); // own before keychain
        QCOMPARE(keychain.reads, 0);
        request.own.reset();
        QCOMPARE(resolver.resolveBlocking(request).password, kKeychainPassword);
        request.savedProfile.clear();
        const Credential fromEnvironment = resolver.resolveBlocking(request);
        QCOMPARE(fromEnvironment.password, kEnvPassword);
        QCOMPARE(fromEnvironment.source, QStringLiteral("REDISCLI_AUTH"));
        QCOMPARE(prompt.asked, 0);
        request.environment.clear();
        const Credential asked = resolver.resolveBlocking(request);
        QCOMPARE(asked.password, kTyped);
        QCOMPARE(asked.source, QStringLiteral("a dialog"));
        QCOMPARE(prompt.asked, 1);
        QCOMPARE(prompt.question, QStringLiteral("Password for test: "));
    }

    void oneSourceTakesTheOnlyOne_data()
    {
        QTest::addColumn<QString>("variable");
        QTest::newRow("REDIS_PASSWORD") << QStringLiteral("REDIS_PASSWORD");
        QTest::newRow("REDISCLI_AUTH") << QStringLiteral("REDISCLI_AUTH");
    }
    void oneSourceTakesTheOnlyOne()
    {
        QFETCH(QString, variable);
        QProcessEnvironment e;
        e.insert(variable, kEnvPassword);
        e.insert(QStringLiteral("UNRELATED"), kTyped);
        const Credential credential = CredentialResolver(nullptr, e).resolveBlocking(commandLine());
        QVERIFY(credential.ok());
        QCOMPARE(credential.password, kEnvPassword);
        QCOMPARE(credential.source, variable);
        // None at all: no password, no error.
        const Credential none = CredentialResolver().resolveBlocking(commandLine());
        QVERIFY(none.ok() && none.password.isEmpty());
    }

    void givenTwiceIsAnErrorNamingBoth_data()
    {
        QTest::addColumn<bool>("url");
        QTest::addColumn<bool>("keychain");
        QTest::addColumn<QStringList>("variables");
        QTest::addColumn<QStringList>("prompts");
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        const QStringList none;
        const QStringList both{QStringLiteral("REDIS_PASSWORD"), QStringLiteral("REDISCLI_AUTH")};
        QTest::newRow("url + REDIS_PASSWORD")
            << true << false << QStringList{QStringLiteral("REDIS_PASSWORD")} << none << "the URL"
            << "REDIS_PASSWORD";
        QTest::newRow("keychain + REDISCLI_AUTH")
            << false << true << QStringList{QStringLiteral("REDISCLI_AUTH")} << none
            << "the keychain (--profile orders)"
            << "REDISCLI_AUTH";
        QTest::newRow("both variables") << false << false << both << none << "REDIS_PASSWORD"
                                        << "REDISCLI_AUTH";
        QTest::newRow("url + prompt")
            << true << false << none << QStringList{QStringLiteral("--password-stdin")} << "the URL"
            << "--password-stdin";
        QTest::newRow("variables + prompt: the first given and the prompt")
            << false << false << both << QStringList{QStringLiteral("--askpass")}
            << "REDIS_PASSWORD"
            << "--askpass";
    }
    void givenTwiceIsAnErrorNamingBoth()
    {
        QFETCH(bool, url);
        QFETCH(bool, keychain);
        QFETCH(QStringList, variables);
        QFETCH(QStringList, prompts);
        QFETCH(QString, first);
        QFETCH(QString, second);
        core::MemorySecretStore store;
        QVERIFY(core::writeSecretBlocking(store, QStringLiteral("orders"), kKeychainPassword));
        CredentialResolver resolver(&store, environment({{"REDIS_PASSWORD", kEnvPassword},
                                                         {"REDISCLI_AUTH", kEnvPassword}}));
        CredentialRequest request = commandLine(variables);
        if (url)
            request.own = core::GivenPassword{QStringLiteral("the URL"), kUrlPassword};
        if (keychain) {
            request.savedProfile = QStringLiteral("orders");
            request.keychainSource = QStringLiteral("the keychain (--profile orders)");
        }
        FakePrompt prompt{kTyped};
        for (const QString &source : prompts)
            request.prompts.append(prompt.prompt(source));
        const Credential credential = resolver.resolveBlocking(request);
        QVERIFY(!credential.ok());
        QCOMPARE(credential.error,
                 QStringLiteral("a password is given twice, by %1 and by %2; give it one way only")
                     .arg(first, second));
        QVERIFY(credential.password.isEmpty());
        QVERIFY(namesNoPassword(credential.error));
        QCOMPARE(prompt.asked, 0); // refused before anything is asked
    }

    void promptsAnswerOrSayWhyNot()
    {
        CredentialResolver resolver;
        FakePrompt stdinPrompt{kTyped};
        FakePrompt terminal{std::nullopt};
        CredentialRequest request = commandLine();
        request.prompts = {stdinPrompt.prompt(QStringLiteral("--password-stdin")),
                           terminal.prompt(QStringLiteral("--askpass"))};
        const Credential two = resolver.resolveBlocking(request);
        QCOMPARE(two.error,
                 QStringLiteral("--password-stdin and --askpass both give the password; use one"));
        QCOMPARE(stdinPrompt.asked + terminal.asked, 0);

        request.prompts = {stdinPrompt.prompt(QStringLiteral("--password-stdin"))};
        const Credential typed = resolver.resolveBlocking(request);
        QVERIFY(typed.ok());
        QCOMPARE(typed.password, kTyped);
        QCOMPARE(typed.source, QStringLiteral("--password-stdin"));

        request.prompts = {terminal.prompt(QStringLiteral("--askpass"),
                                           QStringLiteral("--askpass needs a terminal"))};
        const Credential unanswered = resolver.resolveBlocking(request);
        QCOMPARE(unanswered.error, QStringLiteral("--askpass needs a terminal"));
        QCOMPARE(terminal.asked, 1);
        // An empty answer is an answer (a server without a password).
        terminal.answer = QString();
        const Credential empty = resolver.resolveBlocking(request);
        QVERIFY(empty.ok() && empty.password.isEmpty());
    }

    void keychainProblemStillLetsAnotherSourceAnswer()
    {
        core::NoSecretStore none;
        CredentialResolver resolver(&none, environment({{"REDISCLI_AUTH", kEnvPassword}}));
        CredentialRequest request = commandLine({QStringLiteral("REDISCLI_AUTH")});
        request.savedProfile = QStringLiteral("orders");
        request.keychainSource = QStringLiteral("the keychain (--profile orders)");
        const Credential credential = resolver.resolveBlocking(request);
        QVERIFY(credential.ok());
        QCOMPARE(credential.password, kEnvPassword);
        QVERIFY(!credential.keychainProblem.isEmpty());
        QVERIFY(namesNoPassword(credential.keychainProblem));
    }

    // `exporter --all` over fifty profiles on a keychain that hangs: the first read waits its
    // timeout, the next ones do not wait again, and each profile still takes another source.
    void aKeychainThatDoesNotAnswerIsWaitedForOnce()
    {
        SilentKeychain keychain;
        const CredentialResolver resolver(&keychain,
                                          environment({{"QS_TEST_PASSWORD", kEnvPassword}}));
        CredentialRequest request = CredentialRequest::forSavedProfile(QStringLiteral("orders"));
        request.environment = {QStringLiteral("QS_TEST_PASSWORD")};
        const Credential first = resolver.resolveBlocking(request, 100);
        QVERIFY(first.ok());
        QCOMPARE(first.password, kEnvPassword);
        QVERIFY2(first.keychainProblem.contains(QLatin1String("did not answer within 0.1 s")),
                 qPrintable(first.keychainProblem));
        QCOMPARE(keychain.reads, 1);

        request.savedProfile = QStringLiteral("billing");
        const Credential second = resolver.resolveBlocking(request, 100);
        QCOMPARE(keychain.reads, 1); // not asked, so not waited for
        QCOMPARE(second.password, kEnvPassword);
        QVERIFY2(second.keychainProblem.contains(QLatin1String("'billing'")) &&
                     second.keychainProblem.contains(QLatin1String("'orders'")),
                 qPrintable(second.keychainProblem));
    }
};

QTEST_GUILESS_MAIN(TestCredentialResolver)
#include "tst_credentialresolver.moc"
