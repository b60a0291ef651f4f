#!/usr/bin/env bash
# CI: build the libFuzzer targets of tests/fuzz (clang, -DEUM_FUZZ=ON: ASan+UBSan+libFuzzer) and
# run each for a bounded time from its committed corpus. Any crash, leak, timeout or sanitizer
# report fails the job; the finding is left in build-fuzz/findings/<target>/ to be committed
# as a regression seed after the fix. Per-target executions and coverage are printed at the end.
#
#   .ci/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 45 s, every target)
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${1:-45}
shift || true
export DEBIAN_FRONTEND=noninteractive
need=()
# clang 14 and its libFuzzer runtime (libclang_rt.fuzzer-x86_64.a is in libclang-rt-14-dev)
for p in clang libclang-rt-14-dev cmake pkg-config libmbedtls-dev libconfig-dev libcmocka-dev; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ "${#need[@]}" -gt 0 ]; then
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

CC=clang cmake -S . -B build-fuzz -DEUM_FUZZ=ON -DEUM_WERROR=ON -DEUM_BUILD_BENCH=OFF -DEUM_BUILD_EXAMPLES=OFF \
	>/dev/null
cmake --build build-fuzz -j"$(nproc)" --target eum_fuzz_all

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
	for d in tests/fuzz/corpus/*/; do
		targets+=("$(basename "$d")")
	done
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0
root=$PWD
summary=()
failed=0
for t in "${targets[@]}"; do
	bin=build-fuzz/tests/fuzz_$t
	work=build-fuzz/findings/$t
	rm -rf "$work"
	mkdir -p "$work/corpus"
	echo "== fuzz_$t for ${secs}s"
	# a dictionary per entry point (envelope_raw uses envelope's, image_crc image's)
	base=${t%_raw}
	base=${base%_crc}
	dict=()
	[ -f "tests/fuzz/dict/$base.dict" ] && dict=(-dict="$root/tests/fuzz/dict/$base.dict")
	# new inputs go to a scratch corpus; the committed one is only read
	# a fixed seed (EUM_FUZZ_SEED to change it) makes a run reproducible: the same binary explores the
	# same inputs in the same order, so a run that passed for longer on the same code passes here too
	if (cd "$work" && "$root/$bin" -seed="${EUM_FUZZ_SEED:-20261202}" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$root/$work/" "${dict[@]}" corpus "$root/tests/fuzz/corpus/$t" \
		>log 2>&1); then
		status=ok
	else
		status=FAILED
		failed=1
		tail -n 60 "$work/log"
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
	last=$(grep -E '^#[0-9]+.*(DONE|INITED|NEW|REDUCE|pulse)' "$work/log" | tail -1 |
		sed -E 's/.*(cov: [0-9]+ ft: [0-9]+).*/\1/')
	summary+=("$(printf '%-13s %-6s execs %-9s %s' "$t" "$status" "${execs:-?}" "$last")")
done
echo "== fuzz summary (${secs}s per target)"
printf '%s\n' "${summary[@]}"
exit "$failed"
