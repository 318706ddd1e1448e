#!/usr/bin/env bash
# Builds QueueScope (scripts/build.sh), makes the Linux packages with CPack (DEB + TGZ) and checks
# them: Depends, file list, desktop entry, AppStream metainfo, man page, the packaged binary.
# Extra arguments go to the configure step, e.g.
#   scripts/package.sh -DQUEUESCOPE_BUILD_TESTS=OFF -DQUEUESCOPE_BUILD_BENCH=OFF
# Environment: BUILD_DIR (default build), BUILD_TYPE, JOBS (as scripts/build.sh);
# QS_PACKAGE_INSTALL=1 also installs the .deb with apt-get (as root or through sudo) and checks
# the installed /usr/bin/queuescope against an unreachable port and, when redis-server exists, a
# throwaway redis-server.
# Prints the paths of the packages on success; exits non-zero with "package: ..." on any failure.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir=${BUILD_DIR:-build}
app_id=io.github.queuescope.QueueScope
icon_sizes=(16 32 48 64 128 256)

fail() {
    echo "package: FAILED: $*" >&2
    exit 1
}
note() { echo "package: $*"; }

for tool in cmake cpack dpkg-deb dpkg-shlibdeps file desktop-file-validate appstreamcli tar; do
    command -v "${tool}" >/dev/null 2>&1 ||
        fail "${tool} is not installed (scripts/install-deps.sh installs everything needed)"
done

scripts/build.sh "$@"

version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "${build_dir}/CMakeCache.txt")
[[ -n ${version} ]] || fail "no CMAKE_PROJECT_VERSION in ${build_dir}/CMakeCache.txt"
arch=$(dpkg --print-architecture)
deb="${build_dir}/queuescope_${version}_${arch}.deb"
tgz="${build_dir}/queuescope-${version}-Linux.tar.gz"

# Old packages would pass the checks below even when cpack fails to replace them.
rm -f "${deb}" "${tgz}"
(cd "${build_dir}" && cpack -G "DEB;TGZ") || fail "cpack failed in ${build_dir}"
[[ -f ${deb} ]] || fail "cpack did not produce ${deb}"
[[ -f ${tgz} ]] || fail "cpack did not produce ${tgz}"

work=$(mktemp -d)
redis_pid=
cleanup() {
    if [[ -n ${redis_pid} ]]; then
        kill "${redis_pid}" 2>/dev/null || true
        wait "${redis_pid}" 2>/dev/null || true
    fi
    rm -rf "${work}"
}
trap cleanup EXIT

# --- the .deb's control fields -------------------------------------------------------------------
dpkg-deb -I "${deb}" >/dev/null || fail "dpkg-deb -I cannot read ${deb}"
field() { dpkg-deb -f "${deb}" "$1"; }
[[ $(field Package) == queuescope ]] || fail "Package is '$(field Package)', not queuescope"
[[ $(field Version) == "${version}" ]] || fail "Version is '$(field Version)', not ${version}"
depends=$(field Depends)
note "Depends: ${depends}"
[[ ${depends} == *libqt6* ]] || fail "Depends names no libqt6 package (shlibdeps off?)"
[[ ${depends} == *libhiredis* ]] || fail "Depends names no libhiredis package"
recommends=$(field Recommends)
[[ ${recommends} == *libsecret-1-0* ]] || fail "Recommends lacks libsecret-1-0: '${recommends}'"
[[ -n $(field Maintainer) ]] || fail "no Maintainer"

# --- the .deb's files ----------------------------------------------------------------------------
dpkg-deb -c "${deb}" | awk '{print $6}' >"${work}/deb-files"
expected=(
    ./usr/bin/queuescope
    ./usr/lib/queuescope/queuescope-gui.so
    "./usr/share/applications/${app_id}.desktop"
    "./usr/share/metainfo/${app_id}.metainfo.xml"
    "./usr/share/icons/hicolor/scalable/apps/${app_id}.svg"
    ./usr/share/doc/queuescope/copyright
    "./usr/share/systemd/user/queuescope-record@.service"
)
for size in "${icon_sizes[@]}"; do
    expected+=("./usr/share/icons/hicolor/${size}x${size}/apps/${app_id}.png")
