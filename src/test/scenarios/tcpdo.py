#!/usr/bin/env python3
"""One scripted TCP connection for the scenarios of issue 11 (make-misread.sh), standard
library only. tcpcli.py makes plain connections; this one does what a scenario needs on top:

  tcpdo.py HOST PORT --expect OUTCOME[|OUTCOME...] [options]

  --bind-port P       bind the local port P first (SO_REUSEADDR): the same 4-tuple again
  --ip-options HEX    IPv4 options on every segment (IP_OPTIONS), e.g. a full timestamp option
  --hopopts HEX       an IPv6 hop-by-hop options header on every segment (IPV6_HOPOPTS)
  --request TEXT      send TEXT first (\\r\\n escapes allowed)
  --pause S           then wait S seconds (the request is acknowledged on its own)
  --send N            then send N bytes
  --keepalive S       after the first reply, stay idle S seconds with TCP keep-alive probes
                      every second, then close normally
  --abort             after the first reply, close with SO_LINGER {1, 0}: a RST after data
  --min-bytes N       the outcome is ok only if at least N bytes came back
  --timeout S         connect and each read or write (default 10)
  --defer-ack S       TCP_DEFER_ACCEPT on the connecting socket: Linux then holds the
                      handshake's final ACK back (for the delayed-ACK time, ~200 ms, or until
                      data goes out), and this client sends nothing for S seconds after
                      connecting. In the namespaces a round trip takes ~0.1 ms; this gives the
                      final ACKs of a burst the delay a real network's round trip would
  --burst N           N connections at once instead of one (non-blocking connects sent back
                      to back, so that every SYN is in before the first handshake completes),
                      each sending --request and waiting for its reply; one line per connection,
                      and every outcome must be one of --expect
Without --keepalive or --abort: shutdown(SHUT_WR), read until EOF, close (FIN).
A timeout after the connection was made closes it with a RST (SO_LINGER {1, 0}), so the kernel
does not go on retransmitting an orphaned socket into the next scenario's capture.

Outcomes: ok, refused (RST to the SYN), timeout (connect gave up), unreachable (an ICMP error:
EHOSTUNREACH, ENETUNREACH, EACCES, EPERM, EPROTO), reset (ECONNRESET or EPIPE after the
connection was made), stalled (a read or write timed out after the connection was made).
Prints one line: tcpdo HOST PORT OUTCOME connect=SECONDS sent=N received=N. Exit status 1 when
the outcome is not one of --expect.
"""
import argparse
import errno
import select
import socket
import struct
import sys
import time

IPV6_HOPOPTS = 54
TCP_DEFER_ACCEPT = 9
UNREACHABLE = (errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EACCES, errno.EPERM, errno.EPROTO)
ERRNO_OUTCOMES = {errno.ECONNREFUSED: "refused", errno.ETIMEDOUT: "timeout", errno.ECONNRESET: "reset"}
ERRNO_OUTCOMES.update({e: "unreachable" for e in UNREACHABLE})


def abort(s):
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    s.close()


def run(a, stats):
    fam = socket.AF_INET6 if ":" in a.host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(a.timeout)
    if a.bind_port:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", a.bind_port))
    if a.ip_options:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_OPTIONS, bytes.fromhex(a.ip_options))
    if a.hopopts:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_HOPOPTS, bytes.fromhex(a.hopopts))
    t0 = time.monotonic()
    try:
        s.connect((a.host, a.port))
    except ConnectionRefusedError:
        s.close()
        return "refused"
    except TimeoutError:
        s.close()
        return "timeout"
    except OSError as e:
        s.close()
        if e.errno in UNREACHABLE:
            return "unreachable"
        return "error:%s" % e
    stats["connect"] = time.monotonic() - t0
    try:
        if a.request:
            stats["sent"] += send(s, a.request.encode().decode("unicode_escape").encode("latin-1"))
        if a.pause:
            time.sleep(a.pause)
        if a.send:
            stats["sent"] += send(s, b"x" * a.send)
        if a.keepalive or a.abort:
            stats["received"] += len(s.recv(65536))
            if a.abort:
                abort(s)
                return "ok"
            s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
            time.sleep(a.keepalive)
        s.shutdown(socket.SHUT_WR)
        while True:
            d = s.recv(65536)
            if not d:
                break
            stats["received"] += len(d)
        s.close()
        return "ok" if stats["received"] >= a.min_bytes else "short"
    except (ConnectionResetError, BrokenPipeError):
        s.close()
        return "reset"
    except TimeoutError:
        abort(s)
        return "stalled"
    except OSError as e:
        if e.errno == errno.ENOTCONN:  # the RST came before shutdown()
            s.close()
            return "reset"
        abort(s)
        return "error:%s" % e


