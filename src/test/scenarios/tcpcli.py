#!/usr/bin/env python3
"""Tiny TCP client for the tapdoctor scenarios (standard library only).

Makes --count connections to HOST PORT, one after the other, and checks that each one ends
the way --expect says; exits 1 (with a message on stderr) if any does not.
  ok           connect, send --send bytes, shutdown(SHUT_WR), read until EOF, close (FIN).
  refused      connect fails with ECONNREFUSED (RST answering the SYN).
  timeout      connect fails with ETIMEDOUT (the kernel gave up retransmitting its SYN).
  unreachable  connect fails with EHOSTUNREACH / ENETUNREACH / EACCES (ICMP error).
  reset        connect succeeds; without sending, recv() fails with ECONNRESET.
"""
import argparse
import errno
import socket
import sys


def one(host, port, send, timeout):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        try:
            s.connect((host, port))
        except ConnectionRefusedError:
            return "refused"
        except ConnectionResetError:
            # handshake completed, then the RST arrived before connect() returned to us
            return "reset"
        except TimeoutError:
            return "timeout"
        except OSError as e:
            if e.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EACCES, errno.EPERM):
                return "unreachable"
            return "error:%s" % e
        try:
            if send:
                s.sendall(b"x" * send)
                s.shutdown(socket.SHUT_WR)
            got = 0
            while True:
                d = s.recv(65536)
                if not d:
                    break
                got += len(d)
            return "ok" if send else "ok-noreply"
        except ConnectionResetError:
            return "reset"
        except OSError as e:
            return "error:%s" % e
    finally:
        s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("--expect", required=True,
                    choices=["ok", "refused", "timeout", "unreachable", "reset"])
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--send", type=int, default=16)
    ap.add_argument("--timeout", type=float, default=15.0)
    a = ap.parse_args()
    bad = 0
    for i in range(a.count):
        r = one(a.host, a.port, 0 if a.expect == "reset" else a.send, a.timeout)
        if r != a.expect:
            print("tcpcli: %s port %d attempt %d: expected %s, got %s"
                  % (a.host, a.port, i + 1, a.expect, r), file=sys.stderr)
            bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
