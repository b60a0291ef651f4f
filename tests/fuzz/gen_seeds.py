#!/usr/bin/env python3
"""Build the committed seed corpora of tests/fuzz/corpus/ from files already in the tree.

  apdu          one stream per APDU transcript (tests/transcripts/**/*.apdu): `L || C-APDU`
                records, `00` for "reset", `FF` for "cold" (fuzz_apdu.c)
  envelope_raw  the SMS-PP ENVELOPEs of the transcripts, one file per transcript, as
                `L || ENVELOPE data` records (fuzz_envelope.c, FUZZ_ENVELOPE_RAW)
  profile       the TS.48 packages and the bootstrap package, whole (mode 00) and in
                SCP03t-sized chunks (mode 0x7F: 64-byte chunks) (fuzz_profile.c)
  config        examples/eum.conf
  http          SM-SR responses of spec digest scp81-https.md §4.2/§6, triggers of §1.3, AIDs
                (fuzz_http.c; hand-written, http_seeds())

Seeds made by driving a card (images, SCP80/ES8/SCP03 scripts) are written by the targets'
own generators; see tests/fuzz/README.md. Run from the repository root:
  tests/fuzz/gen_seeds.py
"""
import glob
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def transcript_apdus(path):
    """C-APDUs of a transcript; None for a warm reset, b'cold' for a cold one."""
    out = []
    for line in open(path):
        line = line.strip()
        if line.startswith(">"):
            out.append(bytes.fromhex(line[1:].replace(" ", "")))
        elif line == "reset":
            out.append(None)
        elif line == "cold":
            out.append(b"cold")
    return out


def main():
    for p in sorted(glob.glob(os.path.join(ROOT, "tests", "transcripts", "**", "*.apdu"), recursive=True)):
        name = os.path.splitext(os.path.basename(p))[0]
        stream, envs = bytearray(), bytearray()
        for a in transcript_apdus(p):
            if a is None:
                stream += b"\x00"
            elif a == b"cold":
                stream += b"\xff"
            elif 0 < len(a) < 255:
                stream += bytes([len(a)]) + a
                if len(a) > 5 and a[1] == 0xC2 and a[5] == 0xD1:
                    body = a[5:5 + a[4]]
                    envs += bytes([len(body)]) + body
        put("apdu", name, bytes(stream))
        if envs:
            put("envelope_raw", name, bytes(envs))
    ders = sorted(glob.glob(os.path.join(ROOT, "tests", "data", "ts48", "*.der")))
    ders.append(os.path.join(ROOT, "examples", "profiles", "bootstrap.der"))
    for p in ders:
        name = os.path.splitext(os.path.basename(p))[0]
        der = open(p, "rb").read()
        put("profile", name, b"\x00" + der)
        put("profile", name + "-chunked", b"\x7f" + der)
    put("config", "eum.conf", open(os.path.join(ROOT, "examples", "eum.conf"), "rb").read())
    scripted_seeds(ders)
    bip_seeds()


def rec(*apdus):
    """`L || APDU` records from hex strings ('' = an empty record)."""
    out = bytearray()
    for a in apdus:
        b = bytes.fromhex(a.replace(" ", ""))
        out += bytes([len(b)]) + b
    return bytes(out)


def expanded(*apdus):
    """An expanded remote script, indefinite length (TS 102 226 §5.2): AE 80 {22 L C-APDU} 00 00."""
    out = bytearray(b"\xae\x80")
    for a in apdus:
        b = bytes.fromhex(a.replace(" ", ""))
        out += b"\x22" + bytes([len(b)]) + b
    return bytes(out + b"\x00\x00")


def dgi(tag, value):
    n = len(value)
    return bytes.fromhex(tag) + (bytes([n]) if n < 0xFF else b"\xff" + n.to_bytes(2, "big")) + value


