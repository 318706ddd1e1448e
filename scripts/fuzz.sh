#!/usr/bin/env bash
# Long fuzzing runs: scripts/fuzz.sh [harness] [seconds]
#   scripts/fuzz.sh                         every harness of tests/fuzz, 600 s each, one after another
#   scripts/fuzz.sh fuzz_infoparser 3600    one harness for an hour
# Builds the sanitizer tree first (scripts/build.sh --sanitize, ./build-sanitize). Inputs that
# find new code are kept in build-sanitize/fuzz/<harness>/corpus and reused by later runs (and
# by ctest); findings land in build-sanitize/test-artifacts/fuzz/<harness>/ and the script exits
# non-zero. Reproduce one with: build-sanitize/tests/fuzz/<harness> <crash file>.
# To add what a long run found to the committed seeds (keeps only inputs with new coverage):
#   build-sanitize/tests/fuzz/<harness> -merge=1 tests/fuzz/corpus/<harness> build-sanitize/fuzz/<harness>/corpus
# Extra libFuzzer options after the seconds, e.g. scripts/fuzz.sh fuzz_jsonedit 600 -jobs=2
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${BUILD_DIR:-build-sanitize}
harness=${1:-all}
seconds=${2:-600}
shift $(($# > 2 ? 2 : $#))

BUILD_DIR=${build_dir} scripts/build.sh --sanitize >/dev/null

if [[ ${harness} == all ]]; then
    mapfile -t harnesses < <(cd tests/fuzz && ls fuzz_*.cpp | sed 's/\.cpp$//')
else
    harnesses=("${harness}")
fi

# The suppressions and options ctest uses (cmake/sanitizers.cmake).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(pwd)/tests/sanitizers/lsan.supp}

status=0
for name in "${harnesses[@]}"; do
    binary="${build_dir}/tests/fuzz/${name}"
    if [[ ! -x ${binary} ]]; then
        echo "fuzz: no harness ${name} (have: $(cd tests/fuzz && ls fuzz_*.cpp | sed 's/\.cpp$//' | tr '\n' ' '))" >&2
        exit 2
    fi
    echo "fuzz: ${name} for ${seconds} s"
    tests/fuzz/run-fuzzer.sh "${binary}" "tests/fuzz/corpus/${name}" "${build_dir}" "${seconds}" \
        "$@" || status=$?
done
exit "${status}"
