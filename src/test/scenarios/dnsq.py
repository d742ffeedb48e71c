#!/usr/bin/env python3
"""Tiny DNS client over UDP (standard library only) for the tapdoctor scenarios.

Asks SERVER for NAME (type A) from one socket with one fixed query id; when no answer comes,
retransmits the same message (same source port, same id) after each of --waits seconds.
--expect NOERROR | NXDOMAIN | SERVFAIL | REFUSED | no_response; exits 1 if the outcome differs.
"""
import argparse
import socket
import struct
import sys

RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


def query(qid, name):
    hdr = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)  # RD, one question
    q = b"".join(bytes([len(p)]) + p.encode("ascii") for p in name.rstrip(".").split("."))
    return hdr + q + b"\x00" + struct.pack("!HH", 1, 1)  # QTYPE A, QCLASS IN


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("server")
    ap.add_argument("name")
    ap.add_argument("--expect", required=True)
    ap.add_argument("--id", type=lambda v: int(v, 0), default=0x7d01)
    ap.add_argument("--waits", default="2",
                    help="comma separated seconds to wait after each send; one send per value")
    a = ap.parse_args()
    waits = [float(w) for w in a.waits.split(",")]
    fam = socket.AF_INET6 if ":" in a.server else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    msg = query(a.id, a.name)
    outcome = "no_response"
    for w in waits:
        s.sendto(msg, (a.server, 53))
        s.settimeout(w)
        try:
            data, _ = s.recvfrom(4096)
        except TimeoutError:
            continue
        rid, flags = struct.unpack("!HH", data[:4])
        if rid == a.id and flags & 0x8000:
            outcome = RCODES.get(flags & 0xF, str(flags & 0xF))
            break
    s.close()
    if outcome != a.expect:
        print("dnsq: %s @%s: expected %s, got %s" % (a.name, a.server, a.expect, outcome),
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
