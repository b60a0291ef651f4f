#!/usr/bin/env bash
# eum quick start: install what is missing (Debian 12, as root), build, then
#   scripts/quickstart.sh demo    run the M2M provisioning demo
#   scripts/quickstart.sh test    run the whole test suite
# Options through the environment: BUILD_DIR (default build), CMAKE_ARGS.
set -euo pipefail

cd "$(dirname "$0")/.."
what="${1:-}"
case "$what" in
demo | test) ;;
*)
	echo "usage: $0 demo|test" >&2
	exit 2
	;;
esac

packages=(build-essential cmake pkg-config libmbedtls-dev libcmocka-dev libconfig-dev)
if [ "$what" = test ]; then
	# the PC/SC test (pcscd with vsmartcard's vpcd, pyscard client), the trace test (tshark) and the
	# PSK-TLS peer tests (openssl s_server: tests/e2e/test_tls_openssl.c, and the HTTPS independence
	# test tests/cli/test_bip_openssl.py, where python3 plays the SM-SR's HTTP side behind it)
	packages+=(pcscd vsmartcard-vpcd python3-pyscard tshark openssl python3)
fi
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	echo "== installing: ${missing[*]}"
	if [ "$(id -u)" -ne 0 ]; then
		echo "quickstart: missing packages (${missing[*]}); run as root or install them" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build="${BUILD_DIR:-build}"
# shellcheck disable=SC2086
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo ${CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j"$(nproc)"

if [ "$what" = demo ]; then
	exec "$build/examples/eum_demo"
fi
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
