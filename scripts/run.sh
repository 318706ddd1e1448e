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

workdir=$(mktemp -d "${TMPDIR:-/tmp}/queuescope-run-XXXXXX")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "${pid}" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "${workdir}"
}
trap cleanup EXIT INT TERM

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "${port}" --bind 127.0.0.1 --save "" --appendonly no --dir "${workdir}" \
    --maxmemory 256mb --logfile "${workdir}/redis.log" &
pids+=($!)
for _ in $(seq 50); do
    redis-cli -p "${port}" ping >/dev/null 2>&1 && break
    sleep 0.1
done

# Real workloads, with the frameworks' own clients and workers (installed by install-deps.sh):
# BullMQ producers and workers on three queues (some jobs fail, some are delayed), an RQ
# producer and `rq worker` on two queues, and bursts of plain commands so the server charts move.
queues_dir="$(pwd)/tests/queues"
url="redis://127.0.0.1:${port}"
(cd "${queues_dir}" && exec node demo-workload.mjs "${url}") >"${workdir}/bullmq.log" 2>&1 &
pids+=($!)
(cd "${queues_dir}" && exec /usr/bin/python3 demo_rq_workload.py "${url}") >"${workdir}/rq.log" 2>&1 &
pids+=($!)
(cd "${queues_dir}" && exec /usr/bin/rq worker --url "${url}" --path "${queues_dir}" images exports) \
    >"${workdir}/rq-worker.log" 2>&1 &
pids+=($!)
(
    while true; do
        redis-benchmark -p "${port}" -q -c 2 -n 3000 -r 20000 -d 128 \
            -t set,get,incr,lpush,rpop,zadd >/dev/null 2>&1 || exit 0
        sleep 2
    done
) &
pids+=($!)

# The demo keeps its settings and profiles in its own throwaway folder (your own profiles and
# window state are not touched): one saved profile, "demo", for the overview and the editor.
export XDG_CONFIG_HOME="${workdir}/config" XDG_DATA_HOME="${workdir}/data"
mkdir -p "${XDG_CONFIG_HOME}/QueueScope/queuescope"
cat >"${XDG_CONFIG_HOME}/QueueScope/queuescope/profiles.json" <<JSON
{"format": "queuescope-profiles", "version": 1, "profiles": [
 {"name": "demo", "host": "127.0.0.1", "port": ${port}, "environment": "development"}]}
JSON

echo "run: redis-server on 127.0.0.1:${port} with BullMQ and RQ workloads (logs in ${workdir}); close the window to stop"
"${app}" --profile demo
