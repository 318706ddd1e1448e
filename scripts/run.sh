#!/usr/bin/env bash
# The newcomer's command: installs what is needed, builds, and opens QueueScope.
#   scripts/run.sh                      a throwaway redis-server on a free loopback port with a
#                                       live demo: real BullMQ and RQ producers and workers
#   scripts/run.sh --url redis://...    your own server (any queuescope arguments work)
# Everything this script starts stops when the window closes.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh
scripts/build.sh
app="${BUILD_DIR:-build}/app/queuescope"

if [[ $# -gt 0 || -n ${REDIS_URL:-} ]]; then
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
