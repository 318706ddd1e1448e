#!/usr/bin/env bash
# Configures (Ninja, RelWithDebInfo) and builds QueueScope in ./build.
# Extra arguments go to the configure step, e.g. scripts/build.sh -DQUEUESCOPE_BUILD_BENCH=OFF
# Environment: BUILD_DIR (default build), BUILD_TYPE (default RelWithDebInfo), JOBS (default nproc).
#
# scripts/build.sh --sanitize builds the hardening tree instead (default ./build-sanitize): clang,
# ASan + UBSan + float-cast-overflow, the libraries with their unit and integration tests and the
# libFuzzer harnesses (tests/fuzz); no widgets, executable or benchmarks. -O1 -g1 and Debug, so
# Qt's own assertions (QList bounds and the like) are checked too.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir=${BUILD_DIR:-build}
build_type=${BUILD_TYPE:-RelWithDebInfo}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
if [[ ${1:-} == --sanitize ]]; then
    shift
    build_dir=${BUILD_DIR:-build-sanitize}
    build_type=Debug
    set -- -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
        "-DCMAKE_C_FLAGS_DEBUG=-O1 -g1" "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" \
        -DQUEUESCOPE_FUZZ=ON -DQUEUESCOPE_BUILD_GUI=OFF -DQUEUESCOPE_BUILD_BENCH=OFF "$@"
fi

cache="${build_dir}/CMakeCache.txt"
if [[ -f ${cache} ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "${cache}"; then
    echo "build: ${build_dir} was configured with another generator; remove it or set BUILD_DIR" >&2
    exit 1
fi

cmake -S . -B "${build_dir}" -G Ninja -DCMAKE_BUILD_TYPE="${build_type}" "$@"
cmake --build "${build_dir}" --parallel "${jobs}"
