#!/usr/bin/env python3
"""Check one capture of make-misread.sh with tshark and print a one-line summary.

usage: checkmisread.py SCENARIO FILE.pcap
As checkpcap.py for make-scenarios.sh: reads the capture once with tshark and checks the facts
the scenario must show for the diagnosis in misread/expected.tsv to follow (which frames, from
whom, with which TTL, MTU, pointer, TLS alert or SNI, and the timing). Exit status 1 if a check
fails.
"""
import os
import subprocess
import sys

from checkpcap import hops, truthy

FIELDS = ["frame.time_relative", "frame.len", "ip.src", "ip.dst", "ip.ttl", "ip.len", "ip.flags.df",
          "ipv6.src", "ipv6.dst", "ipv6.hlim", "ipv6.plen", "tcp.srcport", "tcp.dstport",
          "tcp.flags.syn", "tcp.flags.ack", "tcp.flags.reset", "tcp.flags.fin", "tcp.window_size_value",
          "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "tcp.stream", "tcp.analysis.keep_alive",
          "icmp.type", "icmp.code", "icmp.mtu", "icmp.pointer", "icmpv6.type", "icmpv6.code",
          "icmpv6.mtu", "icmpv6.pointer", "udp.srcport", "udp.dstport", "dns.flags.response",
          "dns.flags.rcode", "dns.qry.name", "dns.qry.type", "dns.id", "dns.count.answers",
          "tls.record.content_type", "tls.handshake.type", "tls.handshake.extensions_server_name",
          "tls.handshake.extensions.supported_version", "tls.alert_message.level",
          "tls.alert_message.desc", "arp.opcode"]
MAX_BYTES = 400 * 1024


class P:
    """One frame; list-valued fields keep every occurrence (ICMP errors quote headers)."""

    def __init__(self, row):
        self.f = {k: (v.split(",") if v else []) for k, v in zip(FIELDS, row)}
        self.t = float(self.get("frame.time_relative"))
        self.icmp = bool(self.f["icmp.type"] or self.f["icmpv6.type"])
        self.src = self.get("ip.src") or self.get("ipv6.src")
        self.dst = self.get("ip.dst") or self.get("ipv6.dst")
        self.ttl = int(self.get("ip.ttl") or self.get("ipv6.hlim") or -1)
        self.tcp = bool(self.f["tcp.srcport"]) and not self.icmp
        self.sport = int(self.get("tcp.srcport") or self.get("udp.srcport") or -1)
        self.dport = int(self.get("tcp.dstport") or self.get("udp.dstport") or -1)
        self.len = int(self.get("tcp.len") or 0)
        self.seq = int(self.get("tcp.seq_raw") or -1)
        self.ack = int(self.get("tcp.ack_raw") or -1)
        self.stream = self.get("tcp.stream")

    def get(self, k, n=0):
        v = self.f[k]
        return v[n] if len(v) > n else ""

    def flag(self, k):
        return truthy(self.get(k))

    @property
    def syn(self):
        return self.tcp and self.flag("tcp.flags.syn") and not self.flag("tcp.flags.ack")

    @property
    def synack(self):
        return self.tcp and self.flag("tcp.flags.syn") and self.flag("tcp.flags.ack")

    @property
    def rst(self):
        return self.tcp and self.flag("tcp.flags.reset")

    @property
    def fin(self):
        return self.tcp and self.flag("tcp.flags.fin")


