#!/usr/bin/env python3
"""Writes a classic pcap (Ethernet, microsecond timestamps, snaplen 96) of a realistic traffic mix.

Headers only: TCP and UDP payload lengths are declared in the IP header but not captured, as a tap
capturing with a snaplen of 96 bytes would record them. Deterministic for a given seed.

The mix is that of src/jmh/java/org/tapdoctor/bench/TrafficMix.java (share of conversations):
  84 %  complete TCP connections (10 % of them IPv6): SYN, SYN/ACK, ACK, request, 2-12 server
        segments with client ACKs every second segment, FIN, FIN/ACK, ACK
   3 %  refused (SYN, RST/ACK)          2 %  unanswered (SYN and one retransmission 1 s later)
   1 %  SYN answered by an ICMP(v6) destination unreachable quoting it
   7 %  DNS query and response (5 % NXDOMAIN)
   3 %  ARP request and reply (5 % of requests unanswered)
Up to 48 conversations are open at once and interleave at random; each has a fresh 4-tuple.
Addresses are from the documentation ranges (RFC 5737, RFC 3849).

--flood SHARE makes that share of the packets the SYNs of a random-source SYN flood as
`hping3 -S --flood --rand-source -p 443 198.51.100.20` sends them (IPv4, no options, window 512,
TTL 64, the source port counting up from a random base, the source address random in the
benchmarking range 198.18.0.0/15 of RFC 2544), unanswered, as a tap's capture of a flood holds
them beside the mix above: every flood SYN is a new attempt, so the connection table stays full
of them.

usage: gen-capture.py [-n PACKETS] [--seed N] [--spacing-us US] [--flood SHARE] OUTPUT.pcap
"""
import argparse
import random
import struct
import sys

SNAPLEN = 96
LINKTYPE_ETHERNET = 1
CONCURRENT = 48
ROUTER_MAC = 0x0200_0000_FFFE
SERVERS_V4 = 64
SERVERS_V6 = 16
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def mac(m):
    return m.to_bytes(6, "big")


def v4(a, b, c, d):
    return bytes((a, b, c, d))


def v6(net, host):
    """2001:db8:{net}::{host}"""
    return bytes((0x20, 0x01, 0x0D, 0xB8, 0, net)) + bytes(8) + host.to_bytes(2, "big")


