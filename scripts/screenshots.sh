#!/usr/bin/env bash
# Takes screenshots of the real binary under Xvfb with the live demo (scripts/demo-env.sh): the
# overview and the four pages of the demo server, at one screen size and theme.
#   scripts/screenshots.sh [--size 1280x800] [--dark] [--out DIR] [--warmup SECONDS]
# Defaults: 1280x800 (QueueScope's default window), light, docs/screenshots, 60 s of workload
# first. --dark uses the qt6ct platform theme with its "darker" colour scheme (how a desktop
# without a Qt theme usually gets a dark Qt). Needs a built app (BUILD_DIR, default build) and
# xvfb, xdotool and imagemagick (scripts/install-deps.sh).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
size=1280x800
dark=0
out=docs/screenshots
warmup=60
while [[ $# -gt 0 ]]; do
    case $1 in
    --size) size=$2 && shift 2 ;;
    --dark) dark=1 && shift ;;
    --out) out=$2 && shift 2 ;;
    --warmup) warmup=$2 && shift 2 ;;
    *) echo "screenshots: unknown option $1" >&2 && exit 2 ;;
    esac
done
app="$(pwd)/${BUILD_DIR:-build}/app/queuescope"
[[ -x ${app} ]] || { echo "screenshots: build the app first (${app})" >&2 && exit 1; }
mkdir -p "${out}"
out=$(cd "${out}" && pwd)

source scripts/demo-env.sh
trap stop_demo EXIT INT TERM
start_demo

if [[ ${dark} == 1 ]]; then
    mkdir -p "${XDG_CONFIG_HOME}/qt6ct"
    cat >"${XDG_CONFIG_HOME}/qt6ct/qt6ct.conf" <<CONF
[Appearance]
color_scheme_path=/usr/share/qt6ct/colors/darker.conf
custom_palette=true
style=Fusion
CONF
    export QT_QPA_PLATFORMTHEME=qt6ct
fi

# One X session: start the window, size it to the screen, then visit each page.
export APP="${app}" OUT="${out}" SIZE="${size}" WARMUP="${warmup}"
xvfb-run -a -s "-screen 0 ${size}x24" bash -c '
    set -euo pipefail
    "${APP}" --profile demo >/dev/null 2>&1 &
    app=$!
    window=$(xdotool search --sync --onlyvisible --name "QueueScope" | head -1)
    xdotool windowmove "${window}" 0 0 windowsize "${window}" "${SIZE%x*}" "${SIZE#*x}"
    sleep "${WARMUP}"
    shot() {
        xdotool windowfocus --sync "${window}" key "$1"
        sleep 3
        import -window root "${OUT}/$2.png"
    }
    shot ctrl+1 dashboard
    shot ctrl+2 queues
    # The server page on its client list: the names of the workers, decoded.
    shot ctrl+4 server
    xdotool mousemove 324 120 click 1
    sleep 3
    import -window root "${OUT}/server.png"
    # The jobs of the first queue in its failed state, the newest failed job selected.
    shot ctrl+3 jobs-list
    xdotool mousemove 420 170 click 1
    sleep 3
    import -window root "${OUT}/jobs.png"
    rm -f "${OUT}/jobs-list.png"
    shot ctrl+0 overview
    kill "${app}"
'
echo "screenshots: ${size}$([[ ${dark} == 1 ]] && echo ' dark') in ${out}"
