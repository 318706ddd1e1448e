#pragma once

#include "alerts/alertevent.h"
#include "alerts/alertrules.h"
#include "core/connectionprofile.h"
#include "core/result.h"
#include "monitor/pollsnapshot.h"
#include "redis/rediserror.h"

#include <QJsonArray>
#include <QList>

namespace qs::cli {

class HeadlessServer;

// `check --rules FILE`: the alert rules of the window and the recorder (the built-in ones, the
// global and the profile's rules files, then FILE) evaluated on a few polls as a moment, not a
// duration ("for" and "clear" are left to the caller's own retries: Nagios' check attempts,
// cron's next run). Changes and rates are measured between the polls.
struct RulesVerdict
{
    QList<alerts::AlertEvent> firing; // critical first
    int exitCode = 0;                 // 0 none, 1 a warning, 2 a critical (as Nagios reads it)
    redis::RedisError error;          // a poll that failed: no verdict
};

core::Result<alerts::AlertRules> checkRules(const core::ConnectionProfile &profile,
                                            const QString &file);
// `first`: the poll `check` already made; then polls - 1 more, intervalMs apart.
RulesVerdict evaluateRules(HeadlessServer &server, const alerts::AlertRules &rules,
                           const monitor::PollSnapshot &first, int polls, int intervalMs);
QJsonArray firingJson(const RulesVerdict &verdict);
QString firingText(const RulesVerdict &verdict);

} // namespace qs::cli
