#!/usr/bin/env python3
"""Sends the frames of a classic pcap file out of one NIC (AF_PACKET), keeping their order and
their time gaps (each gap capped at --max-gap seconds). For tests that put recorded traffic on a
live interface inside their own network namespace. Standard library only."""
import argparse
import socket
import struct
import time


def frames(path):
    with open(path, "rb") as f:
        header = f.read(24)
        magic = struct.unpack("<I", header[:4])[0]
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            endian = "<"
        elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
            endian = ">"
        else:
            raise SystemExit(f"{path}: not a classic pcap file (magic {magic:#x})")
        nanos = magic in (0xA1B23C4D, 0x4D3CB2A1)
        while True:
            record = f.read(16)
            if len(record) < 16:
                return
            sec, frac, caplen, _ = struct.unpack(endian + "IIII", record)
            yield sec + frac / (1e9 if nanos else 1e6), f.read(caplen)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("nic")
    ap.add_argument("pcap")
    ap.add_argument("--max-gap", type=float, default=0.5)
    a = ap.parse_args()
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.nic, 0))
    last = None
    sent = 0
    for t, data in frames(a.pcap):
        if last is not None:
            time.sleep(min(max(t - last, 0), a.max_gap))
        last = t
        s.send(data)
        sent += 1
    print(f"sent {sent} frames on {a.nic}")


if __name__ == "__main__":
    main()
