# Sourced by scripts/run.sh and scripts/screenshots.sh: the live demo. A throwaway redis-server
# on a free loopback port with real workloads, using the frameworks' own clients and workers
# (installed by install-deps.sh): BullMQ producers and workers on three queues (some jobs fail,
# some are delayed), an RQ producer and `rq worker` on two queues, and bursts of plain commands
# so the server charts move. Settings and profiles live in a throwaway folder (your own profiles
# and window state are not touched), with one saved profile, "demo".
#
#   start_demo        sets demo_port, demo_url, demo_workdir; exports XDG_CONFIG_HOME/DATA_HOME
#   stop_demo         stops everything start_demo started and removes its folder

demo_pids=()

start_demo() {
    demo_workdir=$(mktemp -d "${TMPDIR:-/tmp}/queuescope-run-XXXXXX")
    demo_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    redis-server --port "${demo_port}" --bind 127.0.0.1 --save "" --appendonly no \
        --dir "${demo_workdir}" --maxmemory 256mb --logfile "${demo_workdir}/redis.log" &
    demo_pids+=($!)
    for _ in $(seq 50); do
        redis-cli -p "${demo_port}" ping >/dev/null 2>&1 && break
        sleep 0.1
    done

    local queues_dir
    queues_dir="$(pwd)/tests/queues"
    demo_url="redis://127.0.0.1:${demo_port}"
    (cd "${queues_dir}" && exec node demo-workload.mjs "${demo_url}") \
        >"${demo_workdir}/bullmq.log" 2>&1 &
    demo_pids+=($!)
    (cd "${queues_dir}" && exec /usr/bin/python3 demo_rq_workload.py "${demo_url}") \
        >"${demo_workdir}/rq.log" 2>&1 &
    demo_pids+=($!)
    (cd "${queues_dir}" && exec /usr/bin/rq worker --url "${demo_url}" --path "${queues_dir}" \
        images exports) >"${demo_workdir}/rq-worker.log" 2>&1 &
    demo_pids+=($!)
    (
        while true; do
            redis-benchmark -p "${demo_port}" -q -c 2 -n 3000 -r 20000 -d 128 \
                -t set,get,incr,lpush,rpop,zadd >/dev/null 2>&1 || exit 0
            sleep 2
        done
    ) &
    demo_pids+=($!)

    export XDG_CONFIG_HOME="${demo_workdir}/config" XDG_DATA_HOME="${demo_workdir}/data"
    mkdir -p "${XDG_CONFIG_HOME}/QueueScope/queuescope"
    cat >"${XDG_CONFIG_HOME}/QueueScope/queuescope/profiles.json" <<JSON
{"format": "queuescope-profiles", "version": 1, "profiles": [
 {"name": "demo", "host": "127.0.0.1", "port": ${demo_port}, "environment": "development"}]}
JSON
}

stop_demo() {
    for pid in "${demo_pids[@]}"; do kill "${pid}" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [[ -n ${demo_workdir:-} ]] && rm -rf "${demo_workdir}"
}