def scripted_seeds(ders):
    # fuzz_envelope: selector, counter, secured data (see fuzz_envelope.c)
    rfm_read = bytes.fromhex("00A40004023F00" "00A40004022FE2" "00B000000A")
    usim_read = bytes.fromhex("00A4040410A0000000871002FFFFFFFF8907090000" "00A40004026F07" "00B0000009")
    isdr_status = bytes.fromhex("80F24002024F0000")
    create_isdp = ("80E60C003F10A0000005591010FFFFFFFF8900000D0010A0000005591010FFFFFFFF8900000E00"
                   "10A0000005591010FFFFFFFF8900003000" "0380C00006C904810203700000")
    for i in range(5):
        put("envelope", "rfm-keyset%d" % i, bytes([0x08 | i, 0]) + rfm_read)
    put("envelope", "rfm-usim-expanded", bytes([0x0A, 0]) + expanded(
        "00A4040410A0000000871002FFFFFFFF8907090000", "00A40004026F07", "00B0000009"))
    put("envelope", "rfm-usim-compact", bytes([0x28, 0]) + usim_read)
    put("envelope", "isdr-get-status", bytes([0x02, 0]) + isdr_status)
    put("envelope", "isdr-create-isdp", bytes([0x02, 5]) + expanded(create_isdp, "80F24002024F0000"))
    put("envelope", "isdr-por-submit", bytes([0x00, 1]) + expanded("80F24002024F0000"))
    put("envelope", "other-tar", bytes([0x1A, 0, 0xB0, 0x00, 0x20]) + rfm_read)
    put("envelope", "no-security", bytes([0xC8, 0]) + rfm_read)
    # fuzz_es8 (mode in byte 0, see fuzz_es8.c); mode 0 is written by the target itself
    cert = open(os.path.join(ROOT, "tests", "data", "pki", "p256", "smdp.cert"), "rb").read()
    put("es8", "step1-cert", b"\x01" + dgi("3A01", cert))
    put("es8", "step1-cert-via-isdr", b"\x05" + dgi("3A01", cert))
    put("es8", "signed-default-crt", bytes.fromhex("03 09 10 01 30 FF 01 00 00 00"))
    put("es8", "signed-njiwa-epk", bytes.fromhex("03 09 10 01 30 FF 03 00 00 00"))
    put("es8", "signed-dr-sdin", bytes.fromhex("03 0F 10 01 30 FF 01 02 0001 04 11223344 04 55667788"))
    put("es8", "signed-via-isdr", bytes.fromhex("07 09 10 01 30 FF 01 00 00 00"))
    put("es8", "script-expanded", b"\x02" + expanded("80CA00E000", "80F24002024F0000"))
    # fuzz_scp03t: the packages behind a valid session, and raw scripts
    for p in ders:
        name = os.path.splitext(os.path.basename(p))[0]
        put("scp03t", name, b"\x00\xef" + open(p, "rb").read())
    put("scp03t", "raw-empty-86", b"\x01" + bytes.fromhex("AE80 8600 0000"))
    put("scp03t", "raw-second-84", b"\x01" + bytes.fromhex("AE80 840A3000C1C2C3C4C5C6C7C8 0000"))
    # fuzz_scp03: selector, then `L || plain C-APDU` records (see fuzz_scp03.c)
    put("scp03", "mnosd-sl01", b"\x00" + rec("80CA00E000", "80CA006600", "00A40004023F00"))
    put("scp03", "mnosd-sl33", b"\x08" + rec("80CA00E000", "80CA00E000"))
    put("scp03", "mnosd-clear-cmd", b"\x02" + rec("80CA00E000", "") + rec("80CA00E000"))
    put("scp03", "isdr-sl01", b"\x01" + rec("80CA005A00", "80F24002024F0000", "80F28002024F0000"))
    put("scp03", "isdr-sl33-ch1", b"\x19" + rec("80CA00E000", "80F24002024F0000"))
    http_seeds()


