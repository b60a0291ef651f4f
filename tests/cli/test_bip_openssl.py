#!/usr/bin/env python3
"""The card's PSK-TLS against a TLS peer that is not mbedTLS (issue 15, independence test).

OpenSSL's s_server (-psk, -nocert, TLS 1.2, one PSK suite) listens on loopback as the SM-SR's TLS
end; this script plays the SM-SR's HTTP side behind it (GlobalPlatform Amd B, digest
scp81-https.md §4): s_server's standard output carries what the card sent inside TLS, its standard
input what goes back. examples/eum_bip_bridge wakes the built-in card with a push SMS and carries
its BIP channel to s_server.

Checked: the card's first POST (request target = the trigger's URI, Host, X-Admin-Protocol,
X-Admin-From with the EID, no body, no script status); the answer 200 with a GET STATUS script
(AE 80 22 08 80F24002024F0000 00 00) run on the ISD-R; the second POST to the Next-URI with
X-Admin-Script-Status: ok and the expanded response AF 80 23 L <E3 … 90 00> 00 00; the 204 without
Next-URI ends the session: the card closes its channel (bridge exit status 0).

With --drop the SM-SR's end goes away after the card's first POST (s_server killed): the bridge raises
channel status "link dropped", the card closes its channel, the bridge exits 1. Before starting
s_server, the bridge is pointed at the port with nobody listening: OPEN CHANNEL fails (remote not
reachable), exit 1.

usage: test_bip_openssl.py EUM_BIP_BRIDGE PSK_HEX CIPHER [--psk-id ID] [--content-length] [--no-cr] [--drop]
exit 0 pass, 1 fail, 77 skipped (no openssl).
"""
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import time

SCRIPT = bytes.fromhex("AE80" "2208" "80F24002024F0000" "0000")  # GET STATUS of the ISD-Ps
NEXT_URI = "/smsr/2?step=audit"


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def listening(port):
    """True once something listens on 127.0.0.1:port (Linux /proc/net/tcp, state 0A)."""
    want = ":%04X" % port
    try:
        with open("/proc/net/tcp") as f:
            for line in f.readlines()[1:]:
                cols = line.split()
                if cols[1].endswith(want) and cols[3] == "0A":
                    return True
    except OSError:
        return False
    return False


class Peer:
    """Reads the HTTP requests the card sends through s_server's standard output."""

    def __init__(self, proc, bridge):
        self.proc = proc
        self.bridge = bridge
        self.buf = b""

    def more(self, deadline):
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                fail("timeout waiting for the card's request; got so far: %r" % self.buf[:300])
            if self.bridge.poll() is not None and not select.select([self.proc.stdout], [], [], 0)[0]:
                fail("the bridge ended (status %s) before the request was complete: %r"
                     % (self.bridge.returncode, self.buf[:300]))
            r, _, _ = select.select([self.proc.stdout], [], [], min(left, 0.2))
            if r:
                d = os.read(self.proc.stdout.fileno(), 65536)
                if not d:
                    fail("s_server ended; got so far: %r" % self.buf[:300])
                self.buf += d
                return

    def request(self, timeout=20.0):
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self.buf:
            self.more(deadline)
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        m = re.match(r"^POST (\S+) HTTP/1\.1$", lines[0])
        if not m:
            fail("not a POST request line: %r" % lines[0])
        hdr = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep:
                fail("malformed header line %r" % line)
            hdr[name.strip().lower()] = value.strip()
        body = b""
        if hdr.get("transfer-encoding", "").lower() == "chunked":
            while True:
                while b"\r\n" not in self.buf:
                    self.more(deadline)
                size_line, rest = self.buf.split(b"\r\n", 1)
                size = int(size_line.split(b";")[0], 16)
                while len(rest) < size + 2:
                    self.more(deadline)
                    rest = self.buf.split(b"\r\n", 1)[1]
                if size == 0:
                    # last chunk, no trailers: the final CRLF
                    self.buf = rest[2:]
                    break
                body += rest[:size]
                if rest[size:size + 2] != b"\r\n":
                    fail("chunk not followed by CRLF")
                self.buf = rest[size + 2:]
        elif "content-length" in hdr:
            n = int(hdr["content-length"])
            while len(self.buf) < n:
                self.more(deadline)
            body, self.buf = self.buf[:n], self.buf[n:]
        return m.group(1), hdr, body


def answer_200(script, content_length):
    h = ("HTTP/1.1 200 OK\r\n"
         "X-Admin-Protocol: globalplatform-remote-admin/1.0\r\n"
         "X-Admin-Next-URI: %s\r\n"
         "Content-Type: application/vnd.globalplatform.card-content-mgt;version=1.0\r\n" % NEXT_URI)
    if content_length:
        return (h + "Content-Length: %d\r\n\r\n" % len(script)).encode() + script
    return (h + "Transfer-Encoding: chunked\r\n\r\n%X\r\n" % len(script)).encode() + script + b"\r\n0\r\n\r\n"


ANSWER_204 = (b"HTTP/1.1 204 No Content\r\n"
              b"X-Admin-Protocol: globalplatform-remote-admin/1.0\r\n\r\n")


def check(cond, msg):
    if not cond:
        fail(msg)


