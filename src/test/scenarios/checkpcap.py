#!/usr/bin/env python3
"""Check one scenario capture with tshark and print a one-line summary.

usage: checkpcap.py SCENARIO FILE.pcap
Reads the capture once with tshark, counts what matters (SYN, SYN/ACK, RST, ICMP errors,
ARP, DNS, zero windows) and checks the facts the scenario must contain for the diagnosis in
expected.tsv to follow from docs/diagnosis-rules.md, including the timing the engine needs
(the capture's last packet is the end of a replay, so it must lie far enough after the last
SYN / SYN-ACK / ARP request / DNS query). Exit status 1 if a check fails.
"""
import os
import subprocess
import sys

FIELDS = ["frame.time_relative", "frame.len", "eth.src", "arp.opcode", "arp.src.hw_mac",
          "arp.src.proto_ipv4", "arp.dst.proto_ipv4", "ip.src", "ip.dst", "ip.ttl",
          "ipv6.src", "ipv6.dst", "ipv6.hlim", "tcp.srcport", "tcp.dstport", "tcp.flags.syn",
          "tcp.flags.ack", "tcp.flags.reset", "tcp.window_size_value", "tcp.seq_raw",
          "icmp.type", "icmp.code", "icmpv6.type", "icmpv6.code", "dns.flags.response",
          "dns.flags.rcode", "dns.qry.name", "dns.id", "tcp.ack_raw", "tcp.len"]
MAX_BYTES = 200 * 1024


def truthy(v):
    return v in ("1", "True", "true")


class P:
    """One packet; list-valued fields keep every occurrence (ICMP errors quote headers)."""

    def __init__(self, row):
        self.f = {k: (v.split(",") if v else []) for k, v in zip(FIELDS, row)}
        self.t = float(self.first("frame.time_relative"))
        self.icmp = bool(self.f["icmp.type"] or self.f["icmpv6.type"])
        self.src = self.first("ip.src") or self.first("ipv6.src")
        self.dst = self.first("ip.dst") or self.first("ipv6.dst")
        self.ttl = int(self.first("ip.ttl") or self.first("ipv6.hlim") or -1)
        self.tcp = bool(self.f["tcp.srcport"]) and not self.icmp

    def first(self, k):
        v = self.f[k]
        return v[0] if v else ""

    def last(self, k):
        v = self.f[k]
        return v[-1] if v else ""

    def flag(self, k):
        return truthy(self.first(k))


