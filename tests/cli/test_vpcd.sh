#!/bin/sh
# `eum vpcd` through a real pcscd (Debian pcscd + vsmartcard-vpcd) and a PC/SC client
# (python3-pyscard, tests/cli/pcsc_client.py): the default card gives its ATR, ICCID, IMSI (after
# VERIFY PIN1) and a Milenage AUTHENTICATE answer, and needs PIN1 again after a reset and after a
# power cycle from the reader; pcscd is then restarted and the card comes back
# in the reader; then each TS.48 package of tests/data/ts48 (eum vpcd --bootstrap-profile) gives
# the ICCID and IMSI of its pySim summary (.json), the IMSI without VERIFY PIN (PIN1 disabled).
#
# pcscd runs in the foreground on a free TCP port for vpcd; its socket is /run/pcscd/pcscd.comm
# (fixed in pcsc-lite 1.9), so the test runs in a private mount namespace with its own /run/pcscd
# when it can (unshare), else only when no other pcscd runs. Only the processes this test started
# are stopped, by PID. Exit 77 (ctest SKIP_RETURN_CODE) when pcscd, vpcd or pyscard is missing.
# Usage: test_vpcd.sh PATH/TO/eum
set -u
EUM=${1:?usage: test_vpcd.sh PATH/TO/eum}
HERE=$(cd "$(dirname "$0")" && pwd)
DATA="$HERE/../data/ts48"
PY=/usr/bin/python3 # Debian's python3, where python3-pyscard lives

skip() {
	echo "SKIP: $*"
	exit 77
}