def burst(a):
    """N connections whose SYNs leave together; returns their outcomes."""
    fam = socket.AF_INET6 if ":" in a.host else socket.AF_INET
    socks = [socket.socket(fam, socket.SOCK_STREAM) for _ in range(a.burst)]
    for s in socks:
        s.setblocking(False)
        if a.defer_ack:
            s.setsockopt(socket.IPPROTO_TCP, TCP_DEFER_ACCEPT, 1)
    for s in socks:
        s.connect_ex((a.host, a.port))
    if a.defer_ack:
        time.sleep(a.defer_ack)
    request = a.request.encode().decode("unicode_escape").encode("latin-1")
    outcomes = {}
    pending = {s: "connecting" for s in socks}
    deadline = time.monotonic() + a.timeout
    while pending and time.monotonic() < deadline:
        waiting_write = [s for s, st in pending.items() if st == "connecting"]
        waiting_read = [s for s, st in pending.items() if st == "sent"]
        _, writable, _ = select.select([], waiting_write, [], 0.05)
        for s in writable:
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                outcomes[s] = ERRNO_OUTCOMES.get(err, "error:%d" % err)
                del pending[s]
                continue
            try:
                s.send(request)
                pending[s] = "sent"
            except OSError:
                outcomes[s] = "reset"
                del pending[s]
        readable = select.select(waiting_read, [], [], 0.05)[0] if waiting_read else []
        for s in readable:
            try:
                data = s.recv(65536)
                outcomes[s] = "ok" if data else "eof"
            except (ConnectionResetError, BrokenPipeError):
                outcomes[s] = "reset"
            except OSError as e:
                outcomes[s] = "error:%s" % e
            del pending[s]
    for s, st in pending.items():
        outcomes[s] = "timeout" if st == "connecting" else "stalled"
    for s in socks:
        if outcomes[s] in ("stalled", "timeout"):
            abort(s)  # no orphaned retransmissions after the scenario
        else:
            s.close()
    return [outcomes[s] for s in socks]


def send(s, data):
    s.sendall(data)
    return len(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("--expect", required=True)
    ap.add_argument("--bind-port", type=int, default=0)
    ap.add_argument("--ip-options", default="")
    ap.add_argument("--hopopts", default="")
    ap.add_argument("--request", default="")
    ap.add_argument("--pause", type=float, default=0.0)
    ap.add_argument("--send", type=int, default=0)
    ap.add_argument("--keepalive", type=float, default=0.0)
    ap.add_argument("--abort", action="store_true")
    ap.add_argument("--min-bytes", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--burst", type=int, default=0)
    ap.add_argument("--defer-ack", type=float, default=0.0)
    a = ap.parse_args()
    if a.burst:
        outcomes = burst(a)
        for o in outcomes:
            print("tcpdo %s %d %s (burst of %d)" % (a.host, a.port, o, a.burst), flush=True)
        bad = [o for o in outcomes if o not in a.expect.split("|")]
        if bad:
            print("tcpdo: %s port %d: expected %s, got %s" % (a.host, a.port, a.expect, ",".join(bad)),
                  file=sys.stderr)
            sys.exit(1)
        return
    stats = {"connect": -1.0, "sent": 0, "received": 0}
    outcome = run(a, stats)
    print("tcpdo %s %d %s connect=%.3f sent=%d received=%d"
          % (a.host, a.port, outcome, stats["connect"], stats["sent"], stats["received"]), flush=True)
    if outcome not in a.expect.split("|"):
        print("tcpdo: %s port %d: expected %s, got %s" % (a.host, a.port, a.expect, outcome), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
