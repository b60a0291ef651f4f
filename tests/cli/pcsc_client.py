#!/usr/bin/python3
"""PC/SC client of tests/cli/test_vpcd.sh: what a modem or pySim does first, through pcscd.

Waits for a card in the first slot of the reader whose name starts with --reader, connects with
T=0, checks the ATR, reads EF.ICCID (ETSI TS 102 221 §13.2) and EF.IMSI of ADF.USIM (TS 31.102
§4.2.2), verifying PIN1 only when the card asks for it (6982) and a PIN is given (--pin-disabled: the read
must succeed without VERIFY), and runs
AUTHENTICATE (TS 31.102 §7.1.2) when a command and its expected answer are given; with
--reset-check, resets and power-cycles the card through PC/SC and checks PIN1 is needed again. T=0 as a
terminal does it: 61xx -> GET RESPONSE, 6Cxx -> the command again with that Le.
Prints one line per check; exit status 0 when every check passed.
"""
import argparse
import sys
import time

from smartcard.CardConnection import CardConnection
from smartcard.Exceptions import CardConnectionException, NoCardException
from smartcard.System import readers
from smartcard.scard import (SCARD_PROTOCOL_T0, SCARD_RESET_CARD, SCARD_SHARE_SHARED, SCARD_UNPOWER_CARD,
                             SCardGetErrorMessage, SCardReconnect)


def unhex(s):
    return list(bytes.fromhex(s.replace(" ", "")))


def hx(b):
    return bytes(b).hex().upper()


def swapped_digits(b):
    """BCD with nibbles swapped, F filler dropped (TS 102 221 §13.2, TS 31.102 §4.2.2)."""
    return "".join("%X%X" % (x & 0xF, x >> 4) for x in b).replace("F", "")


class Card:
    def __init__(self, conn):
        self.conn = conn

    def send(self, apdu):
        data, sw1, sw2 = self.conn.transmit(apdu)
        if sw1 == 0x6C:
            data, sw1, sw2 = self.conn.transmit(apdu[:4] + [sw2])
        while sw1 == 0x61:
            more, sw1, sw2 = self.conn.transmit([apdu[0] & 0x03, 0xC0, 0x00, 0x00, sw2])
            data = data + more
        return data, (sw1 << 8) | sw2