done
for path in "${expected[@]}"; do
    grep -qxF "${path}" "${work}/deb-files" || fail "${deb} lacks ${path}"
done
grep -qxE '\./usr/share/man/man1/queuescope\.1(\.gz)?' "${work}/deb-files" ||
    fail "${deb} lacks the man page ./usr/share/man/man1/queuescope.1[.gz]"
outside='^\./usr/(bin|share|lib/queuescope)/|^\./(usr/|usr/lib/)?$'
if grep -vE "${outside}" "${work}/deb-files" | grep -q .; then
    fail "${deb} installs outside /usr/bin, /usr/lib/queuescope and /usr/share: $(grep -vE "${outside}" "${work}/deb-files" | tr '\n' ' ')"
fi

# --- the tarball: relative bin/ and share/ under one top directory, no usr/ --------------------
top="queuescope-${version}-Linux"
tar -tzf "${tgz}" >"${work}/tgz-files" || fail "tar cannot read ${tgz}"
for path in "${top}/bin/queuescope" "${top}/lib/queuescope/queuescope-gui.so" \
    "${top}/share/applications/${app_id}.desktop" \
    "${top}/share/metainfo/${app_id}.metainfo.xml"; do
    grep -qxF "${path}" "${work}/tgz-files" || fail "${tgz} lacks ${path}"
done
if grep -q "^${top}/usr/" "${work}/tgz-files"; then
    fail "${tgz} has a usr/ prefix (CPACK_PACKAGING_INSTALL_PREFIX set?)"
fi

# --- validators, on the files as packaged --------------------------------------------------------
root="${work}/root"
dpkg-deb -x "${deb}" "${root}"
desktop-file-validate "${root}/usr/share/applications/${app_id}.desktop" ||
    fail "desktop-file-validate rejects ${app_id}.desktop"
note "desktop-file-validate: passed"
appstreamcli validate --no-net "${root}/usr/share/metainfo/${app_id}.metainfo.xml" ||
    fail "appstreamcli validate rejects ${app_id}.metainfo.xml"
note "appstreamcli validate: passed"
if command -v man >/dev/null 2>&1; then
    manpage=$(ls "${root}"/usr/share/man/man1/queuescope.1*)
    man_warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "${manpage}" 2>&1 >/dev/null) ||
        fail "man cannot format ${manpage##*/}"
    [[ -z ${man_warnings} ]] || fail "the man page has formatting warnings: ${man_warnings}"
    note "man page: formats without warnings"
fi

# The packaged binary runs (its libraries are those of the build machine here).
packaged_version=$("${root}/usr/bin/queuescope" --version) ||
    fail "the packaged queuescope --version failed"
[[ ${packaged_version} == "queuescope ${version}" ]] ||
    fail "the packaged queuescope --version printed '${packaged_version}', not 'queuescope ${version}'"
note "packaged binary: ${packaged_version}"

# The packaged window finds its module (lib/queuescope, relative to bin/) and opens, offscreen,
# with settings of its own (never the user's).
mkdir -p "${work}/window-config" "${work}/window-data"
QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="${work}/window-config" XDG_DATA_HOME="${work}/window-data" \
    "${root}/usr/bin/queuescope" >"${work}/window.log" 2>&1 </dev/null &
window_pid=$!
opened=0
for _ in $(seq 1 150); do
    if grep -q '/usr/lib/queuescope/queuescope-gui\.so' "/proc/${window_pid}/maps" 2>/dev/null &&
        grep -q libQt6Widgets "/proc/${window_pid}/maps" 2>/dev/null; then
        opened=1
        break
    fi
    kill -0 "${window_pid}" 2>/dev/null || break
    sleep 0.2
