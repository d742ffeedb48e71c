#!/usr/bin/env python3
"""Check one site scenario capture with tshark and print a one-line summary.

usage: checksite.py SCENARIO FILE.pcap
Reads the capture once with tshark (as checkpcap.py does for the TCP scenarios), counts what
the site checks look at (LLDP, CDP, DHCP by message type, ARP, neighbour discovery by type,
EAPOL and EAP by code) and checks the facts the scenario must contain for the site facts and
diagnoses of site-expected.tsv to follow, including the timing a rule needs (the capture's
last packet is the end of a replay, so it must lie long enough after the last unanswered
request). Exit status 1 if a check fails.
"""
import os
import subprocess
import sys

FIELDS = ["frame.time_relative", "frame.len", "frame.protocols", "eth.src", "eth.dst", "_ws.malformed",
          "arp.opcode", "arp.src.hw_mac", "arp.src.proto_ipv4", "arp.dst.proto_ipv4",
          "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "ipv6.hlim",
          "tcp.flags.syn", "tcp.flags.ack", "tcp.flags.reset",
          "lldp.tlv.system.name", "lldp.port.id", "lldp.time_to_live", "lldp.ieee.802_1.port_vlan.id",
          "lldp.media.app_type", "lldp.media.vlan_id", "lldp.mgn.addr.ip4",
          "cdp.version", "cdp.deviceid", "cdp.portid", "cdp.platform",
          "dhcp.option.dhcp", "dhcp.hw.mac_addr", "dhcp.id", "dhcp.option.dhcp_server_id", "dhcp.ip.your",
          "dhcp.option.router", "dhcp.option.domain_name_server", "dhcp.option.ip_address_lease_time",
          "dhcp.option.message", "dhcp.option.requested_ip_address",
          "icmpv6.type", "icmpv6.nd.ns.target_address", "icmpv6.nd.na.target_address", "icmpv6.opt.prefix",
          "icmpv6.nd.ra.router_lifetime", "icmpv6.opt.linkaddr",
          "eapol.type", "eap.code", "eap.type", "eap.identity"]
MAX_BYTES = 200 * 1024

CL, CL2, IGN, STALE = "02:00:00:00:00:10", "02:00:00:00:00:11", "02:00:00:00:00:21", "02:00:00:00:00:22"
GW8 = "02:00:00:00:00:08"
AUTOIP, GWG, NOSUP = "02:00:00:00:00:24", "02:00:00:00:00:25", "02:00:00:00:00:26"
OWNER6, DAD, ROGUE6, SW = "02:00:00:00:00:50", "02:00:00:00:00:51", "02:00:00:00:00:66", "02:00:00:00:bb:01"
DHCP_TYPES = {"1": "DISCOVER", "2": "OFFER", "3": "REQUEST", "4": "DECLINE", "5": "ACK", "6": "NAK",
              "7": "RELEASE", "8": "INFORM"}


class P:
    """One packet; list-valued fields keep every occurrence."""

    def __init__(self, row):
        self.f = {k: (v.split("|") if v else []) for k, v in zip(FIELDS, row)}
        self.t = float(self.first("frame.time_relative"))
        self.protocols = self.first("frame.protocols").split(":")
        self.src = self.first("ip.src") or self.first("ipv6.src")
        self.dst = self.first("ip.dst") or self.first("ipv6.dst")

    def first(self, k):
        v = self.f[k]
        return v[0] if v else ""

    def has(self, proto):
        return proto in self.protocols


