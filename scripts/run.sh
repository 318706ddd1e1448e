#!/usr/bin/env bash
# The newcomer's command: installs what is needed, builds the app and opens QueueScope.
#   scripts/run.sh                      a throwaway redis-server on a free loopback port with a
#                                       live demo: real BullMQ and RQ producers and workers
#   scripts/run.sh --url redis://...    your own server (any queuescope arguments work)
# It builds only the app (no tests, no benchmarks) in its own directory, build-run (or
# RUN_BUILD_DIR), so it never reconfigures the test build in ./build.
# The window never runs as root: run this as yourself (apt-get goes through sudo). Started with
# sudo, it installs as root and then builds and opens the window as the user who ran sudo.
# Everything this script starts stops when the window closes.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ${EUID} -eq 0 ]]; then
    if [[ -z ${SUDO_USER:-} || ${SUDO_USER} == root ]]; then
        echo "run: not opening QueueScope's window as root. Run scripts/run.sh as your own user" \
            "(it uses sudo for apt-get only); as root, scripts/install-deps.sh installs the" \
            "packages and scripts/build.sh builds the command line, which needs no window." >&2
        exit 1
    fi
    scripts/install-deps.sh
    # Back to the user who ran sudo, with what their session needs to show a window.
    uid=$(id -u "${SUDO_USER}")
    session=(HOME="$(getent passwd "${SUDO_USER}" | cut -d: -f6)" USER="${SUDO_USER}"
        LOGNAME="${SUDO_USER}" PATH="${PATH}")
    for name in DISPLAY XAUTHORITY WAYLAND_DISPLAY REDIS_URL RUN_BUILD_DIR JOBS LANG TMPDIR; do
        if [[ -n ${!name:-} ]]; then
            session+=("${name}=${!name}")
        fi
    done
    if [[ -d /run/user/${uid} ]]; then
        session+=(XDG_RUNTIME_DIR="/run/user/${uid}")
        if [[ -S /run/user/${uid}/bus ]]; then
            session+=(DBUS_SESSION_BUS_ADDRESS="unix:path=/run/user/${uid}/bus")
        fi
    fi
    exec sudo -u "${SUDO_USER}" env -i "${session[@]}" "$(pwd)/scripts/run.sh" "$@"
fi

scripts/install-deps.sh
build_dir=${RUN_BUILD_DIR:-build-run}
BUILD_DIR=${build_dir} scripts/build.sh -DQUEUESCOPE_BUILD_TESTS=OFF -DQUEUESCOPE_BUILD_BENCH=OFF
app="${build_dir}/app/queuescope"

# Without a display the app says so in one sentence (and what works without one).
if [[ $# -gt 0 || -n ${REDIS_URL:-} || -z ${DISPLAY:-}${WAYLAND_DISPLAY:-}${QT_QPA_PLATFORM:-} ]]; then
    exec "${app}" "$@"
fi

source scripts/demo-env.sh
trap stop_demo EXIT INT TERM
start_demo

echo "run: redis-server on 127.0.0.1:${demo_port} with BullMQ and RQ workloads (logs in ${demo_workdir}); close the window to stop"
"${app}" --profile demo
