#!/usr/bin/env bash
# Fails when a tracked C++ file differs from what clang-format (.clang-format) makes of it.
# Run by scripts/test.sh; fix with:  git ls-files '*.cpp' '*.h' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.h')
if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/qs-format.$$; then
    grep -E '^[^ ].*: (warning|error):' /tmp/qs-format.$$ | cut -d: -f1 | sort -u |
        sed 's/^/check-format: not formatted: /' >&2
    rm -f /tmp/qs-format.$$
    echo "check-format: run clang-format -i on the files above (.clang-format)" >&2
    exit 1
fi
rm -f /tmp/qs-format.$$
echo "check-format: ${#files[@]} C++ files formatted"