PCSCD=/usr/sbin/pcscd
[ -x "$PCSCD" ] || skip "pcscd is not installed (Debian package pcscd)"
VPCD_LIB=
for f in /usr/lib/pcsc/drivers/serial/libifdvpcd.so /usr/lib/*/pcsc/drivers/serial/libifdvpcd.so; do
	[ -e "$f" ] && VPCD_LIB=$f && break
done
[ -n "$VPCD_LIB" ] || skip "the vpcd driver is not installed (Debian package vsmartcard-vpcd)"
[ -x "$PY" ] && "$PY" -c 'import smartcard' 2>/dev/null || skip "pyscard is not installed (Debian package python3-pyscard)"
[ "$(id -u)" -eq 0 ] || skip "pcscd must run as root here (its socket lives in /run/pcscd)"

# A private /run/pcscd: re-run this script in a new mount namespace when the system allows it.
if [ -z "${EUM_VPCD_TEST_NS:-}" ] && command -v unshare >/dev/null 2>&1 &&
	unshare --mount --propagation private true 2>/dev/null; then
	EUM_VPCD_TEST_NS=1 exec unshare --mount --propagation private sh "$0" "$@"
fi
if [ "${EUM_VPCD_TEST_NS:-}" = 1 ]; then
	mkdir -p /run/pcscd && mount -t tmpfs -o mode=0755 tmpfs /run/pcscd ||
		{ echo "FAIL: cannot mount a private /run/pcscd" >&2; exit 1; }
	echo "pcscd runs with a private /run/pcscd (mount namespace)"
else
	if [ -S /run/pcscd/pcscd.comm ] && [ -f /run/pcscd/pcscd.pid ] &&
		kill -0 "$(cat /run/pcscd/pcscd.pid)" 2>/dev/null; then
		skip "another pcscd (pid $(cat /run/pcscd/pcscd.pid)) owns /run/pcscd and no private mount namespace is possible"
	fi
	mkdir -p /run/pcscd
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/eum-vpcd.XXXXXX") || exit 1
PCSCD_PID=
EUM_PID=
cleanup() {
	[ -n "$EUM_PID" ] && kill "$EUM_PID" 2>/dev/null && wait "$EUM_PID" 2>/dev/null
	[ -n "$PCSCD_PID" ] && kill "$PCSCD_PID" 2>/dev/null && wait "$PCSCD_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fails=0
fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

# a free TCP port (and the next one: vpcd opens two slots) for vpcd
PORT=$("$PY" - <<'PYEOF'
import socket
for _ in range(50):
    a = socket.socket(); b = socket.socket()
    try:
        a.bind(("", 0)); p = a.getsockname()[1]
        b.bind(("", p + 1))
        print(p); break
    except OSError:
        pass
    finally:
        a.close(); b.close()
PYEOF
)
[ -n "$PORT" ] || { echo "FAIL: no free TCP port" >&2; exit 1; }
mkdir -p "$TMP/reader.conf.d"
cat >"$TMP/reader.conf.d/vpcd" <<CONF
FRIENDLYNAME "Virtual PCD"
DEVICENAME   /dev/null:$PORT
LIBPATH      $VPCD_LIB
CHANNELID    $PORT
CONF

start_pcscd() {
	"$PCSCD" --foreground --info --config "$TMP/reader.conf.d" >>"$TMP/pcscd.log" 2>&1 &
	PCSCD_PID=$!
}
stop_pcscd() {
	kill "$PCSCD_PID" 2>/dev/null
	wait "$PCSCD_PID" 2>/dev/null
	PCSCD_PID=
}
# start_eum LOGNAME ARGS...
start_eum() {
	log=$1
	shift
	"$EUM" vpcd --host 127.0.0.1 --port "$PORT" "$@" >"$TMP/$log.out" 2>"$TMP/$log.err" &
	EUM_PID=$!
}
stop_eum() {
	kill "$EUM_PID" 2>/dev/null
	wait "$EUM_PID"
	eum_rc=$?
	EUM_PID=
}
client() {
	"$PY" "$HERE/pcsc_client.py" "$@"
}

ATR=3B9F96801FC78031E073FE211F6765756D20302E31A6
USIM=A0000000871002FFFFFFFF8907090000
# AUTHENTICATE of the default card (K 000102..0F, OP 0011..FF, Milenage): RAND 112233..FF00,
# SQN 000000000021, AMF 8000; AUTN and the answer (RES, CK, IK, Kc) computed with libeum-host
# (eum_host_aka_generate), the network side written independently of the card's Milenage.
AUTH_CMD="0088008122""10112233445566778899AABBCCDDEEFF00""1043547621F97C8000900C65C2454B544E"
AUTH_RSP="DB08340E59AC088B129410960D6686DE017BE47777ABF83356F3A010EF100A7AC253F683810A7AE516B6C376088F60BDE139B2BDB19000"

# 1. the default card
start_pcscd
start_eum default
client --atr "$ATR" --iccid 8988211000000000011 --imsi 001010123456789 --usim-aid "$USIM" --pin 1234 \
	--auth "$AUTH_CMD" "$AUTH_RSP" --reset-check >"$TMP/c1.out" 2>&1 || fail "default card: $(cat "$TMP/c1.out")"
cat "$TMP/c1.out"

# 2. pcscd restarts: eum vpcd reconnects by itself and the card is back in the reader
stop_pcscd
kill -0 "$EUM_PID" 2>/dev/null || fail "eum vpcd exited when pcscd stopped: $(cat "$TMP/default.err")"
start_pcscd
client --atr "$ATR" --iccid 8988211000000000011 --imsi 001010123456789 --usim-aid "$USIM" --pin 1234 \
	>"$TMP/c2.out" 2>&1 || fail "after pcscd restart: $(cat "$TMP/c2.out")"
grep -q "reconnecting" "$TMP/default.err" || fail "eum vpcd did not report the lost connection: $(cat "$TMP/default.err")"
echo "after a restart of pcscd:"
cat "$TMP/c2.out"
stop_eum
[ "$eum_rc" -eq 0 ] || fail "eum vpcd exit status $eum_rc after SIGTERM: $(cat "$TMP/default.err")"

# 3. cards made from the TS.48 packages
n=0
for json in "$DATA"/*.json; do
	name=$(basename "$json" .json)
	der="$DATA/$name.der"
	[ -f "$der" ] || continue
	n=$((n + 1))
	set -- $("$PY" - "$json" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
usim = next(n for n in s["naas"] if n.get("naa") == "usim")
pin = next(p for p in s["pins"] if p.get("key_reference") == "01")
print(s["iccid"], s["imsi"], usim["adf_aid"].upper(), pin["pin_ascii"])
PYEOF
)
	[ $# -eq 4 ] || { fail "$name: values missing in the summary"; continue; }
	start_eum "$name" --bootstrap-profile "$der"
	echo "$name:"
	# TS.48: PIN1's pinAttributes 06 = disabled, so EF.IMSI reads without VERIFY PIN ($4 unused)
	client --atr "$ATR" --iccid "$1" --imsi "$2" --usim-aid "$3" --pin-disabled >"$TMP/$name.out" 2>&1 ||
		fail "$name: $(cat "$TMP/$name.out")"
	cat "$TMP/$name.out"
	stop_eum
	[ "$eum_rc" -eq 0 ] || fail "$name: eum vpcd exit status $eum_rc: $(cat "$TMP/$name.err")"
done
[ "$n" -ge 3 ] || fail "only $n TS.48 packages found in $DATA"
stop_pcscd

if [ "$fails" -ne 0 ]; then
	echo "--- pcscd log" >&2
	tail -n 40 "$TMP/pcscd.log" >&2
	echo "$fails vpcd check(s) failed" >&2
	exit 1
fi
echo "eum vpcd: default card, pcscd restart and $n TS.48 cards read through PC/SC"
exit 0
