#!/bin/sh
# Packaging: `cmake --install` into a temporary prefix, which is then MOVED elsewhere (the
# pkg-config files and the CMake package must follow: relocatable), and a consumer program
# (consumer.c) built against the moved tree in three ways and run:
#   1. find_package(eum) (eum::eum + eum::eum_host, shared; then eum::eum_static + eum::eum_host_static)
#   2. pkg-config eum eum-host, shared libraries
#   3. pkg-config --static eum eum-host, static archives (no libeum*.so needed at run time)
# Usage: test_install.sh CMAKE BUILD_DIR C_COMPILER SANITIZE(ON/OFF)
set -u
CMAKE=${1:?usage: test_install.sh CMAKE BUILD_DIR C_COMPILER SANITIZE}
BUILD=${2:?}
CC=${3:?}
SAN=${4:-OFF}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/eum-install.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
fails=0
fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}
command -v pkg-config >/dev/null 2>&1 || { echo "FAIL: pkg-config is not installed" >&2; exit 1; }
# a sanitizer build's libraries need the consumer built with the same runtime
FLAGS=
case "$SAN" in ON | on | 1 | TRUE | true) FLAGS="-fsanitize=address,undefined" ;; esac

"$CMAKE" --install "$BUILD" --prefix "$TMP/staged" >"$TMP/install.log" 2>&1 ||
	{ cat "$TMP/install.log" >&2; echo "FAIL: cmake --install" >&2; exit 1; }
mv "$TMP/staged" "$TMP/moved" # nothing may remember the install prefix
P="$TMP/moved"
pcdir=$(dirname "$(find "$P" -name eum.pc | head -n 1)")
libdir=$(dirname "$pcdir")
[ -f "$pcdir/eum.pc" ] && [ -f "$pcdir/eum-host.pc" ] || fail "eum.pc / eum-host.pc not installed"
grep -q "$TMP/staged" -r "$pcdir" "$libdir/cmake" && fail "the installed package files name the install prefix"

# 1. find_package(eum), shared then static
for kind in shared static; do
	st=OFF
	[ "$kind" = static ] && st=ON
	if "$CMAKE" -S "$HERE" -B "$TMP/cm-$kind" -DCMAKE_PREFIX_PATH="$P" -DCMAKE_C_COMPILER="$CC" \
		-DCMAKE_C_FLAGS="$FLAGS" -DEUM_CONSUMER_STATIC=$st >"$TMP/cm-$kind.log" 2>&1 &&
		"$CMAKE" --build "$TMP/cm-$kind" >>"$TMP/cm-$kind.log" 2>&1; then
		LD_LIBRARY_PATH="$libdir" "$TMP/cm-$kind/consumer" >"$TMP/cm-$kind.out" 2>&1 ||
			fail "find_package ($kind): the consumer failed: $(cat "$TMP/cm-$kind.out")"
	else
		fail "find_package ($kind): configure/build failed: $(tail -n 20 "$TMP/cm-$kind.log")"
	fi
done

export PKG_CONFIG_PATH="$pcdir"
[ "$(pkg-config --variable=prefix eum)" = "$pcdir/../.." ] || [ "$(cd "$(pkg-config --variable=prefix eum)" && pwd)" = "$(cd "$P" && pwd)" ] ||
	fail "eum.pc prefix $(pkg-config --variable=prefix eum) is not the moved tree $P"
pkg-config --modversion eum eum-host >/dev/null || fail "pkg-config does not find eum / eum-host"

# 2. pkg-config, shared libraries
# shellcheck disable=SC2046
if $CC $FLAGS -o "$TMP/pc-shared" "$HERE/consumer.c" $(pkg-config --cflags --libs eum eum-host) 2>"$TMP/pc-shared.log"; then
	LD_LIBRARY_PATH="$libdir" "$TMP/pc-shared" >"$TMP/pc-shared.out" 2>&1 ||
		fail "pkg-config shared: the consumer failed: $(cat "$TMP/pc-shared.out")"
	LD_LIBRARY_PATH="$libdir" ldd "$TMP/pc-shared" | grep -q "libeum.so.*$P" ||
		fail "pkg-config shared: not linked with the installed libeum.so"
else
	fail "pkg-config shared: build failed: $(cat "$TMP/pc-shared.log")"
fi

# 3. pkg-config --static: our archives, then what their .pc files list as private dependencies
pub=$(pkg-config --libs-only-l eum eum-host)
priv=
for l in $(pkg-config --static --libs-only-l eum eum-host); do
	case " $pub " in *" $l "*) ;; *) priv="$priv $l" ;; esac
done
[ -n "$priv" ] || fail "pkg-config --static lists no private dependencies"
# shellcheck disable=SC2046,SC2086
if $CC $FLAGS -o "$TMP/pc-static" "$HERE/consumer.c" $(pkg-config --static --cflags eum eum-host) \
	$(pkg-config --libs-only-L eum) -Wl,-Bstatic $pub -Wl,-Bdynamic $priv 2>"$TMP/pc-static.log"; then
	"$TMP/pc-static" >"$TMP/pc-static.out" 2>&1 || fail "pkg-config static: the consumer failed: $(cat "$TMP/pc-static.out")"
	if command -v readelf >/dev/null 2>&1 && readelf -d "$TMP/pc-static" | grep -q "NEEDED.*libeum"; then
		fail "pkg-config static: the consumer still needs a shared libeum"
	fi
else
	fail "pkg-config static: build failed: $(cat "$TMP/pc-static.log")"
fi

if [ "$fails" -ne 0 ]; then
	echo "$fails install check(s) failed" >&2
	exit 1
fi
echo "install: find_package (shared, static), pkg-config shared and static consumers built against a moved prefix and run"
cat "$TMP/pc-static.out"
exit 0
