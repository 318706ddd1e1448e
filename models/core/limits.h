#pragma once

// The limits and defaults that more than one place enforces or offers (a profile file, the
// profile form, the dashboard, the CLI, the models): each lives here once, so a form cannot
// offer what a profile file refuses. A limit only one place knows stays next to its code.
namespace qs::core::limits {

// How often a server is polled: a profile's "Poll every", the dashboard's spin box, the
// Poller's clamp and `watch --interval`.
inline constexpr int minPollIntervalMs = 200;
inline constexpr int maxPollIntervalMs = 60'000;
inline constexpr int defaultPollIntervalMs = 1'000;

// Connect and command timeouts: a profile's defaults, what a profile file, a URL's timeout= and
// `--timeout` accept.
inline constexpr int defaultConnectTimeoutMs = 10'000;
inline constexpr int defaultCommandTimeoutMs = 5'000;
inline constexpr int maxTimeoutMs = 3'600'000;
// The CLI waits at least this long for a command unless --timeout says otherwise: a one-shot
// command over a slow link should not fail where the window would merely retry.
inline constexpr int minCliCommandTimeoutMs = 10'000;

// Database numbers a profile may name (profile files, the profile form).
inline constexpr int maxDb = 1'000'000;

// Jobs per script call of a bulk action (BulkAction, `--batch`).
inline constexpr int defaultBatchSize = 1'000;
inline constexpr int maxBatchSize = 5'000;
// How long a bulk action re-sends while the server is away before it gives up.
inline constexpr int actionOutageBudgetMs = 60'000;

// Jobs per page: the Jobs page, `jobs --limit` (default and most).
inline constexpr int defaultJobPageSize = 50;
inline constexpr int maxJobPageSize = 1'000;

} // namespace qs::core::limits
