#!/usr/bin/env bash
# Configures (Ninja, RelWithDebInfo) and builds QueueScope in ./build.
# Extra arguments go to the configure step, e.g. scripts/build.sh -DQUEUESCOPE_BUILD_BENCH=OFF
# Environment: BUILD_DIR (default build), BUILD_TYPE (default RelWithDebInfo), JOBS (default nproc).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir=${BUILD_DIR:-build}
build_type=${BUILD_TYPE:-RelWithDebInfo}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}

cache="${build_dir}/CMakeCache.txt"
if [[ -f ${cache} ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "${cache}"; then
    echo "build: ${build_dir} was configured with another generator; remove it or set BUILD_DIR" >&2
    exit 1
fi

cmake -S . -B "${build_dir}" -G Ninja -DCMAKE_BUILD_TYPE="${build_type}" "$@"
cmake --build "${build_dir}" --parallel "${jobs}"
