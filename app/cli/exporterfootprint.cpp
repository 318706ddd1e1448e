#include "exporterfootprint.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace qs::cli {

namespace {

bool usesTls(const core::ConnectionProfile &profile)
{
    return profile.tls.enabled || (profile.usesSentinel() && profile.sentinel.tls.enabled);
}

} // namespace

// glibc gives threads malloc arenas of their own (up to 8 per core), each keeping the free space
// of its own peaks: when each watched server's connection read on a thread of its own, at 50
// servers x 200 queues 16 arenas held 18 MB of which 13 MB free; two arenas kept that at a few MB
// (RSS 88.8 -> 80.2 MB in bench_exporter). The connections now read on the exporter's thread
// (SessionOptions::exporter); the limit still holds for the threads libraries start.
void limitMallocArenas()
{
#if defined(__GLIBC__)
    if (!qEnvironmentVariableIsSet("MALLOC_ARENA_MAX"))
        mallopt(M_ARENA_MAX, 2);
#endif
}

// Each poll frees its replies and counts in another order than it allocated them, so glibc keeps
// free pages inside its heaps (it returns only a free top): at 50 servers x 200 queues about
// 3 MB of RSS that nothing uses. malloc_trim returns them; once per poll interval (at least 5 s)
// it takes about 1 ms, and the pages a later poll takes again fault back in.
void releaseFreePages()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

// Qt's HTTP server builds a QSslConfiguration in its constructor and every connection is a
// QSslSocket, and either loads the TLS backend, which loads OpenSSL: its pages and its
// initialisation's heap stay for the life of the process whether TLS is used or not.
void leaveTlsUnloadedWhenUnused(const QList<Target> &targets, const WebConfig &config)
{
    if (!config.certFile.isEmpty())
        return;
    for (const Target &target : targets) {
        if (usesTls(target.profile))
            return;
    }
    // Qt looks for TLS plugins on the library paths; the exporter loads no other plugin.
    QCoreApplication::setLibraryPaths({});
    // "No functional TLS backend was found": meant, so not said (QT_LOGGING_RULES still wins).
    QLoggingCategory::setFilterRules(QStringLiteral("qt.network.ssl.warning=false"));
}

} // namespace qs::cli