def load(path):
    cmd = ["tshark", "-n", "-r", path, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a",
           "-E", "aggregator=,"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [P(line.split("\t")) for line in out.splitlines() if line]


SRV1, SRV2, SCANNED = "198.51.100.10", "198.51.100.20", "198.51.100.30"
FAR, FAR_HOLE, FAR6, FAR6_HOLE = "203.0.113.130", "203.0.113.131", "2001:db8:f::130", "2001:db8:f::131"
LOOP, LOOP6 = "203.0.113.70", "2001:db8:e::70"
RTR, RTR6, RTR2, RTR2_6 = "192.0.2.1", "2001:db8:a::1", "203.0.113.2", "2001:db8:12::2"


class C:
    def __init__(self, pkts):
        self.p = pkts
        self.end = pkts[-1].t if pkts else 0.0

    def tcp(self, host=None, port=None):
        """TCP segments (not quoted in ICMP) to or from host:port."""
        return [p for p in self.p if p.tcp and (host is None or host in (p.src, p.dst))
                and (port is None or port in (p.sport, p.dport))]

    def streams(self, host, port):
        out = {}
        for p in self.tcp(host, port):
            out.setdefault(p.stream, []).append(p)
        return list(out.values())

    def icmp(self, v4type=None, v6type=None):
        return [p for p in self.p if (v4type is not None and p.get("icmp.type") == str(v4type))
                or (v6type is not None and p.get("icmpv6.type") == str(v6type))]

    def summary(self):
        tcp = [p for p in self.p if p.tcp]
        return ("%d pkts %.1fs: SYN %d, SYN/ACK %d, RST %d, data %d, ICMP errors %d, DNS %d, TLS %d"
                % (len(self.p), self.end, sum(p.syn for p in tcp), sum(p.synack for p in tcp),
                   sum(p.rst for p in tcp), sum(p.len > 0 for p in tcp),
                   len([p for p in self.p if p.icmp and p.get("icmp.type", 0) not in ("0", "8")
                        and p.get("icmpv6.type") not in ("128", "129", "135", "136")]),
                   len([p for p in self.p if p.f["dns.id"] and not p.icmp]),
                   len([p for p in self.p if p.f["tls.record.content_type"]])))


def client_side(stream, client):
    return [p for p in stream if p.src == client], [p for p in stream if p.src != client]


def tls_streams(c, host, port):
    """(sni, client hello frame, server frames) per connection to host:port."""
    out = []
    for s in c.streams(host, port):
        hello = [p for p in s if p.get("tls.handshake.type") == "1"]
        if hello:
            out.append((hello[0].get("tls.handshake.extensions_server_name"), hello[0],
                        [p for p in s if p.src == host], s))
    return out


def quoted(p, dst, dport):
    """Whether ICMP error p quotes a segment to dst:dport (the last IP destination is the quote's)."""
    qdst = p.f["ip.dst"][-1] if p.f["ip.dst"] and p.get("icmp.type") else (p.f["ipv6.dst"][-1] if p.f["ipv6.dst"] else "")
    return qdst == dst and p.dport == dport


def checks(name, c):
    """Yield (ok, description)."""
    if name == "server_overloaded":
        late = 0
        for s in c.streams(SRV1, 8001):
            sa = [p for p in s if p.synack]
            if len(sa) < 2:
                continue
            client = s[0].src
            acked = [p for p in s if p.src == client and not p.flag("tcp.flags.syn")
                     and p.ack == (sa[0].seq + 1) % 2**32 and p.t < sa[-1].t]
            data = [p for p in acked if p.len > 0]
            if acked and data and len({p.seq for p in sa}) == 1:
                late += 1
        yield late >= 2, "≥ 2 connections to srv1:8001 whose SYN/ACK was retransmitted after the client's ACK and request (%d)" % late
        queued = [s for s in c.streams(SRV1, 8001)
                  if len([p for p in s if p.synack]) == 1 and any(p.src == SRV1 and not p.synack and p.ack > 0 for p in s)]
        yield len(queued) >= 1, "≥ 1 connection accepted into the queue (one SYN/ACK, request acknowledged) (%d)" % len(queued)
        ok80 = [s for s in c.streams(SRV1, 80) if any(p.synack for p in s) and any(p.fin and p.src == SRV1 for p in s)]
        yield len(ok80) == 3, "3 connections to srv1:80 complete meanwhile (%d)" % len(ok80)
    elif name == "routing_loop":
        for reporter, typ, dst in ((RTR2, "icmp", LOOP), (RTR2_6, "icmpv6", LOOP6)):
            te = [p for p in c.icmp(11 if typ == "icmp" else None, 3 if typ == "icmpv6" else None)
                  if p.src == reporter and quoted(p, dst, 80)]
            syn = [p for p in c.tcp(dst, 80) if p.syn]
            # IPv4 fails the connect at the first one; IPv6 retransmits the SYN once (Linux)
            yield syn and len(te) == len(syn), "a time exceeded from %s for each SYN to %s:80 (%d, %d SYNs)" % (
                reporter, dst, len(te), len(syn))
            if te:
                qttl = te[0].f["ip.ttl"][-1] if typ == "icmp" else te[0].f["ipv6.hlim"][-1]
                yield qttl == "1", "the quoted %s has TTL / hop limit 1 (%s)" % (dst, qttl)
            yield not [p for p in c.tcp(dst, 80) if p.src == dst], "nothing from %s" % dst
    elif name == "parameter_problem":
        for v, typ, reporter, dst, code, pointer in ((4, 12, RTR2, FAR, "0", "23"), (6, 4, RTR6, FAR6, "2", "42")):
            syn = [p for p in c.tcp(dst, 9001) if p.syn]
            pp = c.icmp(typ, None) if v == 4 else c.icmp(None, typ)
            field = "icmp" if v == 4 else "icmpv6"
            yield syn and len(pp) == len(syn) and all(
                p.src == reporter and quoted(p, dst, 9001) and p.get(field + ".code") == code
                and p.get(field + ".pointer") == pointer for p in pp), \
                "a parameter problem code %s pointer %s from %s for each SYN to %s:9001 (%d, %d SYNs)" % (
                    code, pointer, reporter, dst, len(pp), len(syn))
        yield not [p for p in c.tcp() if p.synack], "no SYN/ACK"
    elif name == "content_filter_http":
        streams = c.streams(SRV2, 8080)
        yield len(streams) == 2, "2 connections to srv2:8080 (%d)" % len(streams)
        ref = [p for p in c.tcp(SRV2, 8080) if p.synack]
        for s in streams:
            cl, sv = client_side(s, s[0].src)
            req = [p for p in cl if p.len > 0]
            rst = [p for p in sv if p.rst]
            if rst:
                yield req and rst[0].t - req[0].t < 0.1, "the RST follows the request within 0.1 s"
                yield ref and hops(rst[0].ttl) != hops(ref[0].ttl), \
                    "RST TTL %d vs SYN/ACK TTL %d: another hop distance (the router)" % (rst[0].ttl, ref[0].ttl)
                yield req and rst[0].seq == req[0].ack, "the RST is in the server's sequence space"
                yield not [p for p in sv if p.len > 0], "no server data before the RST"
            else:
                yield [p for p in sv if p.len > 0] and [p for p in sv if p.fin], "the allowed request is answered"
        yield len([p for p in c.tcp(SRV2, 8080) if p.rst]) == 1, "exactly one RST"
    elif name in ("tls_protocol_version", "tls_unrecognized_name", "tls_sni_filter"):
        host, port, bad, alert = {"tls_protocol_version": (SRV1, 4433, None, "70"),
                                  "tls_unrecognized_name": (SRV1, 4434, "unknown.example.test", "112"),
                                  "tls_sni_filter": (SRV2, 443, "blocked.example.test", None)}[name]
        ts = tls_streams(c, host, port)
        yield len(ts) == 2, "2 ClientHellos to %s:%d (%d)" % (host, port, len(ts))
        ref = [p for p in c.tcp(host, port) if p.synack]
        failed = 0
        for sni, hello, server, s in ts:
            versions = hello.f["tls.handshake.extensions.supported_version"]
            refused = (bad is not None and sni == bad) or (bad is None and "0x0304" not in versions)
            sh = [p for p in server if "2" in p.f["tls.handshake.type"]]
            fatal = [p for p in server if p.get("tls.alert_message.level") == "2"]
            rst = [p for p in server if p.rst]
            if not refused:
                yield sh and not fatal and not rst, "%s: ServerHello, no fatal alert, no RST" % (sni or "no SNI")
                continue
            failed += 1
            yield not sh, "%s: no ServerHello" % sni
            if alert:
                yield fatal and fatal[0].get("tls.alert_message.desc") == alert and fatal[0].t > hello.t, \
                    "%s: a fatal alert %s answers the ClientHello" % (sni, alert)
                yield fatal and ref and hops(fatal[0].ttl) == hops(ref[0].ttl), "the alert comes from the server's hop distance"
            else:
                yield rst and rst[0].t - hello.t < 0.1, "%s: a RST within 0.1 s of the ClientHello" % sni
                yield rst and ref and hops(rst[0].ttl) != hops(ref[0].ttl), \
                    "RST TTL %s vs SYN/ACK TTL %s: another hop distance (the router)" % (rst and rst[0].ttl, ref and ref[0].ttl)
        yield failed == 1, "one refused handshake (%d)" % failed
    elif name == "mtu_icmp":
        fn = [p for p in c.icmp(3) if p.get("icmp.code") == "4"]
        yield fn and all(p.src == RTR and p.get("icmp.mtu") == "1400" and quoted(p, FAR, 9001) for p in fn), \
            "fragmentation needed, next-hop MTU 1400, from rtr, quoting the upload to far (%d)" % len(fn)
        yield fn and fn[0].f["ip.len"][-1] == "1500", "the quoted segment was 1500 bytes"
        ptb = c.icmp(None, 2)
        yield ptb and all(p.src == RTR6 and p.get("icmpv6.mtu") == "1400" and quoted(p, FAR6, 9001) for p in ptb), \
            "packet too big, MTU 1400, from rtr, quoting the upload to [far] (%d)" % len(ptb)
        for host in (FAR, FAR6):
            up = [p for p in c.tcp(host, 9001) if p.dst == host and p.len > 0]
            yield up and max(p.len for p in up) > 1360, "full-size segments to %s first" % host
            yield up and up[-1].len <= 1348, "smaller segments to %s after the ICMP" % host
            yield [p for p in c.tcp(host, 9001) if p.src == host and p.fin], "the upload to %s completes" % host
    elif name == "mtu_blackhole":
        yield not c.icmp(3, 2), "no ICMP error gets through"
        for host in (FAR_HOLE, FAR6_HOLE):
            s = c.tcp(host, 9001)
            up = [p for p in s if p.dst == host and p.len > 0]
            acks = [p.ack for p in s if p.src == host and p.flag("tcp.flags.ack")]
            small = [p for p in up if p.len < 400]
            full = [p for p in up if p.len > 1360]
            counts = {}
            for p in full:
                counts[p.seq] = counts.get(p.seq, 0) + 1
            first_full = min((p.seq for p in full), default=-1)
            yield small and acks and max(acks) >= small[0].seq + small[0].len, \
                "the %d-byte request to %s is acknowledged" % (small[0].len if small else 0, host)
            yield counts and max(counts.values()) >= 3, \
                "a full-size segment to %s sent ≥ 3 times (%s)" % (host, max(counts.values(), default=0))
            yield acks and max(acks) <= first_full, "no full-size segment to %s is ever acknowledged" % host
            yield [p for p in s if p.rst and p.dst == host], "the client resets the connection to %s at the end" % host
    elif name == "slow_connect":
        syn = [p for p in c.tcp(SRV2, 8082) if p.syn]
        sa = [p for p in c.tcp(SRV2, 8082) if p.synack]
        yield len(syn) == 2 and syn[0].seq == syn[1].seq, "2 SYNs (one ISN) to srv2:8082 (%d)" % len(syn)
        yield len(syn) == 2 and syn[1].t - syn[0].t >= 0.9, "the retransmission ≥ 0.9 s later"
        yield len(sa) == 1 and len(syn) == 2 and sa[0].t > syn[1].t, "one SYN/ACK, after the retransmission"
        yield len([p for p in c.tcp(SRV2, 80) if p.syn]) == 1 and [p for p in c.tcp(SRV2, 80) if p.synack], \
            "srv2:80 answers its first SYN"
    elif name == "dns_aaaa_noanswer":
        dns = [p for p in c.p if p.f["dns.id"] and not p.icmp]
        a_q = [p for p in dns if p.get("dns.qry.type") == "1" and not truthy(p.get("dns.flags.response"))]
        a_r = [p for p in dns if p.get("dns.qry.type") == "1" and truthy(p.get("dns.flags.response"))]
        aaaa_q = [p for p in dns if p.get("dns.qry.type") == "28" and not truthy(p.get("dns.flags.response"))]
        aaaa_r = [p for p in dns if p.get("dns.qry.type") == "28" and truthy(p.get("dns.flags.response"))]
        yield a_q and a_r and all(p.get("dns.flags.rcode") == "0" and p.get("dns.count.answers") != "0" for p in a_r), \
            "A ok.example.test answered with an address (%d queries, %d answers)" % (len(a_q), len(a_r))
        yield len(aaaa_q) >= 2 and not aaaa_r, "AAAA asked ≥ 2 times, never answered (%d)" % len(aaaa_q)
        yield aaaa_q and aaaa_q[-1].t - aaaa_q[0].t >= 1.5, "the client waited (first to last AAAA query %.1f s)" % (
            aaaa_q[-1].t - aaaa_q[0].t if aaaa_q else 0)
        yield aaaa_q and c.end - aaaa_q[-1].t >= 6.0, "capture ends ≥ 6 s after the last AAAA query"
    elif name == "zero_window_rst":
        s = c.tcp(SRV1, 9002)
        zero = [p for p in s if p.src == SRV1 and p.get("tcp.window_size_value") == "0" and not p.rst]
        rst = [p for p in s if p.rst and p.src == SRV1]
        sa = [p for p in s if p.synack]
        data = [p for p in s if p.dst == SRV1 and p.len > 0]
        reopened = [p for p in s if p.src == SRV1 and zero and p.t > zero[0].t and not p.rst
                    and p.get("tcp.window_size_value") != "0"]
        yield zero and rst and not reopened and rst[0].t - zero[0].t >= 2.0, \
            "srv1:9002 keeps window 0 >= 2 s, until its RST"
        yield len(rst) == 1 and sa and rst[0].ttl == sa[0].ttl, "one RST from srv1, its own TTL"
        yield rst and sa and rst[0].seq == (sa[0].seq + 1) % 2**32, "RST seq = server ISN + 1 (the server sent no data)"
        yield data and rst and rst[0].t > data[0].t, "the client had sent data before the RST"
    elif name == "healthy_keepalive":
        s = c.tcp(SRV1, 9003)
        probes = [p for p in s if p.f["tcp.analysis.keep_alive"]]
        yield len(probes) >= 3, "≥ 3 keep-alive probes (%d)" % len(probes)
        yield not [p for p in s if p.rst], "no RST"
        yield len([p for p in s if p.fin]) == 2, "closed with FIN both ways"
    elif name == "healthy_abortive":
        c3, c4 = c.tcp(SRV1, 9003), c.tcp(SRV1, 9004)
        r3 = [p for p in c3 if p.rst]
        r4 = [p for p in c4 if p.rst and p.src == SRV1]
        yield len(r3) == 1 and r3[0].src != SRV1 and any(p.src == SRV1 and p.len > 0 and p.t < r3[0].t for p in c3), \
            "the client resets srv1:9003 after its reply"
        yield r4 and any(p.src == SRV1 and p.len > 0 and p.t < r4[0].t for p in c4), "srv1:9004 resets after its reply"
    elif name == "healthy_timewait_reuse":
        syn = [p for p in c.tcp(SRV1, 9005) if p.syn]
        yield len(syn) == 2 and syn[0].sport == syn[1].sport == 45678, "2 SYNs from port 45678"
        yield len(syn) == 2 and syn[0].seq != syn[1].seq, "new ISN"
        fins = [p for p in c.tcp(SRV1, 9005) if p.fin and len(syn) == 2 and p.t < syn[1].t]
        yield len(fins) == 2 and syn[1].t - fins[-1].t < 1.0, "the second SYN < 1 s after the first connection's FINs"
        yield len([p for p in c.tcp(SRV1, 9005) if p.synack]) == 2, "both answered"
        yield not [p for p in c.tcp(SRV1, 9005) if p.rst], "no RST"
    elif name == "healthy_echo_blocked":
        echo = [p for p in c.p if p.get("icmp.type") == "8" and p.dst == SRV1]
        yield len(echo) == 3 and not [p for p in c.p if p.get("icmp.type") == "0"], "3 echo requests, no reply"
        yield not c.icmp(3, 1), "no ICMP error"
        yield len([p for p in c.tcp(SRV1, 80) if p.synack]) == 2, "2 TCP handshakes to srv1:80"
    elif name == "healthy_download":
        s = c.tcp(SRV1, 9006)
        down = sum(p.len for p in s if p.src == SRV1)
        yield down >= 1024 * 1024, "≥ 1 MiB from srv1:9006 (%d)" % down
        yield not [p for p in s if p.rst] and not c.icmp(3, 2), "no RST, no ICMP"
        yield not [p for p in s if p.get("tcp.window_size_value") == "0" and not p.syn], "no zero window"
    elif name == "healthy_tcp_traceroute":
        syn = [p for p in c.tcp(SRV1, 80) if p.syn]
        te = [p for p in c.icmp(11) if p.src == RTR and quoted(p, SRV1, 80)]
        yield len(syn) == 3 and syn[0].ttl == 1 and all(p.ttl < 32 for p in syn), \
            "3 SYNs to srv1:80, TTL 1 first, all below 32 (%s)" % [p.ttl for p in syn]
        yield len(c.p) - 2 == len(c.tcp()) + len(c.icmp(11)), "nothing else (no name lookups)"
        yield len(te) == 1 and te[0].f["ip.ttl"][-1] in ("0", "1"), "one time exceeded from rtr for the TTL 1 probe"
        yield len({p.sport for p in syn}) == 3, "each probe from its own port"
        yield len([p for p in c.tcp(SRV1, 80) if p.synack]) == 2, "srv1 answers the other two"
    elif name == "port_scan_filtered":
        syn = [p for p in c.tcp(SCANNED) if p.syn]
        yield len({p.dport for p in syn}) == 20 and len(syn) == 60, "20 ports x 3 SYNs (%d)" % len(syn)
        yield not [p for p in c.p if p.src == SCANNED] and not c.icmp(3, 1), "no answer, no ICMP"
        yield syn and c.end - max(p.t for p in syn) >= 4.0, "capture ends ≥ 4 s after the last SYN"
    else:
        yield False, "unknown scenario"


def main():
    name, path = sys.argv[1], sys.argv[2]
    c = C(load(path))
    size = os.path.getsize(path)
    res = [(bool(ok), d) for ok, d in checks(name, c)]
    res.append((size < MAX_BYTES, "file < 400 KB (%d B)" % size))
    bad = [d for ok, d in res if not ok]
    print("%-24s %s %s, %d B" % (name, "OK  " if not bad else "FAIL", c.summary(), size))
    for d in bad:
        print("    failed check: %s" % d)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
