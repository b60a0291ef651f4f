#!/usr/bin/env bash
# Write the seeds that need a card run (state images, the SM-DP's signed 3A02) with the replay
# binaries of a build: tests/fuzz/gen_card_seeds.sh [BUILD_DIR]   (default: build)
# Run it after tests/fuzz/gen_seeds.py, and again whenever the state image format changes (a field
# added to a persistent table included): test_store_image fails while the regression seeds are stale.
set -euo pipefail
cd "$(dirname "$0")/../.."
b=${1:-build}/tests
c=tests/fuzz/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p $c/image $c/image_crc
find $c/image $c/image_crc -type f ! -name "regress-*" -delete
printf '\x05\x80\xf2\x00\x00\x00' >"$tmp/status"
EUM_FUZZ_SAVE_FINAL=$c/image/fresh "$b/fuzz_apdu_replay" "$tmp/status" >/dev/null
# the regression seeds the loader's refusals are kept for, made from the fresh image so that they
# follow the format (fuzz_image.c checks each is refused for its reason, not an earlier one)
EUM_FUZZ_SAVE_NO_ENABLED=$c/image/regress-no-enabled-profile EUM_FUZZ_SAVE_NO_SECTIONS=$c/image/regress-no-sections \
	"$b/fuzz_image_replay" $c/image/fresh >/dev/null
EUM_FUZZ_SAVE_FINAL=$c/image/after-pin "$b/fuzz_apdu_replay" $c/apdu/pin >/dev/null
EUM_FUZZ_SAVE_FINAL=$c/image/es5-enable-flow "$b/fuzz_apdu_replay" $c/apdu/enable_flow >/dev/null
EUM_FUZZ_SAVE_IMAGE=$c/image/isdp-created "$b/fuzz_es8_replay" $c/es8/signed-default-crt >/dev/null
EUM_FUZZ_SAVE_IMAGE=$c/image/isdp-keys "$b/fuzz_scp03t_replay" $c/scp03t/raw-empty-86 >/dev/null
EUM_FUZZ_SAVE_FINAL=$c/image/two-profiles "$b/fuzz_scp03t_replay" $c/scp03t/TS48V1-A-UNIQUE >/dev/null
EUM_FUZZ_SAVE_3A02=$c/es8/step2-honest "$b/fuzz_es8_replay" $c/es8/signed-default-crt >/dev/null
EUM_FUZZ_SAVE_3A02=$c/es8/step2-honest-via-isdr "$b/fuzz_es8_replay" $c/es8/signed-via-isdr >/dev/null
# a state file with journal records after its base image (PIN tries, UPDATE BINARY, INCREASE)
printf '0020000108 31313131FFFFFFFF\n0020000108 31323334FFFFFFFF\n00A4040410 A0000000871002FFFFFFFF8907090000\n00A4000C02 6F7E\n00D6000004 01020304\n00A4000C02 6F39\n8032000003 000010\n' |
	"$b/../examples/eum" apdu --state "$tmp/journal.state" - >/dev/null
cp "$tmp/journal.state" $c/image/with-journal
cp $c/image/* $c/image_crc/
ls -l $c/image