def load(path):
    cmd = ["tshark", "-n", "-r", path, "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=a", "-E", "aggregator=|"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [P(line.split("\t")) for line in out.splitlines() if line]


class S:
    def __init__(self, pkts):
        self.pkts = pkts
        self.end = pkts[-1].t if pkts else 0.0
        self.lldp = [p for p in pkts if p.has("lldp")]
        self.cdp = [p for p in pkts if p.has("cdp")]
        self.dhcp = [p for p in pkts if p.has("dhcp")]
        self.arp_req = [p for p in pkts if p.first("arp.opcode") == "1"]
        self.arp_rep = [p for p in pkts if p.first("arp.opcode") == "2"]
        nd = [p for p in pkts if p.first("icmpv6.type") in ("133", "134", "135", "136", "137")]
        self.rs = [p for p in nd if p.first("icmpv6.type") == "133"]
        self.ra = [p for p in nd if p.first("icmpv6.type") == "134"]
        self.ns = [p for p in nd if p.first("icmpv6.type") == "135"]
        self.na = [p for p in nd if p.first("icmpv6.type") == "136"]
        self.eapol = [p for p in pkts if p.has("eapol")]
        self.syn = [p for p in pkts if p.first("tcp.flags.syn") in ("1", "True")
                    and p.first("tcp.flags.ack") not in ("1", "True")]
        self.synack = [p for p in pkts if p.first("tcp.flags.syn") in ("1", "True")
                       and p.first("tcp.flags.ack") in ("1", "True")]
        self.rst = [p for p in pkts if p.first("tcp.flags.reset") in ("1", "True")]
        self.malformed = [p for p in pkts if p.f["_ws.malformed"]]

    def dhcp_of(self, kind, mac=None):
        return [p for p in self.dhcp if DHCP_TYPES.get(p.first("dhcp.option.dhcp")) == kind
                and (mac is None or p.first("dhcp.hw.mac_addr") == mac)]

    def eap(self, code, mac=None, to=None):
        names = {"Request": "1", "Response": "2", "Success": "3", "Failure": "4"}
        return [p for p in self.eapol if p.first("eap.code") == names[code]
                and (mac is None or p.first("eth.src") == mac) and (to is None or p.first("eth.dst") == to)]

    def summary(self):
        dhcp = {}
        for p in self.dhcp:
            k = DHCP_TYPES.get(p.first("dhcp.option.dhcp"), "?")
            dhcp[k] = dhcp.get(k, 0) + 1
        eap = {}
        for p in self.eapol:
            k = {"1": "Req", "2": "Resp", "3": "Success", "4": "Failure"}.get(p.first("eap.code"),
                                                                            "type%s" % p.first("eapol.type"))
            eap[k] = eap.get(k, 0) + 1
        return ("%d pkts %.1fs: LLDP %d, CDP %d, DHCP %s, ARP req %d rep %d, RS %d RA %d NS %d NA %d, "
                "EAPOL %s, SYN %d SYN/ACK %d RST %d, max frame %d"
                % (len(self.pkts), self.end, len(self.lldp), len(self.cdp),
                   ",".join("%s=%d" % kv for kv in sorted(dhcp.items())) or "0",
                   len(self.arp_req), len(self.arp_rep), len(self.rs), len(self.ra), len(self.ns), len(self.na),
                   ",".join("%s=%d" % kv for kv in sorted(eap.items())) or "0",
                   len(self.syn), len(self.synack), len(self.rst),
                   max((int(p.first("frame.len")) for p in self.pkts), default=0)))


def unanswered_arp(s, target):
    req = [p for p in s.arp_req if p.first("arp.dst.proto_ipv4") == target
           and p.first("arp.src.proto_ipv4") not in ("0.0.0.0", target)]
    answered = [p for p in s.pkts if p.first("arp.src.proto_ipv4") == target]
    return req, answered


def healthy_lease(s, mac, address):
    """A DISCOVER/OFFER/REQUEST/ACK of mac from 192.0.2.2 for address."""
    yield len(s.dhcp_of("DISCOVER", mac)) >= 1, "%s: DISCOVER" % mac
    offers = [p for p in s.dhcp_of("OFFER") if p.first("dhcp.ip.your") == address]
    yield offers and offers[0].first("dhcp.option.dhcp_server_id") == "192.0.2.2", \
        "%s: OFFER of %s from 192.0.2.2" % (mac, address)
    acks = [p for p in s.dhcp_of("ACK") if p.first("dhcp.ip.your") == address]
    yield len(acks) == 1, "%s: one ACK for %s (%d)" % (mac, address, len(acks))
    if acks:
        a = acks[0]
        yield a.first("dhcp.option.router") in ("192.0.2.1", "192.0.2.9"), "ACK names a router"
        yield a.first("dhcp.option.domain_name_server") == "192.0.2.2", "ACK names DNS 192.0.2.2"
        yield a.first("dhcp.option.ip_address_lease_time") == "3600", "ACK lease 3600 s"


def no_stray_arp(s):
    """No ARP request left unanswered but those the scenario means (host_down noise)."""
    stray = {}
    for p in s.arp_req:
        tgt, src = p.first("arp.dst.proto_ipv4"), p.first("arp.src.proto_ipv4")
        if src in ("0.0.0.0", tgt):
            continue
        if not [q for q in s.pkts if q.first("arp.src.proto_ipv4") == tgt]:
            stray[tgt] = stray.get(tgt, 0) + 1
    return stray


def checks(name, s):
    """Yield (ok, description) pairs."""
    stray = no_stray_arp(s)
    if name not in ("gateway_gone", "gateway_gone_traffic"):
        yield not stray, "no unanswered ARP request (%s)" % stray
    yield not s.malformed, "no frame tshark calls malformed (%d)" % len(s.malformed)
    if name == "site_healthy":
        yield len(s.lldp) >= 3 and len(s.cdp) >= 3, "LLDP and CDP re-sent (%d, %d)" % (len(s.lldp), len(s.cdp))
        yield all(p.first("lldp.time_to_live") == "120" for p in s.lldp), "every LLDPDU with TTL 120"
        yield len(s.eap("Success", to=CL)) == 1 and not s.eap("Failure"), "alice authenticated, no failure"
        yield from healthy_lease(s, CL, "192.0.2.10")
        yield len(s.rs) >= 1 and len(s.ra) >= 2, "RS and RAs (%d, %d)" % (len(s.rs), len(s.ra))
        yield len(s.syn) >= 5 and len(s.synack) == len(s.syn) and not s.rst, "TCP: every SYN answered"
    elif name == "switch_lldp":
        yield len(s.lldp) >= 3 and not s.cdp, "LLDP re-sent, no CDP (%d)" % len(s.lldp)
        p = s.lldp[0] if s.lldp else None
        yield p and p.first("lldp.tlv.system.name") == "sw-3f-access-01", "system name"
        yield p and p.first("lldp.port.id") == "Gi1/0/12", "port ID"
        yield p and p.first("lldp.ieee.802_1.port_vlan.id") == "10", "PVID 10"
        yield p and "20" in p.f["lldp.media.vlan_id"], "LLDP-MED voice VLAN 20"
        yield p and p.first("lldp.mgn.addr.ip4") == "192.0.2.3", "management address"
        yield all(q.first("lldp.time_to_live") == "120" for q in s.lldp), "no TTL 0 (shutdown) LLDPDU"
    elif name == "switch_cdp":
        yield len(s.cdp) >= 3 and not s.lldp, "CDP re-sent, no LLDP (%d)" % len(s.cdp)
        p = s.cdp[0] if s.cdp else None
        yield p and p.first("cdp.version") == "2", "CDPv2"
        yield p and p.first("cdp.deviceid") == "sw-3f-access-01", "device ID"
        yield p and p.first("cdp.portid") == "GigabitEthernet1/0/12", "port ID"
        yield p and p.first("cdp.platform") == "WS-C3560CX-12PC", "platform"
    elif name == "dhcp_healthy":
        yield from healthy_lease(s, CL, "192.0.2.10")
        yield len(s.dhcp) == 4, "exactly one exchange (%d DHCP)" % len(s.dhcp)
        yield len(s.synack) == 2, "2 connections through the gateway"
    elif name == "dhcp_ignored":
        d = s.dhcp_of("DISCOVER", IGN)
        yield len(d) == 3 and len({p.first("dhcp.id") for p in d}) == 1, "3 DISCOVERs, one xid, from ign (%d)" % len(d)
        yield not [p for p in s.dhcp_of("OFFER") if p.first("dhcp.hw.mac_addr") == IGN], "no OFFER to ign"
        yield d and s.end - d[-1].t >= 4.0, "capture ends >= 4 s after the last DISCOVER"
        yield from healthy_lease(s, CL2, "192.0.2.11")
    elif name == "dhcp_nak_stale":
        r = s.dhcp_of("REQUEST", STALE)
        yield r and r[0].first("dhcp.option.requested_ip_address") == "198.51.100.77", "REQUEST for the stale lease"
        n = s.dhcp_of("NAK")
        yield len(n) == 1 and n[0].first("dhcp.option.dhcp_server_id") == "192.0.2.2", "one NAK from 192.0.2.2"
        yield n and n[0].first("dhcp.option.message") != "", "the NAK says why (%s)" % (
            n[0].first("dhcp.option.message") if n else "")
        yield from healthy_lease(s, STALE, "192.0.2.22")
    elif name == "dhcp_rogue":
        servers = {p.first("dhcp.option.dhcp_server_id") for p in s.dhcp_of("OFFER")}
        yield servers == {"192.0.2.2", "192.0.2.254"}, "OFFERs from two servers (%s)" % sorted(servers)
        acks = {p.first("dhcp.option.dhcp_server_id") for p in s.dhcp_of("ACK")}
        yield acks == {"192.0.2.2"} and len(s.dhcp_of("ACK")) == 2, "both leases from 192.0.2.2"
        rogue = [p for p in s.dhcp_of("OFFER") if p.first("dhcp.option.dhcp_server_id") == "192.0.2.254"]
        yield len(rogue) == 2 and all(p.first("dhcp.option.router") == "192.0.2.254" for p in rogue), \
            "the rogue offers itself as the router, twice"
    elif name == "no_address":
        probes = [p for p in s.arp_req if p.first("arp.src.hw_mac") == AUTOIP
                  and p.first("arp.src.proto_ipv4") == "0.0.0.0"]
        claims = [p for p in s.arp_req if p.first("arp.src.proto_ipv4") == "169.254.77.10"]
        yield len(probes) >= 3 and len(claims) >= 2, "ARP probes and announcements (%d, %d)" % (len(probes), len(claims))
        yield [p for p in s.pkts if p.first("ip.src") == "169.254.77.10"], "IP traffic from 169.254.77.10"
        yield not s.dhcp, "no DHCP in the capture"
    elif name == "gateway_gone":
        yield from healthy_lease(s, GWG, "192.0.2.25")
        ack = [p for p in s.dhcp_of("ACK") if p.first("dhcp.ip.your") == "192.0.2.25"]
        yield ack and ack[0].first("dhcp.option.router") == "192.0.2.9", "gwg's router is 192.0.2.9"
        req, answered = unanswered_arp(s, "192.0.2.9")
        yield len(req) >= 3 and not answered, "≥ 3 unanswered ARP requests for 192.0.2.9 (%d)" % len(req)
        yield req and s.end - req[-1].t > 3.5, "capture ends > 3.5 s after the last"
        yield list(stray) == ["192.0.2.9"], "no other unanswered ARP (%s)" % stray
        yield len(s.synack) == 2, "cl's 2 connections through 192.0.2.1 work"
    elif name == "gateway_gone_traffic":
        yield not s.dhcp_of("ACK"), "no DHCP: gwt's gateway is known only from its traffic"
        to_gw = {p.first("ip.dst") for p in s.syn if p.first("eth.dst") == GW8 and p.first("ip.src") == "192.0.2.27"}
        yield {"203.0.113.1", "203.0.113.2", "203.0.113.3"} <= to_gw, "gwt's SYNs to 3 addresses go to gw8's MAC (%s)" % sorted(to_gw)
        yield [p for p in s.pkts if p.first("arp.src.proto_ipv4") == "192.0.2.8" and p.first("eth.src") == GW8], \
            "gw8 answered ARP for 192.0.2.8 before it left"
        gone = [p for p in s.arp_req if p.first("arp.dst.proto_ipv4") == "192.0.2.8" and s.syn and p.t > s.syn[0].t]
        yield len(gone) >= 3, "≥ 3 ARP requests for 192.0.2.8 after gw8 left (%d)" % len(gone)
        yield gone and s.end - gone[-1].t > 3.5, "capture ends > 3.5 s after the last"
        yield len([p for p in s.synack if p.first("ip.src") == "198.51.100.10"]) == 2, "cl's 2 connections through 192.0.2.1 work"
    elif name == "ipv6_router":
        yield len(s.rs) == 1 and len(s.ra) >= 2, "an RS and RAs (%d, %d)" % (len(s.rs), len(s.ra))
        yield all(p.first("ipv6.src") == "fe80::ff:fe00:bb01" for p in s.ra), "every RA from the switch"
        yield all(p.first("icmpv6.opt.prefix") == "2001:db8:a::" for p in s.ra), "prefix 2001:db8:a::/64"
        yield all(p.first("icmpv6.nd.ra.router_lifetime") == "1800" for p in s.ra), "router lifetime 1800 s"
        dad = [p for p in s.ns if p.first("ipv6.src") == "::"]
        yield len(dad) >= 1, "DAD probes of the client (%d), unanswered: no conflict" % len(dad)
        # An NA for a probed address from another MAC answers the probe (a conflict); the client's
        # own NA for it, later (a neighbour, e.g. the router, solicited it), does not.
        probers = {(q.first("icmpv6.nd.ns.target_address"), q.first("eth.src")) for q in dad}
        yield not [p for p in s.na if any(p.first("icmpv6.nd.na.target_address") == t and p.first("eth.src") != m
                                          for t, m in probers)], "no NA from another MAC answers a DAD probe"
        yield len(s.synack) == 2, "2 IPv6 connections"
    elif name == "ipv6_rogue_router":
        src = {p.first("ipv6.src") for p in s.ra}
        yield src == {"fe80::ff:fe00:bb01", "fe80::ff:fe00:66"}, "RAs from two routers (%s)" % sorted(src)
        rogue = [p for p in s.ra if p.first("ipv6.src") == "fe80::ff:fe00:66"]
        yield rogue and all(p.first("icmpv6.opt.prefix") == "2001:db8:bad::" for p in rogue), "the rogue's prefix"
        yield len(rogue) >= 2, "the rogue re-sends (%d)" % len(rogue)
    elif name == "ipv6_host_down":
        ns = [p for p in s.ns if p.first("icmpv6.nd.ns.target_address") == "2001:db8:a::99"]
        yield len(ns) == 3, "3 NS for 2001:db8:a::99 (%d)" % len(ns)
        yield not [p for p in s.na if p.first("icmpv6.nd.na.target_address") == "2001:db8:a::99"], "unanswered"
        yield ns and s.end - ns[-1].t > 3.5, "capture ends > 3.5 s after the last"
        r = [p for p in s.ns if p.first("icmpv6.nd.ns.target_address") == "2001:db8:a::1"]
        yield r and [p for p in s.na if p.first("icmpv6.nd.na.target_address") == "2001:db8:a::1"], \
            "the router's NS answered"
        yield len(s.synack) == 1, "1 IPv6 connection through the router"
    elif name == "ipv6_dad_conflict":
        dad = [p for p in s.ns if p.first("ipv6.src") == "::" and
               p.first("icmpv6.nd.ns.target_address") == "2001:db8:a::50"]
        yield len(dad) >= 1 and dad[0].first("eth.src") == DAD, "DAD probe for 2001:db8:a::50 from the prober"
        na = [p for p in s.na if p.first("icmpv6.nd.na.target_address") == "2001:db8:a::50"]
        yield len(na) == 1 and na[0].first("eth.src") == OWNER6, "the owner's NA answers it"
        yield na and dad and na[0].t > dad[0].t, "after the probe"
    elif name == "dot1x_failure":
        f = s.eap("Failure", to=CL)
        yield len(f) == 2, "two EAP-Failures for alice's device (%d)" % len(f)
        ids = {p.first("eap.identity") for p in s.eap("Response", mac=CL) if p.first("eap.type") == "1"}
        yield ids == {"alice"}, "identity alice (%s)" % ids
        yield len(s.eap("Success", to=CL2)) == 1 and not s.eap("Success", to=CL), "bob authenticated, alice not"
    elif name == "dot1x_fail_then_ok":
        f, ok = s.eap("Failure", to=CL), s.eap("Success", to=CL)
        yield len(f) == 1 and len(ok) == 1 and f[0].t < ok[0].t, "a Failure, then a Success"
    elif name == "dot1x_no_supplicant":
        req = [p for p in s.eap("Request", to=NOSUP) if p.first("eap.type") == "1"]
        yield len(req) >= 3, "≥ 3 Request/Identity to nosup (%d)" % len(req)
        yield not [p for p in s.eapol if p.first("eth.src") == NOSUP], "no EAPOL from nosup"
        yield len(s.dhcp_of("DISCOVER", NOSUP)) >= 3 and not s.dhcp_of("OFFER"), "its DISCOVERs, no OFFER"
        yield req and s.end - req[-1].t >= 6.0, "capture ends ≥ 6 s after the last request"
    else:
        yield False, "unknown scenario"


def main():
    name, path = sys.argv[1], sys.argv[2]
    s = S(load(path))
    size = os.path.getsize(path)
    res = [(bool(ok), d) for ok, d in checks(name, s)]
    res.append((size < MAX_BYTES, "file < 200 KB (%d B)" % size))
    bad = [d for ok, d in res if not ok]
    print("%-22s %s %s, %d B" % (name, "OK  " if not bad else "FAIL", s.summary(), size))
    for d in bad:
        print("    failed check: %s" % d)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
