#pragma once

#include <QString>
#include <QTest>

// Fails the running test, with the start error as the message, unless a test server or fixture
// started. Arguments after the first go to start() after the error, e.g. a timeout:
// QS_START_OR_FAIL(server); QS_START_OR_FAIL(fixture, 60'000);
#define QS_START_OR_FAIL(startable, ...)                                                           \
    do {                                                                                           \
        QString startError;                                                                        \
        QVERIFY2((startable).start(&startError __VA_OPT__(, ) __VA_ARGS__),                        \
                 qPrintable(startError));                                                          \
    } while (false)
