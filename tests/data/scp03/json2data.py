#!/usr/bin/env python3
"""Convert scp03.json (a copy of /work/shared/vectors/scp03.json) into scp03.data,
the one-record-per-line form read by tests/unit/test_scp03.c and test_host_scp03.c.

Usage: python3 json2data.py scp03.json > scp03.data
Only reformats: every hex value is copied unchanged; nothing is computed.
Record kinds (fields space-separated, '-' = absent):
  session <name> <origin: vector|pysim>   starts a session block, closed by 'end'
  <field> <hex>                           kvn key_enc key_mac key_dek sd_aid host_challenge card_challenge
                                          sequence_counter s_enc s_mac s_rmac card_cryptogram host_cryptogram
                                          iu_cmd iu_rsp sl ea_cmd  (i_param / div_data only when given)
  step <plain_cmd> <wrapped_cmd> <plain_rsp_data> <sw> <wrapped_rsp_data>
  negative <name> <session> <steps run before> <cmd> <expected_sw>
"""
import json
import re
import sys

FIELDS = [
    ("kvn", "kvn"), ("key_enc", "key_enc"), ("key_mac", "key_mac"), ("key_dek", "key_dek"),
    ("i_param", "i_param"), ("div_data", "key_diversification_data"), ("sd_aid", "sd_aid"),
    ("host_challenge", "host_challenge"), ("card_challenge", "card_challenge"),
    ("sequence_counter", "sequence_counter"), ("card_cryptogram", "card_cryptogram"),
    ("host_cryptogram", "host_cryptogram"), ("iu_cmd", "initialize_update_cmd"),
    ("iu_rsp", "initialize_update_rsp"), ("sl", "security_level"), ("ea_cmd", "external_authenticate_cmd"),
]


def val(v):
    return v if v not in (None, "") else "-"


def emit_session(out, s, origin):
    out.append("session %s %s" % (s["name"], origin))
    for short, key in FIELDS:
        if key in s:
            out.append("%s %s" % (short, s[key]))
    for k in ("s_enc", "s_mac", "s_rmac"):
        out.append("%s %s" % (k, s["session_keys"][k]))
    for st in s["steps"]:
        out.append("step %s %s %s %s %s" % (st["plain_cmd"], st["wrapped_cmd"], val(st.get("plain_rsp_data")),
                                            val(st.get("sw")), val(st.get("wrapped_rsp_data"))))
    out.append("end")


def steps_before(pre):
    if pre == "INITIALIZE UPDATE of that session done":
        return -1  # EXTERNAL AUTHENTICATE not sent
    m = re.fullmatch(r"session established, steps 0\.\.(\d+) executed", pre)
    if not m:
        raise SystemExit("unknown precondition: " + pre)
    return int(m.group(1)) + 1


def main():
    d = json.load(open(sys.argv[1]))
    out = ["# Generated from scp03.json by json2data.py; do not edit by hand."]
    for s in d["sessions"]:
        emit_session(out, s, "vector")
    for s in d["pysim_unit_test_vectors"]:
        emit_session(out, s, "pysim")
    for n in d["negative"]:
        out.append("negative %s %s %d %s %s" % (n["name"], n["session"], steps_before(n["precondition"]), n["cmd"],
                                                n["expected_sw"]))
    print("\n".join(out))


main()
