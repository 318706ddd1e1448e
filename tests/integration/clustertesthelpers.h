#pragma once

// What the tests against a real Redis Cluster with BullMQ's own cluster client share
// (tst_clustercli, tst_clusternodes).
#include "frameworkfixture.h"
#include "rediscluster.h"

#include <QFile>
#include <QStandardPaths>

#include <memory>

namespace qs::test {

inline QString url(const RedisCluster &cluster, int index)
{
    return QStringLiteral("redis://127.0.0.1:%1").arg(cluster.node(index).port());
}

inline QString missingClusterTools()
{
    if (qEnvironmentVariable("QS_SOURCE_DIR").isEmpty())
        return QStringLiteral("QS_SOURCE_DIR is not set (run through ctest)");
    if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty())
        return QStringLiteral("node is not on PATH: run scripts/install-deps.sh");
    if (!QFile::exists(qs::test::sourcePath(QStringLiteral("tests/queues/node_modules/bullmq"))))
        return QStringLiteral("tests/queues/node_modules is missing: run scripts/install-deps.sh");
    return {};
}

inline std::unique_ptr<FrameworkFixture>
bullmqOnCluster(const RedisCluster &cluster, const QStringList &queues, const QStringList &options)
{
    QStringList nodes;
    for (const int master : cluster.masters())
        nodes << QStringLiteral("127.0.0.1:%1").arg(cluster.node(master).port());
    QStringList args{qs::test::sourcePath(QStringLiteral("tests/queues/bullmq-cluster.mjs")),
                     QStringLiteral("--nodes"), nodes.join(QLatin1Char(','))};
    for (const QString &queue : queues)
        args << QStringLiteral("--queue") << queue;
    args << options;
    return std::make_unique<FrameworkFixture>(QStringLiteral("node"), args,
                                              qs::test::sourcePath(QStringLiteral("tests/queues")));
}

} // namespace qs::test
