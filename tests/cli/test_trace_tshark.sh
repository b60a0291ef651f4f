#!/bin/sh
# Traces (eum apdu --pcap / --gsmtap, examples/eum_trace.c) decoded by Wireshark's own dissectors:
# a modem's power-up dialogue (modem_boot.apdu) and an OTA provisioning transcript
# (tests/transcripts/ota_rfm_read_imsi.apdu: TERMINAL PROFILE, ENVELOPE SMS-PP, FETCH, TERMINAL
# RESPONSE) are run through `eum apdu --pcap`; tshark (Debian package tshark) must read the file
# as GSMTAP type SIM and name every instruction, channel, file and status word as listed below.
# The same run with --gsmtap to a local UDP port must send exactly the GSMTAP messages of the file.
# Exit 77 (ctest SKIP_RETURN_CODE) when tshark is not installed.
# Usage: test_trace_tshark.sh PATH/TO/eum
set -u
EUM=${1:?usage: test_trace_tshark.sh PATH/TO/eum}
HERE=$(cd "$(dirname "$0")" && pwd)
command -v tshark >/dev/null 2>&1 || { echo "SKIP: tshark is not installed (Debian package tshark)"; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/eum-trace.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
fails=0
fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

cat "$HERE/modem_boot.apdu" "$HERE/../transcripts/ota_rfm_read_imsi.apdu" >"$TMP/trace.apdu"
"$EUM" apdu --pcap "$TMP/trace.pcap" "$TMP/trace.apdu" >"$TMP/apdu.out" 2>"$TMP/apdu.err" ||
	fail "eum apdu --pcap: $(cat "$TMP/apdu.err")"

# frame | INS | logical channel | file ID | SW | text of Wireshark's summary (Info column), as
# Wireshark 4.0 (Debian 12) prints them
cat >"$TMP/expected" <<'EOT'
2|0xa4|0|0x3f00|0x6126|SELECT File MF
3|0xc0|0||0x9000|GET RESPONSE
4|0xa4|0|0x2fe2|0x9000|SELECT File EF.ICCID
5|0xb0|0||0x9000|READ BINARY Offset=0
6|0xa4|0||0x6136|SELECT Application a0000000871002ffffffff8907090000
7|0xc0|0||0x9000|GET RESPONSE
8|0x20|0||0x63c3|VERIFY CHV CHV=1
9|0x20|0||0x9000|VERIFY CHV CHV=1
10|0xa4|0|0x6f07|0x9000|SELECT File EF.IMSI
11|0xb0|0||0x9000|READ BINARY Offset=0
12|0x88|0||0x6135|AUTHENTICATE
13|0xc0|0||0x9000|GET RESPONSE
14|0xf2|0||0x6c36|STATUS
15|0x70|0||0x9000|MANAGE CHANNEL Operation=Open Channel
16|0xa4|1|0x2fe2|0x9000|SELECT File EF.ICCID
17|0x70|0||0x9000|MANAGE CHANNEL Operation=Close Channel (channel: 1)
18|0x10|0||0x9000|TERMINAL PROFILE
19|0xc2|0||0x9141|ENVELOPE GSM/3GPP/3GPP2 - SMS-PP Download
20|0x12|0||0x9000|FETCH Proactive Command SEND SHORT MESSAGE
21|0x14|0||0x9000|TERMINAL RESPONSE SEND SHORT MESSAGE
EOT

tshark -r "$TMP/trace.pcap" -T fields -E separator='|' -e frame.number -e gsm_sim.apdu.ins \
	-e gsm_sim.apdu.cla.log_chan -e gsm_sim.file_id -e gsm_sim.apdu.sw -e udp.dstport -e udp.payload \
	-e frame.protocols -e _ws.col.Info >"$TMP/fields" 2>"$TMP/tshark.err" ||
	fail "tshark cannot read the capture: $(cat "$TMP/tshark.err")"
frames=$(wc -l <"$TMP/fields")
[ "$frames" -eq 21 ] || fail "$frames frames in the capture, expected 21 (the ATR and 20 APDUs)"

# frame 1: the ATR, GSMTAP v2 header (16 bytes), type 4 (SIM), sub-type 1 (ATR), to UDP port 4729
atr=$(sed -n 1p "$TMP/fields" | cut -d'|' -f6,7)
[ "$atr" = "4729|020404000000000000000000010000003b9f96801fc78031e073fe211f6765756d20302e31a6" ] ||
	fail "frame 1 is not the GSMTAP ATR message: $atr"

while IFS='|' read -r frame ins chan fid sw info; do
	line=$(sed -n "${frame}p" "$TMP/fields")
	got=$(echo "$line" | cut -d'|' -f2-5)
	proto=$(echo "$line" | cut -d'|' -f8)
	text=$(echo "$line" | cut -d'|' -f9-)
	payload=$(echo "$line" | cut -d'|' -f7)
	[ "$got" = "$ins|$chan|$fid|$sw" ] || fail "frame $frame: INS|channel|file|SW $got, expected $ins|$chan|$fid|$sw"
	case "$proto" in
	*:udp:gsmtap:gsm_sim*) ;; # GSM SIM in GSMTAP (the SMS-PP frames carry CAT and GSM SMS on top)
	*) fail "frame $frame: protocols '$proto', expected GSM SIM in GSMTAP over UDP" ;;
	esac
	case "$text" in
	*"$info"*) ;;
	*) fail "frame $frame: '$text' does not name '$info'" ;;
	esac
	case "$text" in *Malformed*) fail "frame $frame: $text" ;; esac
	case "$payload" in 02040400000000000000000000000000*) ;; *) fail "frame $frame: GSMTAP header of $payload" ;; esac
done <"$TMP/expected"

# --gsmtap: the same messages over UDP, byte for byte (a local listener; python3 when present)
PY=$(command -v python3 || true)
if [ -n "$PY" ]; then
	"$PY" - "$EUM" "$TMP/trace.apdu" "$TMP/fields" <<'PYEOF' || fail "--gsmtap: the UDP messages differ from the capture"
import socket, subprocess, sys
eum, script, fields = sys.argv[1:4]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
s.settimeout(10)
port = s.getsockname()[1]
subprocess.run([eum, "apdu", "--gsmtap", "127.0.0.1:%d" % port, script], check=True, stdout=subprocess.DEVNULL)
want = [l.split("|")[6] for l in open(fields).read().splitlines()]
got = [s.recv(2048).hex() for _ in want]
bad = [i + 1 for i, (g, w) in enumerate(zip(got, want)) if g != w]
if bad:
    print("messages differing from the capture:", bad)
    sys.exit(1)
print("--gsmtap: %d UDP messages equal to the capture's" % len(got))
PYEOF
else
	echo "note: no python3, --gsmtap over UDP not checked"
fi

if [ "$fails" -ne 0 ]; then
	cat "$TMP/fields" >&2
	echo "$fails trace check(s) failed" >&2
	exit 1
fi
echo "trace: $frames GSMTAP frames decoded by $(tshark -v 2>/dev/null | head -n 1)"
exit 0
