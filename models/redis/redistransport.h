#pragma once

#include "connectionstatus.h"
#include "core/connectionprofile.h"
#include "encodedcommands.h"
#include "replylimits.h"
#include "replyparser.h"
#include "subscriber.h"
#include "transporterrors.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <memory>

class QIODevice;
class QLocalSocket;
class QSslSocket;
class QSslError;

namespace qs::redis {

class PlainRedisProbe;
class SentinelFollower;

struct TransportOptions
{
    bool autoReconnect = true;
    QString clientName = QStringLiteral("queuescope");
    int firstBackoffMs = 250;
    int maxBackoffMs = 5'000;
    // Subscriber mode: how often the connection PINGs to find a dead link (the pong is owed
    // within the profile's command timeout, as any reply).
    int subscriberPingMs = 10'000;
    // The connection reads and writes on a thread of its own (the window: its thread never waits
    // for the network's work). Off: on the thread that made the connection, which must run an
    // event loop and do nothing long (the exporter: 50 connections without 50 threads, no
    // hand-over of every poll and its replies between threads).
    bool ownThread = true;
};

// Owns one socket (TCP, TLS or Unix) and lives on an I/O thread: connects, authenticates,
// pipelines requests and matches replies in order, enforces timeouts, reconnects with backoff.
// A profile that uses Sentinel asks the sentinels for the master before every connect and
// follows it through a failover (SentinelFollower; redistransportsentinel.cpp).
// Talk to it only through queued calls; RedisConnection does that.
class RedisTransport final : public QObject
{
    Q_OBJECT
public:
    RedisTransport(core::ConnectionProfile profile, TransportOptions options);
    ~RedisTransport() override;

    void open();
    void close();
    void submit(quint64 id, const QList<RedisCommand> &commands,
                LargeStrings largeStrings = LargeStrings::Refuse);
    // Commands encoded beforehand, written as they are (the poll's counts).
    void submit(quint64 id, const EncodedCommands &encoded);
    // Turns this connection into a subscriber: PSUBSCRIBE <patterns> now if connected and after
    // every (re)connect; each message becomes pushed(), each confirmation or refusal subscribed().
    // A subscriber takes no other commands (submit() fails them).
    void subscribe(const QList<QByteArray> &patterns);

Q_SIGNALS:
    void statusChanged(const qs::redis::ConnectionStatus &status);
    void finished(quint64 id, const qs::redis::PipelineResult &result);
    void pushed(const qs::redis::PushMessage &message);
    void subscribed(const qs::redis::RedisError &error);

private:
    struct Request
    {
        quint64 id = 0;
        QList<RedisCommand> commands; // or, written as they are:
        EncodedCommands encoded;
        qsizetype expected = 0; // replies: one per command
        QList<RedisReply> replies;
        LargeStrings largeStrings = LargeStrings::Refuse;
        QElapsedTimer clock; // started at submit, restarted at write
        qint64 deadline = 0; // ms on m_clock: from submit while queued, then from the write
        qint64 bytesSent = 0;
        qint64 bytesReceived = 0;
        bool handshake = false;
    };
    using Phase = TransportPhase;

    void enqueue(Request request); // what submit() does once the commands are checked
    void startAttempt();
    void connectSocket();
    void createSocket();
    void teardownSocket();
    void onTransportUp();
    void onReadyRead();
    void onSocketError(const QString &description, int qtError);
    void onSslErrors(const QList<QSslError> &errors);
    void onConnectTimeout();
    void onCommandDeadline();
    void handleReply(RedisReply reply);
    void onUnreadableReply(ReplyParser::Status status);
    void failFront(const RedisError &error);
    void probeForPlainRedis();
    void dropProbe();
    void finishHandshake(const Request &request);
    void connectionFailed(const RedisError &error);
    void setStatus(ConnectionState state, const RedisError &error = {}, int reconnectInMs = 0);
    void writeRequest(Request request);
    void flushQueued();
    void failQueued(const RedisError &error);
    void failInflight(const RedisError &error);
    void complete(Request &request, const RedisError &error = {});
    void refuseWrite(Request &request, const QByteArray &command); // a read-only profile
    void armDeadline();
    void startSubscription();
    void pingSubscriber();
    void onPush(const RedisReply &reply);
    void writeRaw(const RedisCommand &command);
    void limitSubscriberReadBuffer();
    void noteReceived(qsizetype bytes);         // counts them; a subscriber's owed answer waits on
    ReplyLimits unsolicitedReplyLimits() const; // a subscriber's pushes, or the handshake's
    qint64 subscriberDeadline() const;          // -1: nothing owed
    bool subscriberOverdue(qint64 now);         // true: the connection was reset
    // Sentinel (redistransportsentinel.cpp).
    void setUpSentinel();
    void onMasterResolved(const QString &host, quint16 port);
    void onMasterSwitched(const QString &from, const QString &to);
    void stopSentinel();
    void noteMasterReached(); // the handshake (and its ROLE) succeeded
    // Completes a request; a READONLY reply through Sentinel (the master became a replica)
    // then resets the connection, which asks the sentinels again.
    void completeFromMaster(Request &request);

    core::ConnectionProfile m_profile;
    TransportOptions m_options;
    QSslSocket *m_tcp = nullptr;
    QLocalSocket *m_local = nullptr;
    QIODevice *m_io = nullptr;
    std::unique_ptr<ReplyParser> m_parser;
    std::deque<Request> m_queued;
    std::deque<Request> m_inflight;
    // Parented so that they move to the I/O thread with the transport.
    QTimer m_connectTimer{this};
    QTimer m_reconnectTimer{this};
    QTimer m_deadlineTimer{this};
    QTimer m_probeTimer{this};
    QTimer m_pingTimer{this};
    QPointer<PlainRedisProbe> m_probe;
    std::unique_ptr<Subscriber> m_subscriber; // set: subscriber mode
    SentinelFollower *m_sentinel = nullptr;   // set: the master is found through Sentinel
    QElapsedTimer m_clock;
    Phase m_phase = Phase::Idle;
    ConnectionStatus m_status;
    QString m_tlsError;
    bool m_wantOpen = false;
    bool m_receivedAny = false;
};

} // namespace qs::redis