def http_seeds():
    """fuzz_http: mode byte (mode % 3: 0 response, 1 trigger / admin parameters, 2 AID; see fuzz_http.c)."""
    ap = "X-Admin-Protocol: globalplatform-remote-admin/1.0\r\n"
    ct = "Content-Type: application/vnd.globalplatform.card-content-mgt;version=1.0\r\n"
    enable = bytes.fromhex("AE80221A80E28800153A03124F10A0000005591010FFFFFFFF89000010000000")
    chunked = ("HTTP/1.1 200 OK\r\n" + ap + "X-Admin-Next-URI: /adm?cmd=2\r\n" + ct +
               "Transfer-Encoding: chunked\r\n\r\n20\r\n").encode() + enable + b"\r\n0\r\n\r\n"
    put("http", "rsp-200-chunked", b"\x09" + chunked)
    put("http", "rsp-200-chunked-then-204", b"\x36" + chunked +
        ("HTTP/1.1 204 No Content\r\n" + ap + "\r\n").encode())
    put("http", "rsp-204-next", b"\x00" + ("HTTP/1.1 204 No Content\r\n" + ap +
                                            "X-Admin-Next-URI: /adm?cmd=3\r\n\r\n").encode())
    put("http", "rsp-204-final", b"\x06" + ("HTTP/1.1 204 No Content\r\n" + ap +
                                             "Connection: close\r\n\r\n").encode())
    put("http", "rsp-200-length-target", b"\x36" + (
        "HTTP/1.1 200 OK\r\nx-admin-protocol:globalplatform-remote-admin/1.0  \r\n"
        "X-Admin-Next-URI: /n\r\n" + ct +
        "X-Admin-Targeted-Application: //aid/A000000559/1010FFFFFFFF8900001000\r\n"
        "Content-Length: 32\r\n\r\n").encode() + enable)
    put("http", "rsp-etsi-chunk-ext", b"\x09" + (
        "HTTP/1.0 200 OK\n" + ap + "X-Admin-Next-URI: /x\r\n"
        "Content-Type: application/vnd.etsi.scp.command-data;version=1.0\r\n"
        "Transfer-Encoding: chunked\r\n\r\n0a;name=value\r\n").encode() + enable[:10] +
        b"\r\n00000016 ; ext\r\n" + enable[10:] + b"\n0\r\n")
    put("http", "rsp-100-continue", b"\x06" + ("\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n" +
                                                ap + "\r\n").encode())
    put("http", "rsp-500", b"\x00HTTP/1.1 500 Internal Server Error\r\n\r\njunk")
    minimal = bytes.fromhex("832D8413350103390204003C03021F903E0521C0A8010189168A0831302E302E302E31"
                            "8C0A2F61646D3F636D643D31")
    put("http", "trigger-minimal", b"\x01" + minimal)
    put("http", "trigger-whty", b"\x01" + bytes.fromhex(
        "8322" "8413350103390205003C03021F913E05217F000001" "890B8A093132372E302E302E31"))
    ident = ("800102811089049032123451234512345678901235"
             "4F10A0000005591010FFFFFFFF8900000100820101830140").encode()
    frm = b"//se-id/eid/89049032123451234512345678901235;//aa-id/aid/A000000559/1010FFFFFFFF8900000100"
    uri = b"/smsr/http/1234"
    c83 = (bytes.fromhex("840735010339020400") + b"\x85" + bytes([len(ident) + 4, len(ident)]) + ident +
           bytes.fromhex("024001" "86090003A50300001E8700") +
           b"\x89" + bytes([4 + len(frm) + len(uri)]) + b"\x8b" + bytes([len(frm)]) + frm +
           b"\x8c" + bytes([len(uri)]) + uri)
    put("http", "trigger-njiwa", b"\x01\x83\x81" + bytes([len(c83)]) + c83 +
        bytes.fromhex("B308D603616263FA0135" "8203616263"))
    put("http", "trigger-defaults-81-00", b"\x01")
    put("http", "admin-defaults-83", b"\x82" + minimal[2:])
    put("http", "aid-isdp", b"\x02//aid/A000000559/1010FFFFFFFF8900001000")
    put("http", "aid-rid-only", b"\x02//aid/A000000559")


