#!/usr/bin/env python3
"""TCP servers for the scenarios of issue 11 (make-misread.sh), standard library only.

Listens dual-stack on [::]:PORT and serves every connection in a thread; prints "ready PORT"
once listening. Modes (tcpsrv.py has echo, rst and slow):
  backlog  listen(--backlog) and never accept: the accept queue fills, the kernel drops the
           ACKs of later handshakes and retransmits their SYN/ACKs (optionally TCP_DEFER_ACCEPT
           --defer seconds).
  stall    (SO_RCVBUF --rcvbuf on the listener) never read; after --pause seconds close with
           the data unread: the kernel answers with a RST (RFC 9293 section 3.6, "data lost").
  source   read the request (one recv), send --bytes bytes, close (FIN): a download.
  reply    echo every chunk as it arrives until EOF, then close: request/response, keep-alive.
  abort    read the request, send a 64-byte reply, close with SO_LINGER {1, 0}: a RST after data.
  banner   send one line at once and close first (FIN from the server): the server keeps the
           TIME_WAIT, so the client may reuse the 4-tuple at once.
"""
import argparse
import socket
import struct
import sys
import threading
import time

TCP_DEFER_ACCEPT = 9


def serve_stall(conn, pause):
    time.sleep(pause)
    conn.close()  # unread data in the receive queue: RST


def serve_source(conn, count):
    with conn:
        conn.settimeout(30)
        conn.recv(65536)
        chunk = b"d" * 65536
        left = count
        while left > 0:
            n = min(left, len(chunk))
            conn.sendall(chunk[:n])
            left -= n


def serve_reply(conn):
    with conn:
        # long enough that no idle timeout of ours lands in a later scenario's capture
        conn.settimeout(600)
        while True:
            data = conn.recv(65536)
            if not data:
                break
            conn.sendall(data)


def serve_abort(conn):
    conn.settimeout(30)
    try:
        conn.recv(65536)
        conn.sendall(b"r" * 64)
        time.sleep(0.2)
    finally:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()


def serve_banner(conn):
    with conn:
        conn.sendall(b"220 ready\r\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--mode", required=True, choices=["backlog", "stall", "source", "reply", "abort", "banner"])
    ap.add_argument("--backlog", type=int, default=64)
    ap.add_argument("--defer", type=int, default=0)
    ap.add_argument("--rcvbuf", type=int, default=0)
    ap.add_argument("--pause", type=float, default=3.0)
    ap.add_argument("--bytes", type=int, default=1 << 20)
    a = ap.parse_args()

    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    if a.rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
    if a.defer:
        s.setsockopt(socket.IPPROTO_TCP, TCP_DEFER_ACCEPT, a.defer)
    s.bind(("::", a.port))
    s.listen(a.backlog if a.mode == "backlog" else 64)
    print("ready %d" % a.port, flush=True)
    if a.mode == "backlog":
        while True:
            time.sleep(3600)  # never accept
    while True:
        conn, _ = s.accept()
        if a.mode == "stall":
            target, args = serve_stall, (conn, a.pause)
        elif a.mode == "source":
            target, args = serve_source, (conn, a.bytes)
        elif a.mode == "reply":
            target, args = serve_reply, (conn,)
        elif a.mode == "abort":
            target, args = serve_abort, (conn,)
        else:
            target, args = serve_banner, (conn,)
        threading.Thread(target=target, args=args, daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
