#!/usr/bin/env python3
"""Tiny TCP server for the tapdoctor scenarios (standard library only).

Listens dual-stack on [::]:PORT (IPv4 and IPv6) and serves every connection in a thread.
Modes:
  echo  read until EOF, echo what was read, close normally (FIN).
  rst   accept, then close at once with SO_LINGER {1, 0} before sending anything:
        the kernel sends a RST with seq = server ISN + 1 right after the handshake.
  slow  (SO_RCVBUF set small on the listener before listen(), inherited by accepted
        sockets) do not read for --pause seconds, then read everything until EOF and close:
        the receive window closes (zero window) while the client keeps sending.
Prints "ready PORT" on stdout once listening.
"""
import argparse
import socket
import struct
import sys
import threading
import time


def serve_echo(conn):
    with conn:
        conn.settimeout(30)
        while True:
            data = conn.recv(65536)
            if not data:
                break
            conn.sendall(data)


def serve_rst(conn):
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def serve_slow(conn, pause):
    with conn:
        conn.settimeout(60)
        time.sleep(pause)
        total = 0
        while True:
            data = conn.recv(65536)
            if not data:
                break
            total += len(data)
        conn.sendall(b"got %d\n" % total)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--mode", choices=["echo", "rst", "slow"], default="echo")
    ap.add_argument("--rcvbuf", type=int, default=0)
    ap.add_argument("--pause", type=float, default=4.0)
    a = ap.parse_args()

    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    if a.rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
    s.bind(("::", a.port))
    s.listen(64)
    print("ready %d" % a.port, flush=True)
    while True:
        conn, _ = s.accept()
        if a.mode == "echo":
            target, args = serve_echo, (conn,)
        elif a.mode == "rst":
            serve_rst(conn)
            continue
        else:
            target, args = serve_slow, (conn, a.pause)
        threading.Thread(target=target, args=args, daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
