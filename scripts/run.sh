#!/usr/bin/env bash
# The newcomer's command: installs what is needed, builds, and opens QueueScope.
#   scripts/run.sh                      a throwaway redis-server on a free loopback port, with a
#                                       real load from redis-benchmark so the charts move
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

# A gentle, endless, real workload: bursts of mixed commands every second (a few thousand
# requests/s), so that ops/sec, memory, clients and hit rate move without loading the machine.
(
    while true; do
        redis-benchmark -p "${port}" -q -c 2 -n 3000 -r 20000 -d 128 \
            -t set,get,incr,lpush,rpop,zadd >/dev/null 2>&1 || exit 0
        sleep 1
    done
) &
pids+=($!)

echo "run: redis-server on 127.0.0.1:${port} with a redis-benchmark load; close the window to stop"
"${app}" --url "redis://127.0.0.1:${port}"