def main():
    args = sys.argv[1:]
    if len(args) < 3:
        print(__doc__)
        return 2
    bridge_exe, psk, cipher = args[:3]
    psk_id = None
    content_length = "--content-length" in args
    no_cr = "--no-cr" in args
    if "--psk-id" in args:
        psk_id = args[args.index("--psk-id") + 1]
    openssl = shutil.which("openssl")
    if not openssl:
        print("SKIP: openssl not installed")
        return 77

    port = free_port()
    uri = "/smsr/1?eid=test"
    drop = "--drop" in args

    # nobody listens yet: OPEN CHANNEL is refused (remote not reachable), no session
    r = subprocess.run([bridge_exe, "--connect", "127.0.0.1:%d" % port, "--timeout", "10"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=60)
    text = r.stdout.decode(errors="replace")
    check(r.returncode == 1, "bridge to a closed port: exit %d\n%s" % (r.returncode, text))
    check("remote not reachable" in text and "channel never opened" in text,
          "bridge to a closed port:\n" + text)

    cmd = [openssl, "s_server", "-accept", "127.0.0.1:%d" % port, "-psk", psk, "-nocert", "-tls1_2",
           "-cipher", cipher, "-quiet", "-naccept", "1"]
    if psk_id:
        cmd += ["-psk_identity", psk_id]
    srv = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    bridge = None
    try:
        deadline = time.monotonic() + 10
        while not listening(port):
            if srv.poll() is not None or time.monotonic() > deadline:
                fail("s_server did not start: %s" % srv.stderr.read().decode(errors="replace"))
            time.sleep(0.05)

        bcmd = [bridge_exe, "--connect", "127.0.0.1:%d" % port, "--uri", uri, "--host", "smsr.test",
                "--timeout", "30"]
        if psk_id:
            bcmd += ["--psk-id", psk_id]
        if no_cr:
            bcmd += ["--no-cr"]
        bridge = subprocess.Popen(bcmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        peer = Peer(srv, bridge)

        # 1. the first POST: no body, no script status (digest §4.1)
        target, hdr, body = peer.request()
        print("card POST %s %s" % (target, hdr))
        check(target == uri, "first POST to %r, the trigger said %r" % (target, uri))
        check(hdr.get("host") == "smsr.test", "Host %r" % hdr.get("host"))
        check(hdr.get("x-admin-protocol") == "globalplatform-remote-admin/1.0",
              "X-Admin-Protocol %r" % hdr.get("x-admin-protocol"))
        check(re.match(r"^//se-id/eid/[0-9A-F]{32};//aa-id/aid/[0-9A-F]{10}/[0-9A-F]+$",
                       hdr.get("x-admin-from", ""), re.I) is not None,
              "X-Admin-From %r" % hdr.get("x-admin-from"))
        check("x-admin-script-status" not in hdr, "first POST with a script status")
        check(body == b"", "first POST with a body %r" % body)
        if drop:
            # the SM-SR's end is gone mid-session: link dropped, the card closes its channel
            srv.kill()
            srv.wait()
            try:
                out, _ = bridge.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                bridge.kill()
                out, _ = bridge.communicate()
                fail("the bridge did not end after the link dropped:\n" + out.decode(errors="replace"))
            text = out.decode(errors="replace")
            print(text)
            check(bridge.returncode == 1, "bridge exit status %d after the link dropped" % bridge.returncode)
            check("link dropped" in text and "event channel status" in text, "no channel status event")
            check("closed by the card after the link dropped" in text, "the card did not close its channel")
            print("PASS (%s, link dropped)" % cipher)
            return 0
        srv.stdin.write(answer_200(SCRIPT, content_length))
        srv.stdin.flush()

        # 2. the script's result, POSTed to the Next-URI verbatim
        target, hdr, body = peer.request()
        print("card POST %s %s body %s" % (target, hdr, body.hex().upper()))
        check(target == NEXT_URI, "second POST to %r, Next-URI was %r" % (target, NEXT_URI))
        check(hdr.get("x-admin-script-status") == "ok", "script status %r" % hdr.get("x-admin-script-status"))
        check(hdr.get("content-type", "").startswith(
            "application/vnd.globalplatform.card-content-mgt-response;version=1.0"),
            "Content-Type %r" % hdr.get("content-type"))
        check(hdr.get("x-admin-protocol") == "globalplatform-remote-admin/1.0", "X-Admin-Protocol missing")
        check(body[:2] == b"\xAF\x80" and body[-2:] == b"\x00\x00", "not an AF 80 … 00 00 response: %s" % body.hex())
        inner = body[2:-2]
        check(len(inner) > 2 and inner[0] == 0x23, "no R-APDU TLV 23 in %s" % body.hex())
        if inner[1] == 0x81:
            rlen, rval = inner[2], inner[3:]
        elif inner[1] < 0x80:
            rlen, rval = inner[1], inner[2:]
        else:
            rlen, rval = (inner[2] << 8) | inner[3], inner[4:]
        check(len(rval) == rlen, "R-APDU TLV length %d, %d bytes follow" % (rlen, len(rval)))
        check(rval[-2:] == b"\x90\x00", "GET STATUS answered %s" % rval[-2:].hex())
        check(rval[:1] == b"\xE3", "GET STATUS data does not start with E3: %s" % rval.hex())
        check(bytes.fromhex("4F10A0000005591010FFFFFFFF8900001000") in rval,
              "the bootstrap ISD-P is not listed: %s" % rval.hex())
        srv.stdin.write(ANSWER_204)
        srv.stdin.flush()

        # 3. 204 without Next-URI: the card ends the session and closes its channel
        try:
            out, _ = bridge.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            bridge.kill()
            out, _ = bridge.communicate()
            fail("the bridge did not end after the 204:\n" + out.decode(errors="replace"))
        text = out.decode(errors="replace")
        print(text)
        check(bridge.returncode == 0, "bridge exit status %d" % bridge.returncode)
        check("closed by the card" in text, "the card did not close its channel")
        check(peer.buf == b"", "the card sent more after the session: %r" % peer.buf)
        print("PASS (%s)" % cipher)
        return 0
    finally:
        if bridge and bridge.poll() is None:
            bridge.kill()
        if srv.poll() is None:
            srv.kill()
        srv.wait()


if __name__ == "__main__":
    sys.exit(main())
