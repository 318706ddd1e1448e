#!/usr/bin/env bash
# The one test command, locally and in CI: installs dependencies, builds, runs every test.
# Extra arguments go to ctest, e.g. scripts/test.sh -L unit   or   scripts/test.sh -R redisserver
# Environment: QS_TEST_JOBS (parallel tests, default 2); BUILD_DIR, BUILD_TYPE, JOBS as build.sh;
# QS_SKIP_PACKAGE=1 skips the package checks that follow the tests (scripts/package.sh).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)
build_dir=${BUILD_DIR:-build}
started=${SECONDS}

scripts/install-deps.sh
scripts/check-format.sh
scripts/build.sh

# Headless and quiet: no display needed, and Qt gets a private runtime directory.
export QT_QPA_PLATFORM=offscreen
XDG_RUNTIME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/qs-runtime-XXXXXX")
chmod 0700 "${XDG_RUNTIME_DIR}"
export XDG_RUNTIME_DIR
trap 'rm -rf "${XDG_RUNTIME_DIR}"' EXIT

echo "test: $(cmake --version | head -n1); $(redis-server --version | cut -d' ' -f1-3); $(openssl version)"

junit="${repo}/${build_dir}/ctest-results.xml"
status=0
ctest --test-dir "${build_dir}" --output-on-failure --no-tests=error \
    -j "${QS_TEST_JOBS:-2}" --timeout 600 --output-junit "${junit}" "$@" </dev/null || status=$?

# The packages too (issue: CI builds and checks them): Depends, file list, validators, the
# packaged binary; installed with apt-get and run from /usr/bin where this runs as root (CI).
if [[ ${status} -eq 0 && ${QS_SKIP_PACKAGE:-0} != 1 ]]; then
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
if [[ -d ${build_dir}/test-artifacts ]]; then
    echo "Test artifacts (screenshots, logs): ${repo}/${build_dir}/test-artifacts"
fi
echo "================================================================"
exit "${status}"
