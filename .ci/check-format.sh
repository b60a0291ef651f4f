#!/usr/bin/env bash
# STYLE §13: project C sources follow .clang-format (generated asn1c code excluded).
set -euo pipefail
files=$(git ls-files '*.c' '*.h' | grep -v '^asn1/generated/' || true)
# shellcheck disable=SC2086
clang-format --dry-run --Werror $files
echo "formatting: $(echo "$files" | wc -l) files clean"
