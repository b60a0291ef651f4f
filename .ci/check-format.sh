#!/usr/bin/env bash
# STYLE §13: project C sources follow .clang-format (generated asn1c code excluded).
set -euo pipefail
if command -v git >/dev/null 2>&1 && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	files=$(git ls-files '*.c' '*.h' | grep -v '^asn1/generated/' || true)
else
	files=$(find include src tests examples tools -name '*.[ch]' | sort)
fi
# shellcheck disable=SC2086
clang-format --dry-run --Werror $files
echo "formatting: $(echo "$files" | wc -l) files clean"
