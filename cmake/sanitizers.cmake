# Hardening builds (issue 12): QUEUESCOPE_SANITIZE compiles everything with AddressSanitizer and
# UndefinedBehaviorSanitizer (+ float-cast-overflow, which -fsanitize=undefined leaves out), and
# any finding aborts the process, so a test that triggers one fails. QUEUESCOPE_FUZZ (clang only)
# also instruments the model libraries for libFuzzer and builds the harnesses of tests/fuzz.
# scripts/test.sh builds both in one clang tree (build-sanitize) beside the ordinary build.
option(QUEUESCOPE_SANITIZE "Build with ASan + UBSan; a finding fails the test" OFF)
option(QUEUESCOPE_FUZZ "Build the libFuzzer harnesses of tests/fuzz (clang; implies QUEUESCOPE_SANITIZE)" OFF)

if(QUEUESCOPE_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "QUEUESCOPE_FUZZ needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
    endif()
    set(QUEUESCOPE_SANITIZE ON CACHE BOOL "" FORCE)
endif()

if(QUEUESCOPE_SANITIZE)
    set(qs_sanitizers -fsanitize=address,undefined,float-cast-overflow
        -fno-sanitize-recover=all -fno-omit-frame-pointer)
    add_compile_options(${qs_sanitizers})
    add_link_options(${qs_sanitizers})
    # Read by the directories that add tests and fuzzers (tests/CMakeLists.txt).
    set(QUEUESCOPE_SANITIZER_ENVIRONMENT
        "ASAN_OPTIONS=detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:abort_on_error=0"
        "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1"
        "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/sanitizers/lsan.supp:print_suppressions=0")
endif()