class Mix:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.next_port = [32768] * 256

    # --- endpoints -----------------------------------------------------------------------------
    def client(self, is_v6):
        host = 1 + self.r.randrange(250)
        port = self.next_port[host]
        self.next_port[host] = 32768 if port == 60999 else port + 1
        return (v6(0x0C, host) if is_v6 else v4(192, 0, 2, host), 0x0200_0000_0000 | host, port)

    def server(self, is_v6, port):
        if is_v6:
            return (v6(0x05, 1 + self.r.randrange(SERVERS_V6)), ROUTER_MAC, port)
        s = self.r.randrange(SERVERS_V4)
        ip = v4(198, 51, 100, 10 + s) if s < SERVERS_V4 // 2 else v4(203, 0, 113, 10 + s)
        return (ip, ROUTER_MAC, port)

    def server_port(self):
        x = self.r.randrange(100)
        return 443 if x < 70 else 80 if x < 90 else 22 if x < 95 else 8080

    # --- frames: (captured bytes, wire length, delay in us before it may be sent) ---------------
    def ip_header(self, frm, to, proto, payload_len):
        src_ip, src_mac, _ = frm
        dst_ip, dst_mac, _ = to
        ttl = 56 if src_mac == ROUTER_MAC else 64
        if len(src_ip) == 16:
            return mac(dst_mac) + mac(src_mac) + b"\x86\xdd" + struct.pack(
                ">IHBB", 0x6000_0000, payload_len, proto, ttl) + src_ip + dst_ip
        return mac(dst_mac) + mac(src_mac) + b"\x08\x00" + struct.pack(
            ">BBHHHBBH", 0x45, 0, 20 + payload_len, self.r.randrange(0x10000), 0x4000, ttl, proto, 0) + src_ip + dst_ip

    @staticmethod
    def frame(b, wire):
        return (b[:SNAPLEN], max(60, wire))

    def tcp(self, frm, to, seq, ack, flags, window, payload=0, syn_options=False):
        tcp_len = 40 if syn_options else 32
        hdr = self.ip_header(frm, to, 6, tcp_len + payload)
        t = struct.pack(">HHIIBBHHH", frm[2], to[2], seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                        (tcp_len // 4) << 4, flags, window, 0, 0)
        if syn_options:
            t += struct.pack(">BBHBBBBIIBBBB", 2, 4, 1460, 4, 2, 8, 10, self.r.getrandbits(32), 0, 1, 3, 3, 7)
        else:
            t += struct.pack(">BBBBII", 1, 1, 8, 10, self.r.getrandbits(32), self.r.getrandbits(32))
        return self.frame(hdr + t, len(hdr) + tcp_len + payload)

    # --- conversations: lists of frames ----------------------------------------------------------
    def conversation(self):
        x = self.r.randrange(100)
        if x < 84:
            return self.complete(self.r.randrange(10) == 0)
        if x < 87:
            return self.refused()
        if x < 89:
            return self.unanswered()
        if x < 90:
            return self.unreachable()
        if x < 97:
            return self.dns()
        return self.arp()

    def complete(self, is_v6):
        c, s = self.client(is_v6), self.server(is_v6, self.server_port())
        cs, ss = self.r.getrandbits(32), self.r.getrandbits(32)
        q = [self.tcp(c, s, cs, 0, SYN, 64240, 0, True),
             self.tcp(s, c, ss, cs + 1, SYN | ACK, 65160, 0, True)]
        cs += 1
        ss += 1
        q.append(self.tcp(c, s, cs, ss, ACK, 502))
        request = 200 + self.r.randrange(400)
        q.append(self.tcp(c, s, cs, ss, PSH | ACK, 502, request))
        cs += request
        segments = 2 + self.r.randrange(11)
        for i in range(1, segments + 1):
            n = 1 + self.r.randrange(1448) if i == segments else 1448
            q.append(self.tcp(s, c, ss, cs, PSH | ACK if i == segments else ACK, 509, n))
            ss += n
            if i % 2 == 0 or i == segments:
                q.append(self.tcp(c, s, cs, ss, ACK, 501))
        q.append(self.tcp(c, s, cs, ss, FIN | ACK, 501))
        cs += 1
        q.append(self.tcp(s, c, ss, cs, FIN | ACK, 509))
        ss += 1
        q.append(self.tcp(c, s, cs, ss, ACK, 501))
        return q

    def refused(self):
        c, s = self.client(False), self.server(False, 5432)
        cs = self.r.getrandbits(32)
        return [self.tcp(c, s, cs, 0, SYN, 64240, 0, True), self.tcp(s, c, 0, cs + 1, RST | ACK, 0)]

    def unanswered(self):
        c = self.client(False)
        s = (v4(203, 0, 113, 200 + self.r.randrange(8)), ROUTER_MAC, 8443)
        cs = self.r.getrandbits(32)
        syn = self.tcp(c, s, cs, 0, SYN, 64240, 0, True)
        return [syn, ("retransmit", syn)]

    def unreachable(self):
        is_v6 = self.r.randrange(4) == 0
        c = self.client(is_v6)
        s = ((v6(0x0D, 1 + self.r.randrange(4)), ROUTER_MAC, 443) if is_v6
             else (v4(203, 0, 113, 220 + self.r.randrange(4)), ROUTER_MAC, 443))
        syn = self.tcp(c, s, self.r.getrandbits(32), 0, SYN, 64240, 0, True)
        syn_ip = syn[0][14:]  # the SYN as captured: 40 + 40 (v6) or 20 + 40 (v4) bytes
        quoted = syn_ip if is_v6 else syn_ip[:28]  # IPv4 quotes header + 8 bytes (RFC 792)
        router = (v6(0x0D, 0xFE), ROUTER_MAC, 0) if is_v6 else (v4(203, 0, 113, 254), ROUTER_MAC, 0)
        hdr = self.ip_header(router, (c[0], c[1], 0), 58 if is_v6 else 1, 8 + len(quoted))
        icmp = struct.pack(">BBHI", 1 if is_v6 else 3, 3 if is_v6 else 1, 0, 0) + quoted
        return [syn, self.frame(hdr + icmp, len(hdr) + len(icmp))]

    def dns_message(self, frm, to, ident, flags, name, answers):
        qname = b"".join(bytes((len(l),)) + l.encode() for l in name.split(".")) + b"\x00"
        body = struct.pack(">HHHHHH", ident, flags, 1, answers, 0, 0) + qname + struct.pack(">HH", 1, 1)
        for _ in range(answers):
            body += struct.pack(">HHHIHI", 0xC00C, 1, 1, 300, 4, 0xC6336400 | self.r.randrange(256))
        udp_len = 8 + len(body)
        hdr = self.ip_header(frm, to, 17, udp_len)
        return self.frame(hdr + struct.pack(">HHHH", frm[2], to[2], udp_len, 0) + body, len(hdr) + udp_len)

    def dns(self):
        c = self.client(False)
        s = (v4(198, 51, 100, 53), ROUTER_MAC, 53)
        ident = self.r.randrange(0x10000)
        name = "host%d.example.com" % self.r.randrange(2000)
        rcode = 3 if self.r.randrange(20) == 0 else 0
        return [self.dns_message(c, s, ident, 0x0100, name, 0),
                self.dns_message(s, c, ident, 0x8180 | rcode, name, 1 if rcode == 0 else 0)]

    def flood_syn(self):
        """One SYN of hping3 --rand-source: a new 4-tuple each, nothing answers it."""
        self.flood_port = 1024 + (self.flood_port - 1023) % 64512 if hasattr(self, "flood_port") \
            else 1024 + self.r.randrange(64512)
        a = self.r.getrandbits(17)
        src = (v4(198, 18 + (a >> 16), (a >> 8) & 0xFF, a & 0xFF), 0x0200_0000_0100 | (a & 0xFF), self.flood_port)
        dst = (v4(198, 51, 100, 20), ROUTER_MAC, 443)
        hdr = self.ip_header(src, dst, 6, 20)
        t = struct.pack(">HHIIBBHHH", src[2], 443, self.r.getrandbits(32), self.r.getrandbits(32),
                        5 << 4, SYN, 512, 0, 0)
        return self.frame(hdr + t, len(hdr) + 20)

    def arp(self):
        asker = 1 + self.r.randrange(250)
        answered = self.r.randrange(20) != 0
        target = 1 + self.r.randrange(250) if answered else 251 + self.r.randrange(3)
        if target == asker:
            target = asker % 250 + 1
        amac, tmac = 0x0200_0000_0000 | asker, 0x0200_0000_0000 | target

        def arp(op, smac, sip, tmac_, tip, dst):
            b = mac(dst) + mac(smac) + b"\x08\x06" + struct.pack(">HHBBH", 1, 0x0800, 6, 4, op) \
                + mac(smac) + sip + mac(tmac_) + tip + bytes(18)
            return (b, len(b))

        q = [arp(1, amac, v4(192, 0, 2, asker), 0, v4(192, 0, 2, target), 0xFFFF_FFFF_FFFF)]
        if answered:
            q.append(arp(2, tmac, v4(192, 0, 2, target), amac, v4(192, 0, 2, asker), amac))
        return q


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--packets", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0x7A9D0C7)
    ap.add_argument("--spacing-us", type=int, default=20, help="microseconds between packets (default 20)")
    ap.add_argument("--flood", type=float, default=0.0,
                    help="share of packets that are random-source SYN flood packets (default 0)")
    ap.add_argument("output")
    a = ap.parse_args()

    mix = Mix(a.seed)
    rec = struct.Struct("<IIII")
    t_us = 1_700_000_000 * 1_000_000
    open_convs = []
    delayed = []  # (due time in us, frame): SYN retransmissions, one RTO after the first
    written = 0
    with open(a.output, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, SNAPLEN, LINKTYPE_ETHERNET))
        while written < a.packets:
            if a.flood and mix.r.random() < a.flood:
                frame = mix.flood_syn()
            elif delayed and delayed[0][0] <= t_us:
                frame = delayed.pop(0)[1]
            else:
                while len(open_convs) < CONCURRENT:
                    open_convs.append(mix.conversation())
                k = mix.r.randrange(len(open_convs))
                conv = open_convs[k]
                frame = conv.pop(0)
                if conv and conv[0][0] == "retransmit":
                    delayed.append((t_us + 1_000_000, conv.pop(0)[1]))
                if not conv:
                    open_convs[k] = open_convs[-1]
                    open_convs.pop()
            data, wire = frame
            out.write(rec.pack(t_us // 1_000_000, t_us % 1_000_000, len(data), wire))
            out.write(data)
            written += 1
            t_us += a.spacing_us
    print("%s: %d packets, %.1f s of traffic" % (a.output, written, written * a.spacing_us / 1e6), file=sys.stderr)


if __name__ == "__main__":
    main()
