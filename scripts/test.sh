#!/usr/bin/env bash
# The one test command, locally and in CI: installs dependencies, builds, runs every test, then
# the hardening stage: the sanitizer build (clang, ASan + UBSan, ./build-sanitize) runs the unit
# and integration tests again and each libFuzzer harness for a short while (tests/fuzz); any
# sanitizer or fuzzer finding fails the run. Last, the package checks.
# Extra arguments go to ctest (in both stages), e.g. scripts/test.sh -L unit   or   -R redisserver
#   scripts/test.sh --sanitize [ctest args]   the hardening stage only
# Environment: QS_TEST_JOBS (parallel tests, default 2); BUILD_DIR, BUILD_TYPE, JOBS as build.sh;
# QS_SKIP_PACKAGE=1 skips the package checks that follow the tests (scripts/package.sh);
# QS_SKIP_SANITIZE=1 skips the hardening stage; QS_FUZZ_SECONDS (default 60) caps each fuzz harness.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)
started=${SECONDS}
stages=ordinary,sanitize
if [[ ${1:-} == --sanitize ]]; then
    shift
    stages=sanitize
elif [[ ${QS_SKIP_SANITIZE:-0} == 1 ]]; then
    stages=ordinary
fi
build_dir=${BUILD_DIR:-build}
[[ ${stages} == sanitize ]] && build_dir=${BUILD_DIR:-build-sanitize}

scripts/install-deps.sh
scripts/check-format.sh

# Headless and quiet: no display needed, and Qt gets a private runtime directory.
export QT_QPA_PLATFORM=offscreen
XDG_RUNTIME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/qs-runtime-XXXXXX")
chmod 0700 "${XDG_RUNTIME_DIR}"
export XDG_RUNTIME_DIR
trap 'rm -rf "${XDG_RUNTIME_DIR}"' EXIT

echo "test: $(cmake --version | head -n1); $(redis-server --version | cut -d' ' -f1-3); $(openssl version)"

run_ctest() { # <build dir> <what when no test matches: error|ignore> [ctest args]
    local dir=$1 no_tests=$2
    shift 2
    ctest --test-dir "${dir}" --output-on-failure --no-tests="${no_tests}" \
        -j "${QS_TEST_JOBS:-2}" --timeout 600 --output-junit "${repo}/${dir}/ctest-results.xml" \
        "$@" </dev/null
}

status=0
junit=
if [[ ${stages} == *ordinary* ]]; then
    stage_started=${SECONDS}
    scripts/build.sh
    junit="${repo}/${build_dir}/ctest-results.xml"
    run_ctest "${build_dir}" error "$@" || status=$?
    echo "test: ordinary build and tests took $((SECONDS - stage_started)) s"
fi

# Hardening (issue 12): the same unit and integration tests under ASan + UBSan, then each fuzz
# harness for its fixed number of inputs from its seeds (tests/fuzz/CMakeLists.txt). A finding aborts the test process (see
# cmake/sanitizers.cmake; OpenSSL's per-thread allocations are suppressed in
# tests/sanitizers/lsan.supp). Run even when the ordinary stage failed: it says more, not less.
if [[ ${stages} == *sanitize* ]]; then
    stage_started=${SECONDS}
    sanitize_dir=${build_dir}
    [[ ${stages} == *ordinary* ]] && sanitize_dir=build-sanitize
    BUILD_DIR=${sanitize_dir} scripts/build.sh --sanitize \
        ${QS_FUZZ_SECONDS:+-DQS_FUZZ_SECONDS=${QS_FUZZ_SECONDS}}
    sanitize_status=0
    # A selection such as -L gui may match nothing here (no widgets in this tree): not an error.
    no_tests=error
    [[ $# -gt 0 && ${stages} == *ordinary* ]] && no_tests=ignore
    run_ctest "${sanitize_dir}" "${no_tests}" "$@" || sanitize_status=$?
    [[ ${status} -eq 0 ]] && status=${sanitize_status}
    junit="${junit:+${junit} and }${repo}/${sanitize_dir}/ctest-results.xml"
    echo "test: sanitizer build, tests and fuzzing took $((SECONDS - stage_started)) s"
fi

# The packages too (issue: CI builds and checks them): Depends, file list, validators, the
# packaged binary; installed with apt-get and run from /usr/bin where this runs as root (CI).
if [[ ${status} -eq 0 && ${stages} == *ordinary* && ${QS_SKIP_PACKAGE:-0} != 1 ]]; then
    install=0
    [[ ${EUID} -eq 0 ]] && install=1
    QS_PACKAGE_INSTALL=${QS_PACKAGE_INSTALL:-${install}} scripts/package.sh || status=$?
fi

elapsed=$((SECONDS - started))
echo
echo "================================================================"
if [[ ${status} -eq 0 ]]; then
    echo "QueueScope tests PASSED (${elapsed} s in total)"
else
    echo "QueueScope tests FAILED: ctest exit code ${status} (${elapsed} s in total)"
fi
echo "JUnit report: ${junit}"
artifact_dirs=("${build_dir}")
[[ -n ${sanitize_dir:-} && ${sanitize_dir} != "${build_dir}" ]] && artifact_dirs+=("${sanitize_dir}")
for dir in "${artifact_dirs[@]}"; do
    if [[ -d ${dir}/test-artifacts ]]; then
        echo "Test artifacts (screenshots, logs, fuzz findings): ${repo}/${dir}/test-artifacts"
    fi
done
echo "================================================================"
exit "${status}"