def wait_card(prefix, timeout):
    deadline = time.monotonic() + timeout
    last = "no reader"
    while time.monotonic() < deadline:
        try:
            for r in readers():
                if not str(r).startswith(prefix) or not str(r).endswith("00 00"):
                    continue
                conn = r.createConnection()
                conn.connect(CardConnection.T0_protocol)
                try:  # a card that answers (not the one just taken out, still seen for a moment)
                    conn.transmit([0x80, 0xF2, 0x00, 0x00, 0x00])
                except (CardConnectionException, NoCardException) as e:
                    last = str(e)
                    conn.disconnect()
                    continue
                return r, conn
        except (CardConnectionException, NoCardException) as e:
            last = str(e)
        except Exception as e:  # pcscd not up yet (smartcard.pcsc.PCSCExceptions...)
            last = str(e)
        time.sleep(0.2)
    raise SystemExit("FAIL: no card in reader %r after %d s (%s)" % (prefix, timeout, last))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reader", default="Virtual PCD")
    ap.add_argument("--timeout", type=int, default=30)
    ap.add_argument("--atr", required=True)
    ap.add_argument("--iccid", required=True, help="ICCID digits")
    ap.add_argument("--imsi", required=True, help="IMSI digits")
    ap.add_argument("--usim-aid", required=True)
    ap.add_argument("--pin", help="PIN1 (ASCII digits) to VERIFY if EF.IMSI asks for it")
    ap.add_argument("--pin-disabled", action="store_true",
                    help="EF.IMSI must read without VERIFY (PIN1 disabled by the profile's pinAttributes)")
    ap.add_argument("--auth", nargs=2, metavar=("CAPDU", "RESPONSE"))
    ap.add_argument("--reset-check", action="store_true",
                    help="reset and power-cycle the card through PC/SC; PIN1 must be needed again")
    a = ap.parse_args()
    fails = 0

    def check(ok, what):
        nonlocal fails
        print(("ok: " if ok else "FAIL: ") + what)
        if not ok:
            fails += 1

    reader, conn = wait_card(a.reader, a.timeout)
    card = Card(conn)
    atr = hx(conn.getATR())
    check(atr == a.atr.upper(), "reader %s, ATR %s" % (reader, atr))

    data, sw = card.send(unhex("00A40004023F00"))
    check(sw == 0x9000 and data[:1] == [0x62], "SELECT MF: FCP %s, SW %04X" % (hx(data[:4]), sw))
    data, sw = card.send(unhex("00A4000C022FE2"))
    check(sw == 0x9000, "SELECT EF.ICCID: SW %04X" % sw)
    data, sw = card.send(unhex("00B000000A"))
    iccid = swapped_digits(data)
    check(sw == 0x9000 and iccid == a.iccid, "ICCID %s (expected %s), SW %04X" % (iccid, a.iccid, sw))

    aid = unhex(a.usim_aid)
    data, sw = card.send([0x00, 0xA4, 0x04, 0x0C, len(aid)] + aid)
    check(sw == 0x9000, "SELECT ADF.USIM %s: SW %04X" % (a.usim_aid, sw))
    data, sw = card.send(unhex("00A4000C026F07"))
    check(sw == 0x9000, "SELECT EF.IMSI: SW %04X" % sw)
    data, sw = card.send(unhex("00B0000009"))
    if a.pin_disabled:
        check(sw == 0x9000, "EF.IMSI read without VERIFY PIN (PIN1 disabled): SW %04X" % sw)
    elif sw == 0x6982 and a.pin:
        pin = list(a.pin.encode()) + [0xFF] * (8 - len(a.pin))
        _, vsw = card.send([0x00, 0x20, 0x00, 0x01, 0x08] + pin)
        check(vsw == 0x9000, "EF.IMSI needs PIN1: VERIFY PIN1: SW %04X" % vsw)
        data, sw = card.send(unhex("00B0000009"))
    else:
        print("note: EF.IMSI read without VERIFY PIN (SW %04X)" % sw)
    imsi = swapped_digits(data[1:])[1:] if data else ""
    check(sw == 0x9000 and imsi == a.imsi, "IMSI %s (expected %s), SW %04X" % (imsi, a.imsi, sw))

    if a.auth:
        if sw != 0x9000:
            check(False, "AUTHENTICATE needs PIN1 verified")
        data, sw = card.send(unhex(a.auth[0]))
        got = hx(data) + "%04X" % sw
        want = a.auth[1].replace(" ", "").upper()
        check(got == want, "AUTHENTICATE (3G context): %s (expected %s)" % (got, want))

    if a.reset_check:
        # the reader's reset and power cycle reach the card (its warm reset, power off + cold
        # reset): either way PIN1 must be verified again (TS 102 221 §9.5.1) and the ATR is the same
        for name, disposition in (("reset", SCARD_RESET_CARD), ("power cycle", SCARD_UNPOWER_CARD)):
            rv, proto = SCardReconnect(getattr(conn, "component", conn).hcard, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0, disposition)
            check(rv == 0, "SCardReconnect (%s): %s" % (name, SCardGetErrorMessage(rv)))
            check(hx(conn.getATR()) == a.atr.upper(), "ATR after the %s" % name)
            card.send([0x00, 0xA4, 0x04, 0x0C, len(aid)] + aid)
            card.send(unhex("00A4000C026F07"))
            _, sw = card.send(unhex("00B0000009"))
            check(sw == 0x6982, "after the %s EF.IMSI needs PIN1 again: SW %04X" % (name, sw))

    conn.disconnect()
    if fails:
        print("%d check(s) failed" % fails)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
