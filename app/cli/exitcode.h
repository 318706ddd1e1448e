#pragma once

namespace qs::cli {

// The command line's exit codes (DESIGN section 6), relied on by operators' scripts.
enum ExitCode : int {
    Success = 0,     // healthy / done
    Degraded = 1,    // reachable but degraded or unhealthy; partial success
    UsageError = 2,  // bad arguments or target
    Unreachable = 3, // connection or authentication failed
    Refused = 4,     // read-only profile, missing --yes, unsupported by the framework
};

} // namespace qs::cli
