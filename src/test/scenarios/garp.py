#!/usr/bin/env python3
"""Send gratuitous ARP requests (sender IP = target IP) from one interface (stdlib only).

usage: garp.py IFACE IP COUNT INTERVAL_SECONDS
Like `arping -U`, but iputils arping only takes whole-second intervals, and a storm should
be quick. Broadcast, sender MAC = the interface's MAC. Needs CAP_NET_RAW.
"""
import socket
import sys
import time


def main():
    iface, ip, count, interval = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
    s.bind((iface, 0x0806))
    mac = s.getsockname()[4][:6]
    ipb = socket.inet_aton(ip)
    arp = (b"\x00\x01\x08\x00\x06\x04\x00\x01" + mac + ipb + b"\x00" * 6 + ipb)
    frame = b"\xff" * 6 + mac + b"\x08\x06" + arp
    frame += b"\x00" * (60 - len(frame))
    for i in range(count):
        s.send(frame)
        if i + 1 < count:
            time.sleep(interval)
    s.close()


if __name__ == "__main__":
    main()
