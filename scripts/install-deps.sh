#!/usr/bin/env bash
# Installs everything QueueScope's build and tests need on Debian 12 (bookworm).
# Idempotent: when every package is already installed it changes nothing and does not even run
# "apt-get update", so a rerun takes a second. Runs apt through sudo when not root.
set -euo pipefail

packages=(
    # Build. file and dpkg-dev: CPack's DEB dependency computation. libgl-dev: Qt6Gui's CMake
    # config looks for OpenGL headers (qt6-base-dev depends on it; listed to be explicit).
    g++ make cmake ninja-build pkgconf file dpkg-dev
    qt6-base-dev libgl-dev libqcustomplot-dev libhiredis-dev qtkeychain-qt6-dev zlib1g-dev
    libbenchmark-dev
    # `queuescope exporter`: Qt's HTTP server (its CMake config wants WebSockets), bcrypt of
    # the web config through libcrypt's crypt_r; a real Prometheus and promtool in its tests.
    qt6-httpserver-dev qt6-websockets-dev libcrypt-dev prometheus
    # Run time: Qt's TLS backend (in libqt6network6) loads libssl3; the offscreen platform plugin
    # is in libqt6gui6 (pulled in by qt6-base-dev) and needs a font to draw text.
    libssl3 fonts-dejavu-core
    # History on disk (models/history): Qt's SQLite driver plugin.
    libqt6sql6-sqlite
    # Tests: throwaway redis-servers, certificates, headless GUI, keychain under D-Bus.
    redis-server redis-tools openssl ca-certificates
    # Sentinel groups in the tests (tests/support/sentinelgroup: master, replica, three
    # redis-sentinel); the 6-node Redis Cluster is redis-server + redis-cli --cluster create.
    redis-sentinel
    # GNU time and prlimit (util-linux): peak RSS of CLI runs (tst_hostilecli,
    # scripts/measure-hostile.py).
    time util-linux
    xvfb xauth dbus-daemon gnome-keyring libsecret-1-0
    # Tests against the real Python/Ruby queue frameworks (tests/queues/ fixture scripts run by
    # /usr/bin/python3 and ruby): Celery 5.2, RQ 1.13, Sidekiq 6.4 (+ redis-namespace).
    python3-celery python3-rq python3-redis ruby-sidekiq ruby-redis-namespace
    # Packaging checks and code style.
    desktop-file-utils appstream clang-format
    # scripts/screenshots.sh: the real window under Xvfb, keys sent to it, the screen captured,
    # and a dark Qt palette through the qt6ct platform theme.
    xdotool imagemagick qt6ct
    # The hardening stage (scripts/test.sh, build-sanitize): clang with ASan/UBSan runtimes and
    # libFuzzer (tests/fuzz).
    clang libclang-rt-14-dev libfuzzer-14-dev
)

# Queue tests create their data with the real BullMQ and Bull (npm). Debian's nodejs only when
# no node is on PATH, so a newer node installed another way is left alone.
if ! command -v node >/dev/null 2>&1; then
    packages+=(nodejs npm)
fi

# tests/queues/node_modules from the committed package-lock.json (exact versions), only when it
# is missing or older than the lock file, so a rerun costs nothing.
install_node_modules() {
    local dir
    dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/queues"
    [[ -f ${dir}/package-lock.json ]] || return 0
    if [[ -d ${dir}/node_modules && ! ${dir}/package-lock.json -nt ${dir}/node_modules ]]; then
        echo "install-deps: tests/queues/node_modules is up to date"
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        echo "install-deps: node is installed but npm is not; install npm" >&2
        exit 1
    fi
    # Run through sudo (scripts/run.sh does that), the checkout stays its owner's: node_modules
    # is installed as the user who ran sudo, not as root.
    local as_owner=()
    if [[ ${EUID} -eq 0 && -n ${SUDO_USER:-} && ${SUDO_USER} != root ]]; then
        as_owner=(sudo -u "${SUDO_USER}" -H)
    fi
    local attempt
    for attempt in 1 2 3; do
        if (cd "${dir}" && "${as_owner[@]}" npm ci --no-audit --no-fund --loglevel=error); then
            touch "${dir}/node_modules" # npm ci may keep an old directory time
            echo "install-deps: installed tests/queues/node_modules"
            return 0
        fi
        echo "install-deps: npm ci failed (attempt ${attempt}), retrying" >&2
        sleep $((attempt * 5))
    done
    echo "install-deps: npm ci in ${dir} failed" >&2
    exit 1
}

if [[ ${EUID} -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "install-deps: not root and no sudo; install as root: ${packages[*]}" >&2
    exit 1
fi

missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "${package}" 2>/dev/null || true)
    if [[ ${status} != ii* ]]; then
        missing+=("${package}")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "install-deps: all ${#packages[@]} packages already installed"
    install_node_modules
    exit 0
fi

redis_was_installed=true
if [[ " ${missing[*]} " == *" redis-server "* ]]; then
    redis_was_installed=false
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_options=(-q -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300)

updated=false
for attempt in 1 2 3; do
    if "${as_root[@]}" apt-get "${apt_options[@]}" update; then
        updated=true
        break
    fi
    echo "install-deps: apt-get update failed (attempt ${attempt}), retrying" >&2
    sleep $((attempt * 5))
done
if [[ ${updated} != true ]]; then
    echo "install-deps: apt-get update failed" >&2
    exit 1
fi

"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get "${apt_options[@]}" install -y --no-install-recommends "${missing[@]}"

# On a machine with systemd the package starts a redis-server on port 6379. The tests never use
# it (each starts its own on a free port), but one we started ourselves should not stay around.
if [[ ${redis_was_installed} == false ]]; then
    if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
        "${as_root[@]}" systemctl disable --now redis-server >/dev/null 2>&1 || true
    elif command -v service >/dev/null 2>&1; then
        "${as_root[@]}" service redis-server stop >/dev/null 2>&1 || true
    fi
fi

install_node_modules
echo "install-deps: done"
