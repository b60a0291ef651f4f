#!/usr/bin/env bash
# Issue 12: the include graph of src/ has no cycle between src/core and the application folders.
#
# Builds the folder-level graph of src/ from every `#include "folder/file.h"` line (an edge A -> B
# when a file under src/A includes a header under src/B, A != B; asn1c headers are not folders)
# and fails when
#   1. a header of src/core includes anything but src/core, src/util, src/crypto (the engine's
#      interface knows no application);
#   2. a source of src/core includes an application header that is not listed, file by file, in
#      .ci/include-exceptions.txt (the remaining, shrinking list: each entry is a debt);
#   3. src/core lies on a cycle of the graph: some folder that src/core includes (directly or
#      not) includes src/core again. The listed exceptions are left out of this graph, nothing else.
# Usage: .ci/check-includes.sh [source root]   (default: the repository)
set -euo pipefail
root=${1:-"$(dirname "$0")/.."}
cd "$root"
exceptions=.ci/include-exceptions.txt
lower="core util crypto"
folders=$(find src -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
fail=0

# file<TAB>from-folder<TAB>to-folder, one line per cross-folder include
edges=$(find src -name '*.[ch]' | sort | while read -r f; do
	from=${f#src/}
	from=${from%%/*}
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"/]*\)\/[^"]*".*/\1/p' "$f" | sort -u |
		while read -r to; do
			[ "$to" = "$from" ] && continue
			echo "$folders" | grep -qx "$to" || continue
			printf '%s\t%s\t%s\n' "$f" "$from" "$to"
		done
done)

is_lower() { case " $lower " in *" $1 "*) return 0 ;; esac; return 1; }
excepted() { [ -f "$exceptions" ] && grep -v '^#' "$exceptions" | grep -qx "$1[[:space:]]\+$2"; }

graph=""
while IFS=$'\t' read -r f from to; do
	[ -n "$f" ] || continue
	if [ "$from" = core ] && ! is_lower "$to"; then
		case "$f" in
		*.h)
			echo "check-includes: $f includes src/$to (a src/core header may include core, util, crypto only)"
			fail=1
			continue
			;;
		*)
			if excepted "$f" "$to"; then
				continue
			fi
			echo "check-includes: $f includes src/$to (not listed in $exceptions)"
			fail=1
			;;
		esac
	fi
	graph+="$from $to"$'\n'
done <<<"$edges"

# Rule 3: is core reachable from any folder core reaches?
reach=" core "
frontier="core"
while [ -n "$frontier" ]; do
	next=""
	for n in $frontier; do
		for to in $(printf '%s' "$graph" | awk -v n="$n" '$1 == n { print $2 }' | sort -u); do
			case "$reach" in *" $to "*) continue ;; esac
			reach+="$to "
			next+="$to "
		done
	done
	frontier=$next
done
for n in $reach; do
	[ "$n" = core ] && continue
	if printf '%s' "$graph" | awk -v n="$n" '$1 == n && $2 == "core" { found = 1 } END { exit !found }'; then
		echo "check-includes: cycle: src/core reaches src/$n, which includes src/core"
		fail=1
	fi
done

if [ "$fail" -ne 0 ]; then
	echo "check-includes: FAILED"
	exit 1
fi
n_exc=0
if [ -f "$exceptions" ]; then
	n_exc=$(grep -cv '^\(#\|$\)' "$exceptions" || true)
fi
echo "check-includes: src/core headers include no application folder, src/core is on no cycle" \
	"(src/core reaches: ${reach# core }; listed source exceptions: $n_exc)"
