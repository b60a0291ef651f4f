#!/bin/sh
# CLI test: `eum apdu --bootstrap-profile` with each GSMA TS.48 profile of tests/data/ts48. A modem's
# first APDUs (ETSI TS 102 221: SELECT MF / EF.ICCID, READ BINARY; SELECT ADF.USIM by AID, PIN1
# status and VERIFY, READ EF.IMSI) are sent through the tool; the ICCID, IMSI and PIN status it prints
# are compared with the values in the profile's pySim summary (.json).
# Usage: test_ts48_cli.sh PATH/TO/eum
set -u
EUM=${1:?usage: test_ts48_cli.sh PATH/TO/eum}
HERE=$(cd "$(dirname "$0")" && pwd)
DATA="$HERE/../data/ts48"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/eum-ts48.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
fails=0

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

# top-level string member of a summary ("key": "value" on its own line, indent 1)
top() {
	sed -n "s/^ \"$2\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p" "$1" | head -n 1
}

# digits of a BCD nibble-swapped string, F filler removed (TS 102 221 §13.2)
unswap() {
	echo "$1" | sed 's/\(.\)\(.\)/\2\1/g' | tr -d 'Ff'
}

upper() {
	echo "$1" | tr 'abcdef' 'ABCDEF'
}

n=0
for json in "$DATA"/*.json; do
	name=$(basename "$json" .json)
	der="$DATA/$name.der"
	[ -f "$der" ] || continue
	n=$((n + 1))
	iccid=$(top "$json" iccid)
	ef_iccid=$(upper "$(top "$json" ef_iccid_content)")
	imsi=$(top "$json" imsi)
	ef_imsi=$(upper "$(top "$json" ef_imsi_content)")
	# the USIM's AID (entry "naa": "usim" of "naas"), PIN1 (key reference 01 of "pins") and its tries
	aid=$(upper "$(awk '/"naa": "usim"/ { u = 1 } u && /"adf_aid"/ { gsub(/[",]/, "", $2); print $2; exit }' "$json")")
	pin=$(awk '/^ "pins"/ { p = 1 } p && /"key_reference": "01"/ { k = 1 } k && /"pin_ascii"/ { gsub(/[",]/, "", $2); print $2; exit }' "$json")
	tries=$(awk '/^ "pins"/ { p = 1 } p && /"key_reference": "01"/ { k = 1 } k && /"retries_left"/ { gsub(/[",]/, "", $2); print $2; exit }' "$json")
	[ -n "$iccid" ] && [ -n "$imsi" ] && [ -n "$aid" ] && [ -n "$pin" ] && [ -n "$tries" ] ||
		{ fail "$name: values missing in the summary"; continue; }
	pinhex=$(printf '%s' "$pin" | od -An -tx1 | tr -d ' \n')
	while [ ${#pinhex} -lt 16 ]; do pinhex="${pinhex}FF"; done
	aidlen=$(printf '%02X' $((${#aid} / 2)))

	cat >"$TMP/$name.script" <<EOF
00A40004023F00
00A40004022FE2
00B000000A
00A40404${aidlen}${aid}
00200001
00A40004026F07
00B0000009
0020000108${pinhex}
EOF
	"$EUM" apdu --bootstrap-profile "$der" "$TMP/$name.script" >"$TMP/$name.out" 2>"$TMP/$name.err"
	rc=$?
	[ "$rc" -eq 0 ] || { fail "$name: exit status $rc ($(cat "$TMP/$name.err"))"; continue; }
	line() { sed -n "${1}p" "$TMP/$name.out"; }
	got_iccid=$(line 3)
	[ "$got_iccid" = "${ef_iccid}9000" ] || fail "$name: EF.ICCID $got_iccid, expected ${ef_iccid}9000"
	[ "$(unswap "${got_iccid%9000}")" = "$iccid" ] || fail "$name: ICCID digits $(unswap "${got_iccid%9000}") != $iccid"
	case "$(line 4)" in 61??|9000) ;; *) fail "$name: SELECT ADF.USIM answered $(line 4)" ;; esac
	# PIN1 is disabled in the TS.48 packages (pinAttributes 06): no VERIFY before EF.IMSI,
	# as pySim-shell reads it; VERIFY with the value still succeeds
	[ "$(line 5)" = "9000" ] || fail "$name: PIN1 status $(line 5), expected 9000 (PIN1 disabled)"
	got_imsi=$(line 7)
	[ "$got_imsi" = "${ef_imsi}9000" ] || fail "$name: EF.IMSI without VERIFY $got_imsi, expected ${ef_imsi}9000"
	[ "$(line 8)" = "9000" ] || fail "$name: VERIFY PIN1 answered $(line 8)"
	# drop the length byte and the parity nibble
	digits=$(unswap "$(echo "${got_imsi%9000}" | cut -c3-)" | cut -c2-)
	[ "$digits" = "$imsi" ] || fail "$name: IMSI digits $digits != $imsi"
done
[ "$n" -ge 3 ] || fail "only $n TS.48 profiles found in $DATA"

if [ "$fails" -ne 0 ]; then
	echo "$fails TS.48 CLI check(s) failed" >&2
	exit 1
fi
echo "TS.48 CLI: $n profiles checked"
exit 0
