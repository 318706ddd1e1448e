#pragma once

#include "monitor/pollsnapshot.h"

#include <QJsonObject>

#include <optional>

namespace qs::cli {

// What `watch` says about an outage: ONE line when polls start failing, nothing while they keep
// failing (the connection reconnects with backoff meanwhile), and one line when a poll succeeds
// again, with how long the server was away and how many polls were missed.
//
//   {"time":…,"ok":false,"gap":"started","error":…,"code":…}
//   {"time":…,"ok":true,"gap":"ended","downMs":…,"missedPolls":…,"reconnectAttempts":…}
class PollGaps
{
public:
    // The gap line to print for this poll, if any. A failed poll prints nothing else; a
    // successful one prints its own line after this one.
    std::optional<QJsonObject> onPoll(const monitor::PollSnapshot &snapshot);
    // A reconnect attempt of the connection (counted in the "ended" line).
    void onReconnectAttempt() { ++m_attempts; }
    bool inGap() const { return m_gapStartMs >= 0; }

private:
    qint64 m_gapStartMs = -1;
    int m_missed = 0;
    int m_attempts = 0;
};

} // namespace qs::cli
