#!/usr/bin/env python3
"""eum vpcd against a stand-in for vsmartcard's vpcd (no pcscd needed): the wire protocol.

Frames are a 2-byte big-endian length and that many bytes; from vpcd a 1-byte frame is a control
code (0 power off, 1 power on, 2 reset, 4 send the ATR), a longer one a C-APDU; the card answers
the ATR request and each C-APDU with one frame, the other control codes with nothing. Checked:
the ATR; APDUs after power on; a reset (2) and a power off (0) clear PIN1's verification, as the
card's own warm reset and power off do; an APDU to an unpowered card gets an empty frame (vpcd's
"no answer"); when the connection drops the tool connects again; SIGTERM ends it with status 0.
Usage: test_vpcd_protocol.py PATH/TO/eum
"""
import signal
import socket
import struct
import subprocess
import sys

ATR = bytes.fromhex("3B9F96801FC78031E073FE211F6765756D20302E31A6")
SELECT_USIM = bytes.fromhex("00A4040C10A0000000871002FFFFFFFF8907090000")
PIN_STATUS = bytes.fromhex("00200001")
VERIFY_1234 = bytes.fromhex("002000010831323334FFFFFFFF")
fails = 0


def check(ok, what):
    global fails
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        fails += 1


def recv_exact(c, n):
    b = b""
    while len(b) < n:
        part = c.recv(n - len(b))
        if not part:
            raise EOFError("connection closed")
        b += part
    return b


def send(c, payload):
    c.sendall(struct.pack(">H", len(payload)) + payload)


def ask(c, payload):
    send(c, payload)
    (n,) = struct.unpack(">H", recv_exact(c, 2))
    return recv_exact(c, n)


def main():
    eum = sys.argv[1]
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    srv.settimeout(30)
    port = srv.getsockname()[1]
    p = subprocess.Popen([eum, "vpcd", "--host", "127.0.0.1", "--port", str(port)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        c, _ = srv.accept()
        c.settimeout(10)
        check(ask(c, b"\x04") == ATR, "control 4: the ATR")
        send(c, b"\x01")  # power on: no answer
        check(ask(c, PIN_STATUS) == b"\x63\xC3", "after power on, PIN1 status 63C3")
        check(ask(c, VERIFY_1234) == b"\x90\x00", "VERIFY PIN1 9000")
        check(ask(c, PIN_STATUS) == b"\x90\x00", "PIN1 verified")
        send(c, b"\x02")  # reset: the card's warm reset
        check(ask(c, PIN_STATUS) == b"\x63\xC3", "control 2 (reset): PIN1 to verify again")
        check(ask(c, b"\x04") == ATR, "the ATR after the reset")
        ask(c, VERIFY_1234)
        send(c, b"\x00")  # power off
        check(ask(c, PIN_STATUS) == b"", "control 0 (power off): an APDU gets an empty frame")
        check(ask(c, b"\x04") == ATR, "a powered-off card is still in the slot (ATR)")
        send(c, b"\x01")
        check(ask(c, PIN_STATUS) == b"\x63\xC3", "power on again: PIN1 to verify again")
        check(ask(c, SELECT_USIM) == b"\x90\x00", "SELECT ADF.USIM")
        c.close()  # pcscd went away: the tool connects again
        c, _ = srv.accept()
        c.settimeout(10)
        check(ask(c, b"\x04") == ATR, "reconnected after the connection dropped")
        send(c, b"\x01")
        check(ask(c, bytes.fromhex("00A40004023F00")) == b"\x61\x26", "SELECT MF after reconnecting: 6126")
        c.close()
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            out, err = p.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
    check(p.returncode == 0, "SIGTERM: exit status %d" % p.returncode)
    check(b"reconnecting" in err, "the dropped connection is reported")
    if fails:
        sys.stderr.write(err.decode(errors="replace"))
        print("%d vpcd protocol check(s) failed" % fails)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