def bip_op(op, hexdata=""):
    """One record of fuzz_bip.c: op, L, data."""
    b = bytes.fromhex(hexdata.replace(" ", ""))
    return bytes([op, len(b)]) + b


def bip_seeds():
    """fuzz_bip (fuzz_bip.c): flags byte (b1 honest OPEN CHANNEL response, b2 echo, b3 close on
    data), then `op || L || data` records; op 0 = TERMINAL RESPONSE after the fetched command's
    details, 2/3 = data available / channel status event data, 5 = user or terminal action."""
    ok = "830100"
    data32 = bytes(range(32)).hex()
    data200 = bytes((i * 7) & 0xFF for i in range(200)).hex()
    avail = lambda n: "B80281 00 B701" + n
    put("bip", "receive-echo-close", bytes([0x03]) + bip_op(0, ok + "B701FF") + bip_op(2, avail("20")) +
        bip_op(0, ok + "B620" + data32 + "B70100") + bip_op(0, ok + "B701FF") + bip_op(5, "02") +
        bip_op(0, ok))
    put("bip", "close-on-data", bytes([0x05]) + bip_op(2, avail("08")) + bip_op(0, ok + "B608 0102030405060708 B70100") +
        bip_op(0, ok))
    put("bip", "receive-ber-length", bytes([0x01]) + bip_op(2, avail("FF")) +
        bip_op(0, ok + "B681C8" + data200 + "B70110") + bip_op(0, "830102 3610" + data32[:32] + "370100") +
        bip_op(5, "01"))
    put("bip", "open-refused", bytes([0x00]) + bip_op(0, "83023A07 350103 39020400"))
    put("bip", "open-busy-retries", bytes([0x00]) + bip_op(0, "83022004") * 4)
    put("bip", "open-modified-send", bytes([0x00]) + bip_op(0, "830107 380282 00 39020100") +
        bip_op(5, "00" + "A5" * 200) + bip_op(5, "00" + "5A" * 200) + bip_op(5, "00" + "33" * 200) +
        bip_op(0, ok + "B7011A") * 3 + bip_op(0, ok + "B701FF") * 4)
    put("bip", "open-bad-channel", bytes([0x00]) + bip_op(0, ok + "B80283 00") + bip_op(0, ok + "B80280 00") +
        bip_op(0, ok + "B801 81") + bip_op(0, ok + "B80281 00 B9020000") + bip_op(0, ok + "B80281 00"))
    put("bip", "receive-truncated", bytes([0x01]) + bip_op(2, avail("C8")) +
        bip_op(0, ok + "B681C8" + data32) + bip_op(0, ok + "B68105 0102030405") +
        bip_op(0, ok + "B60107 B7020000") + bip_op(0, ok + "B611" + data32[:34] + "B70100"))
    put("bip", "link-dropped", bytes([0x01]) + bip_op(5, "00" + data32) + bip_op(3, "B80202 05") +
        bip_op(3, "B80281 00") + bip_op(3, "B80201 05") + bip_op(0, ok))
    put("bip", "status-query", bytes([0x01]) + bip_op(2, "B80282 00 B70110") + bip_op(0, ok + "B80281 00") +
        bip_op(2, "B80282 00 B70110") + bip_op(0, ok + "B80201 00"))
    put("bip", "send-failed", bytes([0x01]) + bip_op(5, "00" + data32) + bip_op(0, "83023A07") + bip_op(0, ok))
    put("bip", "resets-reopen", bytes([0x01]) + bip_op(5, "00" + data32) + bip_op(5, "03") + bip_op(5, "05") +
        bip_op(0, ok + "B80281 00 B9020400") + bip_op(5, "04") + bip_op(5, "05"))
    put("bip", "raw-envelopes", bytes([0x01]) + bip_op(4, "D60E 990109 82028281 B80281 00 B70108") +
        bip_op(1, "810301420082028281 830100 B608 0102030405060708 B70100") +
        bip_op(4, "D60B 99010A 82028281 B80281 05"))


if __name__ == "__main__":
    main()