done
kill "${window_pid}" 2>/dev/null || true
wait "${window_pid}" 2>/dev/null || true
[[ ${opened} -eq 1 ]] ||
    fail "the packaged window did not open with its module: $(tr '\n' ' ' <"${work}/window.log")"
note "packaged window: opens, with usr/lib/queuescope/queuescope-gui.so"

# --- optional: install the .deb and run the installed binary -------------------------------------
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# expect_exit WANT COMMAND...: runs COMMAND, fails unless it exits WANT.
expect_exit() {
    local want=$1 rc=0
    shift
    "$@" >"${work}/out" 2>&1 || rc=$?
    if [[ ${rc} -ne ${want} ]]; then
        cat "${work}/out" >&2
        fail "'$*' exited ${rc}, expected ${want}"
    fi
    note "'$*' exited ${rc} as expected"
}

if [[ ${QS_PACKAGE_INSTALL:-0} == 1 ]]; then
    sudo=()
    [[ ${EUID} -eq 0 ]] || sudo=(sudo)
    # --reinstall: a rebuilt package of the same version must replace the installed one.
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --reinstall "$(realpath "${deb}")" ||
        fail "apt-get install ${deb} failed"
    dpkg-query -W -f='${Status}' queuescope | grep -q 'install ok installed' ||
        fail "dpkg does not list queuescope as installed"

    installed_version=$(/usr/bin/queuescope --version) || fail "/usr/bin/queuescope --version failed"
    [[ ${installed_version} == "queuescope ${version}" ]] ||
        fail "/usr/bin/queuescope --version printed '${installed_version}', not 'queuescope ${version}'"
    note "installed: ${installed_version}"
    if command -v man >/dev/null 2>&1; then
        man -w queuescope >/dev/null 2>&1 || fail "man -w queuescope finds no installed man page"
    fi

    # Nothing listens on a port just freed: unreachable is exit 3.
    port=$(free_port)
    expect_exit 3 /usr/bin/queuescope check --url "redis://127.0.0.1:${port}" --timeout 5

    if command -v redis-server >/dev/null 2>&1; then
        port=$(free_port)
        redis-server --port "${port}" --bind 127.0.0.1 --save '' --appendonly no \
            --dir "${work}" >"${work}/redis.log" 2>&1 &
        redis_pid=$!
        for _ in $(seq 1 50); do
            (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null && break
            kill -0 "${redis_pid}" 2>/dev/null || { cat "${work}/redis.log" >&2; fail "redis-server did not start"; }
            sleep 0.1
        done
        url="redis://127.0.0.1:${port}"
        expect_exit 0 /usr/bin/queuescope check --url "${url}" --timeout 5
        expect_exit 0 /usr/bin/queuescope queues --json --url "${url}" --timeout 5
        expect_exit 0 /usr/bin/queuescope watch --count 1 --url "${url}" --timeout 5
        # An unknown queue is exit 1; a BullMQ queue (its meta hash, as BullMQ writes it) exists
        # even while it holds no job.
        expect_exit 1 /usr/bin/queuescope jobs --url "${url}" bullmq/emails failed --json
        redis-cli -p "${port}" HSET bull:emails:meta version bullmq:5.47.3 opts.maxLenEvents 10000 \
            >/dev/null || fail "redis-cli HSET failed"
        expect_exit 0 /usr/bin/queuescope jobs --url "${url}" bullmq/emails failed --json
        # An action without --yes only says what it would do; a read-only target refuses it.
        expect_exit 4 /usr/bin/queuescope retry --url "${url}" bullmq/emails --all
        expect_exit 4 /usr/bin/queuescope drain --url "${url}" --read-only bullmq/emails --yes
    else
        note "redis-server is not installed: skipped the healthy-server check"
    fi
fi

note "OK: ${deb} ${tgz}"
