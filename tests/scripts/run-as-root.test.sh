#!/usr/bin/env bash
# scripts/run.sh never opens the window as root (issue 11). As plain root it refuses before it
# installs or builds anything; started through sudo it installs as root and then runs itself
# again as the user who ran sudo, with that session's display, building nothing as root.
# `sudo` is a stub here that prints what it was asked to run. Needs root (exit 77 = skipped).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [[ ${EUID} -ne 0 ]]; then
    echo "run-as-root: skipped, needs root"
    exit 77
fi
scratch=$(mktemp -d)
trap 'rm -rf "${scratch}"' EXIT
fail() {
    echo "run-as-root: FAIL: $*" >&2
    exit 1
}

if out=$(env -u SUDO_USER RUN_BUILD_DIR="${scratch}/build" "${root}/scripts/run.sh" 2>&1); then
    fail "plain root: exit 0: ${out}"
fi
grep -q "not opening QueueScope's window as root" <<<"${out}" || fail "plain root said: ${out}"
[[ ! -e ${scratch}/build ]] || fail "plain root built something"

mkdir "${scratch}/bin"
printf '#!/bin/sh\necho "sudo $*"\n' >"${scratch}/bin/sudo"
chmod +x "${scratch}/bin/sudo"
out=$(PATH="${scratch}/bin:${PATH}" SUDO_USER=nobody DISPLAY=:9 RUN_BUILD_DIR="${scratch}/build" \
    "${root}/scripts/run.sh" --url redis://127.0.0.1:1 2>&1) || fail "through sudo: ${out}"
again=$(grep '^sudo -u nobody env -i ' <<<"${out}") || fail "not run again as the user: ${out}"
[[ ${again} == *" DISPLAY=:9 "* ]] || fail "the display was not passed on: ${again}"
[[ ${again} == *" RUN_BUILD_DIR=${scratch}/build "* ]] || fail "settings lost: ${again}"
[[ ${again} == *"/scripts/run.sh --url redis://127.0.0.1:1" ]] || fail "arguments lost: ${again}"
[[ ! -e ${scratch}/build ]] || fail "built as root"
echo "run-as-root: ok"
