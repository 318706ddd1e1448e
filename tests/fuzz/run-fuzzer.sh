#!/usr/bin/env bash
# Runs one libFuzzer harness for a while: run-fuzzer.sh <harness binary> <seed dir> <build dir>
# <seconds> [libFuzzer options]. New inputs go to <build dir>/fuzz/<harness>/corpus (the
# committed seeds are only read); a finding is saved under <build dir>/test-artifacts/fuzz/
# <harness>/ and makes the exit code non-zero. Used by ctest and scripts/fuzz.sh.
set -euo pipefail

binary=$1 seeds=$2 build_dir=$3 seconds=$4
shift 4
name=$(basename "${binary}")
corpus="${build_dir}/fuzz/${name}/corpus"
artifacts="${build_dir}/test-artifacts/fuzz/${name}"
mkdir -p "${corpus}" "${artifacts}"

# -timeout: one input taking 10 s is a hang; -rss_limit_mb: a harness above 2 GB is a finding
# (issue 12: nothing may balloon); -max_len: big enough for an INFO reply or a job payload.
# No -jobs: CI has 2 cores and ctest already runs two tests at a time.
exec "${binary}" -max_total_time="${seconds}" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -print_final_stats=1 -artifact_prefix="${artifacts}/" "$@" "${corpus}" "${seeds}"
