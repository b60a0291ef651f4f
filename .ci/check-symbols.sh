#!/usr/bin/env bash
# STYLE §3: the shared libraries export eum_* (card) / eum_host_* (host) only.
set -euo pipefail
build="${1:-build}"
fail=0
for lib in "$build"/src/libeum.so "$build"/src/libeum-host.so "$build"/src/public/libeum.a; do
	[ -f "$lib" ] || continue
	prefix=eum_
	stray=$(nm -g --defined-only "$lib" | awk 'NF == 3 {print $3}' | grep -v "^${prefix}" | grep -vE '^(_init|_fini|__bss_start|_edata|_end)$' || true)
	if [ -n "$stray" ]; then
		echo "$lib exports symbols without the ${prefix} prefix:" >&2
		echo "$stray" >&2
		fail=1
	else
		echo "$lib: $(nm -g --defined-only "$lib" | grep -c " T ") global functions, all ${prefix}*"
	fi
done
exit $fail
