#!/bin/sh
# CLI test for `eum apdu` (examples/eum.c): runs the built binary on scripts and checks stdout,
# exit status and error messages. Expected R-APDUs follow ETSI TS 102 221 (see basic.script).
# Usage: test_cli.sh PATH/TO/eum
set -u
EUM=${1:?usage: test_cli.sh PATH/TO/eum}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/eum-cli.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
fails=0

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

# run NAME STDIN-FILE ARGS...: stdout -> $TMP/NAME.out, stderr -> $TMP/NAME.err, status -> $rc
run() {
	name=$1
	input=$2
	shift 2
	"$EUM" "$@" <"$input" >"$TMP/$name.out" 2>"$TMP/$name.err"
	rc=$?
}

# 1. a script file: exact stdout, exit status 0, nothing on stderr
run script /dev/null apdu "$HERE/basic.script"
[ "$rc" -eq 0 ] || fail "script: exit status $rc (stderr: $(cat "$TMP/script.err"))"
cmp -s "$TMP/script.out" "$HERE/basic.expected" || {
	fail "script: output differs from basic.expected"
	diff "$HERE/basic.expected" "$TMP/script.out" >&2
}
[ -s "$TMP/script.err" ] && fail "script: unexpected stderr: $(cat "$TMP/script.err")"

# 2. the same script on standard input, with and without "-"
run stdin "$HERE/basic.script" apdu
[ "$rc" -eq 0 ] || fail "stdin: exit status $rc"
cmp -s "$TMP/stdin.out" "$HERE/basic.expected" || fail "stdin: output differs from basic.expected"
run dash "$HERE/basic.script" apdu -
cmp -s "$TMP/dash.out" "$HERE/basic.expected" || fail "'-': output differs from basic.expected"
printf '00A4000C023F00\n' >"$TMP/one.in"
run one "$TMP/one.in" apdu
[ "$rc" -eq 0 ] && [ "$(cat "$TMP/one.out")" = "9000" ] || fail "echo | eum apdu: got '$(cat "$TMP/one.out")' rc $rc"

# 3. a malformed line: non-zero exit, the message names the line, earlier answers were printed
printf '00A4000C023F00\n# comment\n00A4 zz 3F00\n00B0000001\n' >"$TMP/bad.in"
run bad "$TMP/bad.in" apdu
[ "$rc" -ne 0 ] || fail "malformed line: exit status 0"
grep -q "line 3" "$TMP/bad.err" || fail "malformed line: stderr does not name line 3: $(cat "$TMP/bad.err")"
[ "$(cat "$TMP/bad.out")" = "9000" ] || fail "malformed line: stdout '$(cat "$TMP/bad.out")'"
# odd number of digits, and too short for an APDU
printf '00A4000C023F0\n' >"$TMP/odd.in"
run odd "$TMP/odd.in" apdu
[ "$rc" -ne 0 ] && grep -q "line 1" "$TMP/odd.err" || fail "odd hex: rc $rc, stderr $(cat "$TMP/odd.err")"
printf '\n\n00A400\n' >"$TMP/short.in"
run short "$TMP/short.in" apdu
[ "$rc" -ne 0 ] && grep -q "line 3" "$TMP/short.err" || fail "3-byte APDU: rc $rc, stderr $(cat "$TMP/short.err")"

# 4. usage errors
run noargs /dev/null
[ "$rc" -ne 0 ] || fail "no arguments: exit status 0"
run unknown /dev/null apdu --frobnicate
[ "$rc" -ne 0 ] && grep -q -- "--frobnicate" "$TMP/unknown.err" || fail "unknown option: rc $rc"
run missing /dev/null apdu "$TMP/does-not-exist.script"
[ "$rc" -ne 0 ] && grep -q "does-not-exist" "$TMP/missing.err" || fail "missing script: rc $rc"
run help /dev/null --help
[ "$rc" -eq 0 ] && grep -q "usage" "$TMP/help.out" || fail "--help: rc $rc"
# every command's --help: usage on stdout, exit 0, nothing on stderr; --version
for c in apdu info vpcd; do
	run "help_$c" /dev/null "$c" --help
	[ "$rc" -eq 0 ] && grep -q "^usage: eum $c" "$TMP/help_$c.out" && [ ! -s "$TMP/help_$c.err" ] ||
		fail "eum $c --help: rc $rc, stdout $(head -n 1 "$TMP/help_$c.out"), stderr $(cat "$TMP/help_$c.err")"
done
grep -q -- "--gsmtap" "$TMP/help_apdu.out" && grep -q -- "--port" "$TMP/help_vpcd.out" ||
	fail "apdu/vpcd --help do not list their options"