def load(path):
    cmd = ["tshark", "-n", "-r", path, "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [P(line.split("\t")) for line in out.splitlines() if line]


class S:
    def __init__(self, pkts):
        self.pkts = pkts
        self.end = pkts[-1].t if pkts else 0.0
        tcp = [p for p in pkts if p.tcp]
        self.syn = [p for p in tcp if p.flag("tcp.flags.syn") and not p.flag("tcp.flags.ack")]
        self.synack = [p for p in tcp if p.flag("tcp.flags.syn") and p.flag("tcp.flags.ack")]
        self.rst = [p for p in tcp if p.flag("tcp.flags.reset")]
        self.unreach = [p for p in pkts if p.first("icmp.type") == "3"
                        or p.first("icmpv6.type") == "1"]
        self.arp_req = [p for p in pkts if p.first("arp.opcode") == "1"]
        self.arp_rep = [p for p in pkts if p.first("arp.opcode") == "2"]
        dns = [p for p in pkts if p.f["dns.id"] and not p.icmp]
        self.dns_q = [p for p in dns if not truthy(p.first("dns.flags.response"))]
        self.dns_r = [p for p in dns if truthy(p.first("dns.flags.response"))]
        self.zw = [p for p in tcp if p.first("tcp.window_size_value") == "0"
                   and not p.flag("tcp.flags.syn") and not p.flag("tcp.flags.reset")]

    def summary(self):
        return ("%d pkts %.1fs: SYN %d, SYN/ACK %d, RST %d, ICMP-unreach %d, ARP req %d rep %d, "
                "DNS q %d r %d, zero-win %d, max frame %d"
                % (len(self.pkts), self.end, len(self.syn), len(self.synack), len(self.rst),
                   len(self.unreach), len(self.arp_req), len(self.arp_rep), len(self.dns_q),
                   len(self.dns_r), len(self.zw),
                   max((int(p.first("frame.len")) for p in self.pkts), default=0)))


def sel(lst, src=None, dst=None, sport=None, dport=None):
    out = []
    for p in lst:
        if src and p.src != src:
            continue
        if dst and p.dst != dst:
            continue
        if sport and p.first("tcp.srcport") != str(sport):
            continue
        if dport and p.first("tcp.dstport") != str(dport):
            continue
        out.append(p)
    return out


def hops(ttl):
    for init in (32, 64, 128, 255):
        if ttl <= init:
            return init - ttl
    return -1


def zero_window_span(s, src, sport):
    """Longest time `src` kept its window at 0: first zero to the next non-zero (or end)."""
    best, start = 0.0, None
    for p in s.pkts:
        if not p.tcp or p.src != src or p.first("tcp.srcport") != str(sport):
            continue
        if p.flag("tcp.flags.syn") or p.flag("tcp.flags.reset"):
            continue
        if p.first("tcp.window_size_value") == "0":
            if start is None:
                start = p.t
        elif start is not None:
            best, start = max(best, p.t - start), None
    if start is not None:
        best = max(best, s.end - start)
    return best


SRV1, SRV2, GONE = "198.51.100.10", "198.51.100.20", "198.51.100.99"
SRV1_6, SRV2_6 = "2001:db8:b::10", "2001:db8:b::20"


def checks(name, s):
    """Yield (ok, description) pairs."""
    if name == "healthy":
        yield len(s.syn) >= 25, "≥ 25 SYNs (%d)" % len(s.syn)
        yield len(s.synack) == len(s.syn), "every SYN answered by a SYN/ACK"
        yield len(sel(s.syn, dst=SRV1_6)) >= 5, "≥ 5 IPv6 SYNs"
        yield not s.rst and not s.unreach, "no RST, no ICMP error"
        yield [p.first("dns.flags.rcode") for p in s.dns_r] == ["0"], "one DNS NOERROR answer"
        yield not s.zw, "no zero window"
    elif name == "no_response":
        syn = sel(s.syn, dst=SRV2, dport=81)
        yield len(syn) == 3 and len(s.syn) == 3, "3 SYNs to srv2:81 and nothing else (%d)" % len(syn)
        yield not s.synack and not s.rst and not s.unreach, "no SYN/ACK, RST or ICMP"
        yield syn and s.end - syn[-1].t >= 4.0, "capture ends ≥ 4 s after the last SYN"
    elif name == "refused":
        yield len(sel(s.syn, dst=SRV1, dport=82)) == 1, "1 SYN to srv1:82"
        yield len(sel(s.rst, src=SRV1, sport=82)) == 1, "1 RST from srv1:82"
        yield not sel(s.synack, src=SRV1), "no SYN/ACK from srv1 (no port of it works)"
        yield not [p for p in s.pkts if p.src == SRV1 and not p.flag("tcp.flags.reset")], \
            "srv1 sent nothing but the RST (no TTL reference: rst_from=unknown)"
        yield len(sel(s.synack, src=SRV2, sport=80)) == 1, "1 working connection to srv2:80"
    elif name in ("port_blocked", "middlebox_rst"):
        port = 6036 if name == "port_blocked" else 85
        rst = sel(s.rst, src=SRV1, sport=port)
        sa = sel(s.synack, src=SRV1, sport=80)
        yield len(rst) == 1 and len(s.rst) == 1, "1 RST from srv1:%d" % port
        yield len(sa) == 2, "2 SYN/ACKs from srv1:80"
        if rst and sa:
            same = hops(rst[0].ttl) == hops(sa[0].ttl)
            want = name == "port_blocked"
            yield same == want, "RST TTL %d vs SYN/ACK TTL %d: %s" % (
                rst[0].ttl, sa[0].ttl, "same hop distance" if want else "different hop distance")
    elif name == "admin_prohibited":
        u = [p for p in s.unreach if p.first("icmp.code") == "13"]
        yield len(u) == 1 and len(s.unreach) == 1, "1 ICMP admin-prohibited (3/13)"
        yield u and u[0].src == "192.0.2.1", "reported by 192.0.2.1"
        yield u and u[0].last("ip.dst") == SRV2 and u[0].last("tcp.dstport") == "83", \
            "quotes the SYN to srv2:83"
        yield len(s.syn) == 1 and not s.synack and not s.rst, "1 SYN, no SYN/ACK, no RST"
    elif name == "host_gone":
        u = [p for p in s.unreach if p.first("icmp.code") == "1" and p.last("ip.dst") == GONE]
        yield sorted({p.last("tcp.dstport") for p in u}) == ["443", "80"], \
            "ICMP host-unreachable for .99:80 and .99:443 (%d)" % len(u)
        yield not sel(s.synack, src=GONE) and not sel(s.rst, src=GONE), "nothing from .99"
        yield len(sel(s.synack, src=SRV1, sport=80)) == 2, "srv1:80 works (2 SYN/ACKs)"
    elif name == "client_fw_synack":
        sa = sel(s.synack, src=SRV1, sport=8080)
        yield len(sa) >= 2 and len({p.first("tcp.seq_raw") for p in sa}) == 1, \
            "SYN/ACK retransmitted with one ISN (%d)" % len(sa)
        acks = [p for p in sel([p for p in s.pkts if p.tcp], dst=SRV1, dport=8080)
                if not p.flag("tcp.flags.syn")]
        yield not acks, "no final ACK from the client"
        yield not s.rst and not s.unreach, "no RST, no ICMP"
        yield sa and s.end - sa[-1].t >= 4.0, "capture ends ≥ 4 s after the last SYN/ACK"
    elif name == "accept_then_rst":
        sa = sel(s.synack, src=SRV1, sport=8443)
        rst = sel(s.rst, src=SRV1, sport=8443)
        yield len(sa) == 1 and len(rst) == 1, "1 SYN/ACK and 1 RST from srv1:8443"
        if sa and rst:
            yield int(rst[0].first("tcp.seq_raw")) == (int(sa[0].first("tcp.seq_raw")) + 1) % 2**32, \
                "RST seq = server ISN + 1"
            yield rst[0].ttl == sa[0].ttl, "RST TTL = SYN/ACK TTL (%d)" % rst[0].ttl
    elif name == "duplicate_ip":
        macs = {p.first("arp.src.hw_mac") for p in s.arp_req + s.arp_rep
                if p.first("arp.src.proto_ipv4") == "192.0.2.50"}
        yield len(macs) == 2, "two MACs claim 192.0.2.50 (%s)" % ",".join(sorted(macs))
    elif name == "gratuitous_storm":
        g = [p for p in s.arp_req + s.arp_rep
             if p.first("arp.src.proto_ipv4") == p.first("arp.dst.proto_ipv4") == "192.0.2.60"]
        macs = {p.first("arp.src.hw_mac") for p in s.arp_req + s.arp_rep
                if p.first("arp.src.proto_ipv4") == "192.0.2.60"}
        yield len(g) >= 20, "≥ 20 gratuitous ARPs for 192.0.2.60 (%d)" % len(g)
        yield len(macs) == 1, "from one MAC"
        yield not s.syn and not s.dns_q, "no TCP, no DNS"
    elif name == "host_down":
        req = [p for p in s.arp_req if p.first("arp.dst.proto_ipv4") == "192.0.2.99"]
        yield len(req) >= 3, "≥ 3 ARP requests for 192.0.2.99 (%d)" % len(req)
        yield not [p for p in s.pkts if p.first("arp.src.proto_ipv4") == "192.0.2.99"], \
            "no ARP from 192.0.2.99"
        yield req and s.end - req[-1].t > 3.5, "capture ends > 3.5 s after the last request"
    elif name == "dns_nxdomain":
        r = [p for p in s.dns_r if p.src == "198.51.100.53"]
        yield [p.first("dns.flags.rcode") for p in r] == ["3"], "one NXDOMAIN from .53"
    elif name == "dns_noanswer":
        q = [p for p in s.dns_q if p.dst == "198.51.100.54"]
        yield len(q) == 3 and len({p.first("dns.id") for p in q}) == 1, \
            "3 queries (one id) to .54 (%d)" % len(q)
        yield not s.dns_r and not s.unreach, "no answer, no ICMP"
        yield q and s.end - q[-1].t >= 6.0, "capture ends ≥ 6 s after the last query"
    elif name == "ipv6_refused_noresponse":
        yield len(sel(s.syn, dst=SRV1_6, dport=82)) == 1, "1 SYN to [srv1]:82"
        yield len(sel(s.rst, src=SRV1_6, sport=82)) == 1, "1 RST from [srv1]:82"
        syn = sel(s.syn, dst=SRV2_6, dport=81)
        yield len(syn) == 3, "3 SYNs to [srv2]:81 (%d)" % len(syn)
        yield not s.synack and not s.unreach, "no SYN/ACK, no ICMPv6 error"
        yield syn and s.end - syn[-1].t >= 4.0, "capture ends ≥ 4 s after the last SYN"
    elif name == "zero_window":
        span = zero_window_span(s, SRV1, 9000)
        yield span >= 2.0, "srv1:9000 kept window 0 for %.2f s (≥ 2)" % span
        yield not s.rst, "no RST"
    else:
        yield False, "unknown scenario"


def main():
    name, path = sys.argv[1], sys.argv[2]
    s = S(load(path))
    size = os.path.getsize(path)
    res = list(checks(name, s))
    res.append((size < MAX_BYTES, "file < 200 KB (%d B)" % size))
    bad = [d for ok, d in res if not ok]
    print("%-24s %s %s, %d B" % (name, "OK  " if not bad else "FAIL", s.summary(), size))
    for d in bad:
        print("    failed check: %s" % d)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
