#!/bin/sh
# CI: prove that asn1/generated/ is exactly what asn1/regenerate.sh produces from
# asn1/PE_Definitions-3.3.1.asn (STYLE.md rule 10: generated code stays generated).
# Exit 0 when identical, 1 on any difference (diff is printed), 2 when asn1c is missing or
# has the wrong version (regenerate.sh explains).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/eum-check-asn1.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

"$root/asn1/regenerate.sh" "$tmp/generated"
if diff -r "$root/asn1/generated" "$tmp/generated"; then
	echo "check-asn1: asn1/generated is reproducible"
else
	echo "check-asn1: asn1/generated differs from a fresh regeneration (run asn1/regenerate.sh)" >&2
	exit 1
fi