run version /dev/null --version
[ "$rc" -eq 0 ] && grep -Eq '^eum [0-9]+\.[0-9]+\.[0-9]+$' "$TMP/version.out" || fail "--version: rc $rc, $(cat "$TMP/version.out")"
# errors name what is wrong
run badcmd /dev/null frobnicate
[ "$rc" -eq 2 ] && grep -q "unknown command frobnicate" "$TMP/badcmd.err" || fail "unknown command: rc $rc"
run noval /dev/null apdu --state
[ "$rc" -eq 2 ] && grep -q -- "--state needs a value" "$TMP/noval.err" || fail "option without value: rc $rc"
run infonostate /dev/null info
[ "$rc" -eq 2 ] && grep -q -- "--state FILE is required" "$TMP/infonostate.err" || fail "info without --state: rc $rc"
run vpcdbad /dev/null vpcd --frobnicate
[ "$rc" -eq 2 ] && grep -q -- "--frobnicate" "$TMP/vpcdbad.err" || fail "vpcd unknown option: rc $rc"
# --pcap without Wireshark: pcap header (link type 101, raw IP), then per APDU an IPv4/UDP datagram to
# port 4729 holding GSMTAP v2 type 4 (SIM) sub-type 0 and CLA INS P1 P2 P3 data SW (test_trace_tshark.sh
# has Wireshark decode it)
printf '00A40004023F00\n' >"$TMP/mf.in"
run pcap "$TMP/mf.in" apdu --pcap "$TMP/mf.pcap"
hex=$(od -An -v -tx1 "$TMP/mf.pcap" | tr -d ' \n')
case "$hex" in
d4c3b2a1020004000000000000000000ffff000065000000* | a1b2c3d40002000400000000000000000000ffff00000065*) ;;
*) fail "--pcap: not a pcap file of link type 101: $(echo "$hex" | cut -c1-48)" ;;
esac
# record 1 = the ATR (sub-type 1), record 2 = SELECT MF: 16-byte record header, 20-byte IPv4, 8-byte UDP
atr_rec=$((24 + 16 + 28 + 16 + 22))
rec2=$(echo "$hex" | cut -c$((2 * atr_rec + 1))-)
case "$rec2" in
????????????????????????????????450000350000000040117cb67f0000017f00000112791279002100000204040000000000000000000000000000a40004023f006126)
	;;
*) fail "--pcap: SELECT MF record is $rec2" ;;
esac
run badpcap /dev/null apdu --pcap "$TMP/no-such-dir/x.pcap"
[ "$rc" -eq 2 ] && grep -q "no-such-dir/x.pcap" "$TMP/badpcap.err" || fail "--pcap into a missing directory: rc $rc"

# 5. --config: a malformed configuration names its line
printf 'clock_fixed = 1;\nlog_level = "shout";\n' >"$TMP/bad.conf"
run badconf "$TMP/one.in" apdu --config "$TMP/bad.conf"
[ "$rc" -ne 0 ] && grep -q "line 2" "$TMP/badconf.err" || fail "bad config: rc $rc, stderr $(cat "$TMP/badconf.err")"
[ -s "$TMP/badconf.out" ] && fail "bad config: answered anyway"
printf 'clock_fixed = 1;\n\nlog_level = ;\n' >"$TMP/syntax.conf"
run syntaxconf "$TMP/one.in" apdu --config "$TMP/syntax.conf"
[ "$rc" -ne 0 ] && grep -q "syntax.conf:3" "$TMP/syntaxconf.err" || fail "config syntax error: rc $rc, stderr $(cat "$TMP/syntaxconf.err")"
run goodconf "$TMP/one.in" apdu --config "$HERE/../../examples/eum.conf"
[ "$rc" -eq 0 ] && [ "$(cat "$TMP/goodconf.out")" = "9000" ] || fail "examples/eum.conf: rc $rc"

# 6. --state: the PIN retry counter is non-volatile (TS 102 221 §9.5); a damaged file is refused
printf '002000010830303030FFFFFFFF\n' >"$TMP/wrongpin.in"
printf '00200001\n' >"$TMP/query.in"
run state1 "$TMP/wrongpin.in" apdu --state "$TMP/card.state"
[ "$rc" -eq 0 ] && [ "$(cat "$TMP/state1.out")" = "63C2" ] || fail "--state first run: rc $rc out $(cat "$TMP/state1.out")"
[ -s "$TMP/card.state" ] || fail "--state: no state file written"
run state2 "$TMP/query.in" apdu --state "$TMP/card.state"
[ "$rc" -eq 0 ] && [ "$(cat "$TMP/state2.out")" = "63C2" ] || fail "--state second run: out $(cat "$TMP/state2.out")"
run nostate "$TMP/query.in" apdu
[ "$(cat "$TMP/nostate.out")" = "63C3" ] || fail "without --state: out $(cat "$TMP/nostate.out")"
printf 'this is not a card\n' >"$TMP/junk.state"
run junk "$TMP/query.in" apdu --state "$TMP/junk.state"
[ "$rc" -ne 0 ] && grep -q "junk.state" "$TMP/junk.err" || fail "damaged state: rc $rc, stderr $(cat "$TMP/junk.err")"
# the library's reason comes with it (its log line, then the tool's line naming the file)
[ "$(grep -c "^eum apdu: " "$TMP/junk.err")" -ge 2 ] || fail "damaged state: no reason from the library: $(cat "$TMP/junk.err")"
run infojunk /dev/null info --state "$TMP/junk.state"
[ "$rc" -eq 1 ] && grep -q "junk.state: .*refused" "$TMP/infojunk.err" || fail "eum info on a damaged state: rc $rc, $(cat "$TMP/infojunk.err")"
[ -s "$TMP/junk.out" ] && fail "damaged state: answered anyway"
# --bootstrap-profile: a missing or broken package is a clear error naming it, not a crash
run boot "$TMP/query.in" apdu --bootstrap-profile "$TMP/none.der"
[ "$rc" -ne 0 ] && grep -q "none.der" "$TMP/boot.err" || fail "--bootstrap-profile missing file: rc $rc"
printf '\x30\x03\x02\x01' > "$TMP/bad.der"
run badprof "$TMP/query.in" apdu --bootstrap-profile "$TMP/bad.der"
[ "$rc" -ne 0 ] && grep -q "refused" "$TMP/badprof.err" || fail "--bootstrap-profile bad package: rc $rc"
[ "$(grep -c "^eum apdu: " "$TMP/badprof.err")" -ge 2 ] && grep -q "bad.der: cannot create the card" "$TMP/badprof.err" ||
	fail "--bootstrap-profile bad package: no reason from the library: $(cat "$TMP/badprof.err")"

if [ "$fails" -ne 0 ]; then
	echo "$fails CLI check(s) failed" >&2
	exit 1
fi
echo "CLI: all checks passed"
exit 0
