#!/usr/bin/env python3
"""Independent oracle for golden.tsv: applies docs/diagnosis-rules.md to tshark output.

Not the engine, not shared with it: reads packets with tshark (fields only) and implements the
rules as written, with the readings documented in RULE-NOTES.md (R-numbers below).
Usage: oracle.py FILE [--verbose]
Prints one line per diagnosis: kind server_ip server_port count evidence
DHCP kinds (dhcp_failure, dhcp_rogue_server, no_address, host_down role gateway) from tshark's dhcp.* fields.
Not implemented: the diagnose.max-host-down cap (prints every qualifying host_down), table_full,
zero_window client/server sides (prints the advertiser), summaries. Needs tshark on PATH.
"""
import subprocess, sys, collections

SYN_TIMEOUT = 3.0
SYNACK_TIMEOUT = 3.0
LINGER = 75.0
DNS_TIMEOUT = 5.0
ARP_TIMEOUT = 3.0
ARP_MIN = 3
HOST_MIN = 2
MAX_PORTS = 8
ZW_MIN = 2.0
SLOW_MIN = 0.2            # slow_connect: first SYN to SYN/ACK at least this long
PROBE_TTL = 32            # a SYN with a TTL below this at the tap is a traceroute probe, not an attempt
OVERLOAD_WINDOW = 60.0    # server_overloaded: two SYN/ACKs after the client's ACK and data within this
OVERLOAD_FOLD = 10.0      # ... and the port's no_response up to this long after the last one folds in
DHCP_MIN = 3              # dhcp.min-attempts
DHCP_TIMEOUT = 4.0        # dhcp.timeout
DHCP_NAK_WINDOW = 60.0    # dhcp.nak-window

FIELDS = ["frame.number", "frame.time_epoch", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
          "ip.ttl", "ipv6.hlim", "tcp.srcport", "tcp.dstport", "tcp.flags", "tcp.seq_raw",
          "tcp.ack_raw", "tcp.window_size_value", "tcp.len", "icmp.type", "icmp.code",
          "icmpv6.type", "icmpv6.code", "udp.srcport", "udp.dstport", "dns.id",
          "dns.flags.response", "dns.flags.rcode", "dns.qry.name", "dns.qry.type",
          "arp.opcode", "arp.src.hw_mac", "arp.src.proto_ipv4", "arp.dst.proto_ipv4",
          "eth.src", "dhcp.type", "dhcp.option.dhcp", "dhcp.hw.mac_addr", "dhcp.ip.client", "dhcp.ip.your",
          "dhcp.option.dhcp_server_id", "dhcp.ip.relay", "dhcp.option.router",
          "icmp.mtu", "icmpv6.mtu", "ip.len", "ipv6.plen", "tcp.payload"]


def hops(ttl):
    for init in (32, 64, 128, 255):
        if ttl <= init:
            return init - ttl
    return None


def first(v):
    return v.split(",")[0] if v else ""


ALERTS = {10: "unexpected_message", 20: "bad_record_mac", 40: "handshake_failure", 42: "bad_certificate",
          47: "illegal_parameter", 48: "unknown_ca", 49: "access_denied", 50: "decode_error", 51: "decrypt_error",
          70: "protocol_version", 71: "insufficient_security", 80: "internal_error", 86: "inappropriate_fallback",
          90: "user_canceled", 109: "missing_extension", 110: "unsupported_extension", 112: "unrecognized_name",
          116: "certificate_required", 120: "no_application_protocol"}
VERSIONS = {0x0300: "SSL 3.0", 0x0301: "TLS 1.0", 0x0302: "TLS 1.1", 0x0303: "TLS 1.2", 0x0304: "TLS 1.3"}


def version_name(v):
    if v in VERSIONS:
        return VERSIONS[v]
    return "TLS 1.3 draft %d" % (v & 0xFF) if v >> 8 == 0x7F else "0x%04x" % v


def tls_records(b):
    """The TLS records at the start of a TCP payload (RFC 8446 5.1): [(type, fragment)], None if not TLS."""
    out, p = [], 0
    while p + 5 <= len(b) and 20 <= b[p] <= 24 and 0x0300 <= (b[p + 1] << 8 | b[p + 2]) <= 0x0304:
        n = b[p + 3] << 8 | b[p + 4]
        out.append((b[p], b[p + 5:p + 5 + n])); p += 5 + n
    return out or None


def client_hello(b):
    """(sni, first offered version) of a ClientHello starting a payload, None if it is not one."""
    recs = tls_records(b)
    if not recs or recs[0][0] != 22 or not recs[0][1] or recs[0][1][0] != 1:
        return None
    h = recs[0][1][4:]
    sni, ver, cut = None, None, False
    try:
        legacy = h[0] << 8 | h[1]; q = 34
        q += 1 + h[q]; q += 2 + (h[q] << 8 | h[q + 1]); q += 1 + h[q]
        if q + 2 <= len(h):
            end = q + 2 + (h[q] << 8 | h[q + 1]); q += 2
            cut = end > len(h)
            while q + 4 <= min(end, len(h)):
                et, el = h[q] << 8 | h[q + 1], h[q + 2] << 8 | h[q + 3]; d = h[q + 4:q + 4 + el]
                if len(d) < el:
                    cut = True; break
                if et == 0 and len(d) >= 5 and d[2] == 0:
                    sni = d[5:5 + (d[3] << 8 | d[4])].decode("ascii", "replace")
                if et == 43 and d:
                    vs = [d[1 + i] << 8 | d[2 + i] for i in range(0, d[0] - 1, 2)]
                    vs = [v for v in vs if not ((v & 0x0F0F) == 0x0A0A and v >> 8 == v & 0xFF)]
                    ver = vs[0] if vs else None
                q += 4 + el
        if ver is None and not cut:
            ver = legacy
    except IndexError:
        pass
    return sni, (version_name(ver) if ver is not None else None)


def read(path):
    cmd = ["tshark", "-r", path, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,",
           "-o", "tcp.analyze_sequence_numbers:FALSE"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    for line in out.splitlines():
        yield dict(zip(FIELDS, line.split("\t")))


RCODES = {"2": "SERVFAIL", "3": "NXDOMAIN", "5": "REFUSED"}
QTYPES = {"1": "A", "28": "AAAA", "12": "PTR", "5": "CNAME", "15": "MX", "16": "TXT", "2": "NS",
          "6": "SOA", "33": "SRV", "255": "ANY"}
ICMP4 = {0: "net-unreachable", 1: "host-unreachable", 2: "protocol-unreachable",
         3: "port-unreachable", 9: "net-admin-prohibited", 10: "host-admin-prohibited",
         13: "admin-prohibited"}
ICMP6 = {0: "no-route", 1: "admin-prohibited", 3: "address-unreachable", 4: "port-unreachable"}


class Attempt:
    def __init__(s, key, isn, t, frame):
        s.key, s.isn, s.syn, s.first, s.last_syn, s.frames = key, isn, 0, t, t, [frame]
        s.synack, s.srv_isn, s.last_synack = 0, None, None
        s.syn_before, s.first_synack, s.est_t = 0, None, None  # SYNs before the first SYN/ACK
        s.client_data, s.after_ack = False, []  # server_overloaded: SYN/ACK times after the client's ACK and data
        s.server_data = False                    # ... not after the server's own data (a duplicated flow)
        s.state = "SYN"  # SYN, SYN_ACK_SEEN, EST, done
        s.outcome, s.ev, s.end = None, {}, None

    def conclude(s, outcome, t, **ev):
        s.outcome, s.state, s.end = outcome, "done", t
        s.ev.update(ev)


def analyse(path, verbose=False):
    pkts = list(read(path))
    if not pkts:
        return [], {}
    t_end = float(pkts[-1]["frame.time_epoch"])
    attempts = []             # all attempts ever
    table = {}                # 4-tuple -> current attempt
    host_ref = {}             # server ip -> hop distance from SYN/ACK
    host_any = {}             # ip -> hop distance from any non-RST packet
    rsts = []                 # (attempt, ttl) for refused/reset to resolve rst_from at the end
    odd = 0
    conns_zw = {}             # (src,sport,dst,dport) -> [start, segs, conn]
    zw_events = []
    dns_q = {}                # (cli, cport, srv, id) -> dict
    dns_fail = []
    arp_req = collections.defaultdict(list)   # target ip -> [(t, sender ip)]
    arp_from = collections.defaultdict(list)  # ip -> [t] any ARP sent by that ip
    arp_claims = collections.defaultdict(collections.OrderedDict)
    stats = collections.Counter()

    def expire(now):
        for a in list(table.values()):
            if a.state == "SYN" and now > a.last_syn + SYN_TIMEOUT:
                a.conclude("no_response", a.last_syn + SYN_TIMEOUT)
            elif a.state == "SYN_ACK_SEEN" and now > a.last_synack + SYNACK_TIMEOUT:
                a.conclude("no_final_ack" if a.synack >= 2 else "ok_unconfirmed",
                           a.last_synack + SYNACK_TIMEOUT)
            if a.state == "done" and now > a.end + LINGER:
                del table[a.key]

    dhcp_msgs = []            # (t, frame, fields) of every DHCP message
    link_local = collections.OrderedDict()  # mac -> (t, address): first sign of a 169.254/16 address
    mtu_msgs = {}
    for p in pkts:
        t = float(p["frame.time_epoch"]); fr = int(p["frame.number"])
        expire(t)
        if p["dhcp.option.dhcp"]:
            dhcp_msgs.append((t, fr, p))
        ll = link_local_sign(p)
        if ll and ll[0] not in link_local:
            link_local[ll[0]] = (t, ll[1])
        src = first(p["ip.src"]) or first(p["ipv6.src"]); dst = first(p["ip.dst"]) or first(p["ipv6.dst"])
        ttl_s = first(p["ip.ttl"]) or first(p["ipv6.hlim"])
        ttl = int(ttl_s) if ttl_s else None
        itype = first(p["icmp.type"]); ictype6 = first(p["icmpv6.type"])
        # the errors that answer a SYN: unreachable (not frag needed), time exceeded, parameter problem
        is_unreach = (itype in ("3", "11", "12") and not (itype == "3" and first(p["icmp.code"]) == "4")) \
            or ictype6 in ("1", "3", "4")
        time_exceeded = itype == "11" or ictype6 == "3"
        # ---------------- mtu_problem: fragmentation needed / packet too big quoting a followed connection
        if (itype == "3" and first(p["icmp.code"]) == "4") or ictype6 == "2":
            srcs = (p["ip.src"] or p["ipv6.src"]).split(","); dsts = (p["ip.dst"] or p["ipv6.dst"]).split(",")
            if p["tcp.srcport"] and len(srcs) >= 2:
                qs, qd = srcs[1], dsts[1]
                qsp, qdp = int(first(p["tcp.srcport"])), int(first(p["tcp.dstport"]))
                a = table.get((qs, qsp, qd, qdp)) or table.get((qd, qdp, qs, qsp))
                if a is not None:
                    m = mtu_msgs.setdefault((a.key[2], a.key[3]), {"conns": set(), "messages": 0, "mtu": None,
                                                                 "reported_by": srcs[0], "quoted_length": -1, "first": t})
                    m["conns"].add(a.key); m["messages"] += 1
                    mtu = int(first(p["icmp.mtu"]) or first(p["icmpv6.mtu"]) or 0)
                    m["mtu"] = mtu if m["mtu"] is None else min(m["mtu"], mtu)
                    ql = (p["ip.len"].split(",") + [""])[1] if itype == "3" else (p["ipv6.plen"].split(",") + [""])[1]
                    if ql:
                        m["quoted_length"] = max(m["quoted_length"], int(ql) + (40 if ictype6 == "2" else 0))
                    continue
            stats["icmp_mtu_unmatched"] += 1
            continue
        # ---------------- ARP
        if p["arp.opcode"]:
            op = int(first(p["arp.opcode"])); sip = first(p["arp.src.proto_ipv4"]); tip = first(p["arp.dst.proto_ipv4"])
            mac = first(p["arp.src.hw_mac"])
            if sip and sip != "0.0.0.0":
                arp_from[sip].append(t)
                c = arp_claims[sip]; c[mac] = c.get(mac, 0) + 1
            if sip and sip != "0.0.0.0":
                arp_req.pop(sip, None)  # R8: only requests since the last ARP from that IP count
            if op == 1 and sip != tip and sip != "0.0.0.0":
                arp_req[tip].append((t, sip))
            continue
        if ttl is not None and src and not is_unreach:
            flags = int(p["tcp.flags"], 16) if p["tcp.flags"] else 0
            if not (flags & 0x04):
                host_any.setdefault(src, hops(ttl))
        # ---------------- ICMP unreachable quoting TCP
        if is_unreach:
            srcs = (p["ip.src"] or p["ipv6.src"]).split(","); dsts = (p["ip.dst"] or p["ipv6.dst"]).split(",")
            if p["tcp.srcport"] and len(srcs) >= 2:
                qs, qd = srcs[1], dsts[1]
                qsp, qdp = int(first(p["tcp.srcport"])), int(first(p["tcp.dstport"]))
                qseq = int(first(p["tcp.seq_raw"])) if p["tcp.seq_raw"] else None
                key = (qs, qsp, qd, qdp)
                a = table.get(key)
                if a is not None and a.state == "done" and (qseq is None or a.isn == qseq):
                    a.frames.append(fr); stats["icmp_for_concluded_attempt"] += 1
                    continue  # quotes a (retransmitted) SYN of a concluded, lingering attempt
                if a is None and time_exceeded:
                    stats["time_exceeded_for_unfollowed_syn"] += 1  # a traceroute probe's
                    continue
                if a is None or (qseq is not None and a.isn != qseq):
                    if a is not None and a.state != "done":
                        a.conclude("superseded", t)
                    a = Attempt(key, qseq, t, fr); attempts.append(a); table[key] = a
                if a.state in ("SYN",):
                    code = int(first(p["icmp.code"]) or first(p["icmpv6.code"]))
                    name = (ICMP4 if itype == "3" else ICMP6).get(code, str(code))
                    if itype in ("11", "12") or ictype6 in ("3", "4"):
                        name = "time-exceeded" if time_exceeded else "parameter-problem"
                    a.conclude("unreachable", t, icmp=name, icmp_type=int(itype or ictype6), icmp_code=code,
                               reported_by=srcs[0])
                    a.frames.append(fr)
            stats["icmp_unreach"] += 1
            continue
        # ---------------- DNS (UDP)
        if p["dns.id"] and p["udp.srcport"] and "53" in (first(p["udp.srcport"]), first(p["udp.dstport"])):
            qname = first(p["dns.qry.name"]); qt = first(p["dns.qry.type"]); qt = QTYPES.get(qt, qt)
            if p["dns.flags.response"] in ("0", "False"):
                k = (src, p["udp.srcport"], dst, p["dns.id"])
                q = dns_q.setdefault(k, {"n": 0, "first": t, "name": qname, "qt": qt, "answered": False, "frames": []})
                q["n"] += 1; q["last"] = t; q["frames"].append(fr)
            else:
                k = (dst, p["udp.dstport"], src, p["dns.id"])
                q = dns_q.get(k)
                if q is not None:
                    q["answered"] = True
                rc = p["dns.flags.rcode"]
                if rc in RCODES and not (q and q.get("failed")):
                    dns_fail.append((src, qname, RCODES[rc], qt, dst, t, fr, q))
                    if q: q["failed"] = True
            continue
        if not p["tcp.flags"]:
            continue
        flags = int(p["tcp.flags"], 16)
        S, A, R, F = flags & 2, flags & 16, flags & 4, flags & 1
        sp, dp = int(first(p["tcp.srcport"])), int(first(p["tcp.dstport"]))
        seq, ack = int(first(p["tcp.seq_raw"])), int(first(p["tcp.ack_raw"]) or 0)
        win = int(first(p["tcp.window_size_value"]) or 0)
        fwd = (src, sp, dst, dp); rev = (dst, dp, src, sp)
        # zero window
        if not S and not R:
            ck = fwd
            if win == 0:
                if ck not in conns_zw:
                    conns_zw[ck] = [t, 0, fr]
                conns_zw[ck][1] += 1
            elif ck in conns_zw:
                st, n, f0 = conns_zw.pop(ck)
                zw_events.append((ck, st, t, n, f0, "reopened"))
        closed_window = bool(R) and fwd in conns_zw  # the RST's sender had its window closed
        if R:
            for ck in (fwd, rev):
                if ck in conns_zw:
                    st, n, f0 = conns_zw.pop(ck); zw_events.append((ck, st, t, n, f0, "rst"))
        if S and not A and ttl is not None and ttl < PROBE_TTL and table.get(fwd) is None:
            stats["traceroute_probes"] += 1
            continue
        if S and not A:
            a = table.get(fwd)
            if a is not None and a.isn == seq:
                a.syn += 1; a.last_syn = t; a.frames.append(fr)
                continue
            if table.get(rev) is not None and table[rev].state != "done":
                odd += 1; table[rev].conclude("odd", t); continue
            if a is not None and a.state != "done":
                # new ISN on the same 4-tuple: the old attempt is concluded first (R: as if timed out)
                if a.state == "SYN":
                    a.conclude("no_response" if t - a.last_syn > SYN_TIMEOUT else "superseded", t)
                else:
                    a.conclude("superseded", t)
            a = Attempt(fwd, seq, t, fr); a.syn = 1; attempts.append(a); table[fwd] = a
            continue
        # packets of an attempt: from server (key rev) or client (key fwd)
        a_srv = table.get(rev); a_cli = table.get(fwd)
        if S and A:
            a = a_srv
            if a is None:
                a = Attempt(rev, (ack - 1) % 2**32, t, fr); a.syn = 0; attempts.append(a); table[rev] = a
                a.state = "SYN_ACK_SEEN"
            if ttl is not None:
                host_ref.setdefault(src, hops(ttl))
            if a.state in ("SYN", "SYN_ACK_SEEN") and ack == (a.isn + 1) % 2**32:
                if a.srv_isn is None or a.srv_isn == seq:
                    if a.synack == 0:
                        a.syn_before, a.first_synack = a.syn, t
                    a.synack += 1; a.srv_isn = seq; a.last_synack = t; a.state = "SYN_ACK_SEEN"; a.frames.append(fr)
            elif a.state == "done" and a.srv_isn == seq:
                a.synack += 1
            elif a.state == "EST" and a.srv_isn == seq:
                a.synack += 1
                if a.client_data and not a.server_data:
                    a.after_ack.append(t)
            if getattr(a, "synack_ttl", None) is None:
                a.synack_ttl = ttl
            continue
        # ---------------- after the request: the client's first data, the server side's first answer
        plen = int(first(p["tcp.len"]) or 0)
        payload = bytes.fromhex(p["tcp.payload"].replace(":", "")) if plen > 0 and p["tcp.payload"] else b""
        if plen > 0 and not R and a_cli is not None and a_cli.state == "EST" and not hasattr(a_cli, "req"):
            a_cli.req = (t, (seq + plen - a_cli.isn - 1) % 2**32, client_hello(payload))
        if F and a_cli is not None and a_cli.state == "EST":
            a_cli.client_fin = True
        w = a_srv if a_srv is not None and a_srv.state == "EST" and getattr(a_srv, "req", None) \
            and not getattr(a_srv, "answered", False) and not getattr(a_srv, "client_fin", False) else None
        if w is not None and plen > 0 and not R:
            w.answered = True
            hello = w.req[2]
            if hello is not None:
                recs = tls_records(payload)
                alerts = [x for rt, x in recs or [] if rt == 21 and len(x) == 2]
                if recs is None:
                    w.conclude("tls_failure", t, answer="plaintext", sni=hello[0], client_version=hello[1],
                               client_bytes=w.req[1])
                elif not any(rt == 22 and x and x[0] == 2 for rt, x in recs) and alerts:
                    if alerts[0][0] == 2:
                        w.conclude("tls_failure", t, answer="alert", alert=ALERTS.get(alerts[0][1], "alert_%d" % alerts[0][1]),
                                   alert_level="fatal", alert_from="server" if hops(ttl) == hops(w.synack_ttl) else "middlebox",
                                   sni=hello[0], client_version=hello[1], client_bytes=w.req[1])
                    else:
                        w.answered = False  # a warning alert alone: the handshake may go on
            if w.state == "done":
                continue
        elif w is not None and (R or F):
            mb = w.synack_ttl is not None and ttl is not None and hops(ttl) != hops(w.synack_ttl)
            if w.req[2] is not None:
                w.conclude("tls_failure", t, answer="reset" if R else "closed", sni=w.req[2][0],
                           client_version=w.req[2][1], rst_from="middlebox" if mb else "server",
                           after_request=True, client_bytes=w.req[1])
                continue
            if mb and t - w.req[0] <= 1.0:
                w.conclude("reset", t, rst_ttl=ttl, after_ms=round((t - w.est_t) * 1000), after_request=True,
                           client_bytes=w.req[1]); rsts.append((w, ttl, src))
                continue
        if R:
            if a_srv is not None and a_srv.state != "done":
                a = a_srv  # RST from the server side
                if a.state == "SYN" and A and ack != (a.isn + 1) % 2**32:
                    stats["unacceptable_rst"] += 1  # RFC 9293 3.10.7.3: the client drops it
                elif a.state == "SYN":
                    a.conclude("refused", t, rst_ttl=ttl); rsts.append((a, ttl, src)); a.frames.append(fr)
                elif a.state == "EST":
                    if closed_window:
                        a.conclude("aborted", t)  # the zero window's end (ended_by=rst), not a reset
                    elif seq == (a.srv_isn + 1) % 2**32 and not getattr(a, "answered", False):
                        acked = (ack - a.isn - 1) % 2**32 if A else 0
                        req = getattr(a, "req", None)
                        a.conclude("reset", t, rst_ttl=ttl, after_ms=round((t - a.est_t) * 1000),
                                   after_request=bool(req) or acked > 0,
                                   **({"client_bytes": acked or req[1]} if (acked or req) else {}))
                        rsts.append((a, ttl, src))
                    else:
                        a.conclude("aborted", t)
                elif a.state == "SYN_ACK_SEEN":
                    a.conclude("odd_server_rst_after_synack", t)
                continue
            if a_cli is not None and a_cli.state != "done":
                a = a_cli
                if a.state in ("SYN_ACK_SEEN",) and seq == (a.isn + 1) % 2**32:
                    a.conclude("client_abort", t)
                elif a.state == "EST":
                    a.conclude("client_abort" if seq == (a.isn + 1) % 2**32 else "aborted", t)
                elif a.state == "SYN":
                    a.conclude("client_rst_before_synack", t)  # not in the table of rules: R-note
                continue
            continue
        if A and a_cli is not None and a_cli.state == "SYN_ACK_SEEN" and ack == (a_cli.srv_isn + 1) % 2**32:
            a_cli.state = "EST"; a_cli.est_t = t; a_cli.outcome = "ok"; a_cli.frames.append(fr)
            a_cli.client_data = int(first(p["tcp.len"]) or 0) > 0
            continue
        if a_cli is not None and a_cli.state == "EST" and int(first(p["tcp.len"]) or 0) > 0:
            a_cli.client_data = True
        if a_srv is not None and a_srv.state == "EST" and int(first(p["tcp.len"]) or 0) > 0:
            a_srv.server_data = True
        if F:
            for a in (a_srv, a_cli):
                if a is not None and a.state == "EST":
                    a.fins = getattr(a, "fins", 0) + 1
                    if a.fins >= 2:
                        a.conclude("ok", t)
    # ---------------- end of replay
    for a in table.values():
        if a.state == "SYN":
            if a.last_syn <= t_end - SYN_TIMEOUT:
                a.conclude("no_response", a.last_syn + SYN_TIMEOUT)
            else:
                a.conclude("inconclusive_syn", t_end)
        elif a.state == "SYN_ACK_SEEN":
            if a.last_synack <= t_end - SYNACK_TIMEOUT:
                a.conclude("no_final_ack" if a.synack >= 2 else "ok_unconfirmed", a.last_synack + SYNACK_TIMEOUT)
            else:
                a.conclude("inconclusive_synack", t_end)
        elif a.state == "EST":
            a.conclude("ok", t_end)
    for ck, (st, n, f0) in conns_zw.items():
        zw_events.append((ck, st, t_end, n, f0, "capture-end"))
    # rst_from (R2: reference from SYN/ACKs, else any non-RST packet of that host)
    for a, ttl, src in rsts:
        ref = host_ref.get(src, host_any.get(src))
        if ref is None or ttl is None:
            a.ev["rst_from"] = "unknown"
        else:
            a.ev["server_ttl_hops"] = ref
            a.ev["rst_from"] = "server" if hops(ttl) == ref else "middlebox"
    # ---------------- server-level verdicts
    WORK = {"ok", "ok_unconfirmed", "client_abort", "no_final_ack", "reset", "aborted", "tls_failure"}
    FAIL = {"no_response", "refused", "unreachable"}
    byhost = collections.defaultdict(list)
    for a in attempts:
        byhost[a.key[2]].append(a)
    works = {h for h, L in byhost.items() if any(a.outcome in WORK for a in L)}
    diags = []
    for h, L in byhost.items():
        ports = collections.defaultdict(list)
        for a in L:
            ports[a.key[3]].append(a)
        ok_ports = sorted(p for p, PL in ports.items() if any(a.outcome in WORK for a in PL))
        failed = [a for a in L if a.outcome in FAIL]
        if not ok_ports and len(failed) >= HOST_MIN and all(
                a.outcome in ("no_response", "unreachable") or (a.outcome == "refused" and a.ev.get("rst_from") == "middlebox")
                for a in failed) and (works - {h}):
            pl = sorted({a.key[3] for a in failed})
            diags.append(("host_unreachable", h, "-", len(failed), {
                "attempts": len(failed), "ports": len(pl), "port_list": ",".join(map(str, pl[:8])),
                "syn": sum(a.syn for a in failed),
                "failures": "no_response:%d/unreachable:%d" % (sum(a.outcome == "no_response" for a in failed), sum(a.outcome == "unreachable" for a in failed)),
                "ok_hosts": len(works - {h})}, min(a.first for a in failed)))
            continue
        perkind = collections.defaultdict(list)
        for p, PL in sorted(ports.items()):
            f = [a for a in PL if a.outcome in FAIL]
            if f and p not in ok_ports and ok_ports:
                kinds = collections.Counter(a.outcome for a in f)
                ev = {"failure": kinds.most_common(1)[0][0], "attempts": len(f), "syn": sum(a.syn for a in f),
                      "ok_ports": ",".join(map(str, ok_ports[:5]))}
                for k in ("rst_from", "icmp"):
                    if k in f[0].ev:
                        ev[k] = f[0].ev[k]
                perkind["port_blocked"].append((p, len(f), ev, min(a.first for a in f)))
            else:
                # slow_connect: the handshake completed (seen, or unconfirmed) after a SYN retransmitted
                # before the first SYN/ACK, which came >= SLOW_MIN after the first SYN.
                slow = [a for a in PL if (a.est_t is not None or a.outcome == "ok_unconfirmed")
                        and a.syn_before >= 2 and a.first_synack - a.first >= SLOW_MIN]
                if slow:
                    delays = [int((a.first_synack - a.first) * 1000) for a in slow]
                    perkind["slow_connect"].append((p, len(slow), {
                        "syn": sum(a.syn for a in slow), "delay_ms": max(delays),
                        "avg_delay_ms": sum(delays) // len(delays), "clients": len({a.key[0] for a in slow})},
                        min(a.first for a in slow)))
                # server_overloaded: SYN/ACKs retransmitted after the client's ACK and data, two within
                # OVERLOAD_WINDOW; the port's no_response attempts meanwhile are folded in
                folded = set()
                over = [a for a in PL if a.after_ack]
                times = sorted(x for a in over for x in a.after_ack)
                if any(b - a <= OVERLOAD_WINDOW for a, b in zip(times, times[1:])):
                    start, until = min(a.first for a in over), times[-1] + OVERLOAD_FOLD
                    unans = [a for a in PL if a.outcome == "no_response" and a.end >= start and a.first <= until]
                    folded = set(map(id, unans))
                    perkind["server_overloaded"].append((p, len(over) + len(unans), {
                        "synack_after_ack": len(over), "synack_retransmissions": len(times),
                        "syn_unanswered": len(unans), "syn": sum(a.syn for a in over + unans),
                        "clients": len({a.key[0] for a in over + unans})}, min(a.first for a in over + unans)))
                tf = [a for a in PL if a.outcome == "tls_failure"]
                if tf:
                    ev = {k: v for k, v in tf[0].ev.items() if v is not None}
                    ev["clients"] = len({a.key[0] for a in tf})
                    perkind["tls_failure"].append((p, len(tf), ev, min(a.first for a in tf)))
                for kind in ("no_response", "refused", "unreachable", "no_final_ack", "reset"):
                    f = [a for a in PL if a.outcome == kind and id(a) not in folded]
                    if f:
                        ev = {"syn": sum(a.syn for a in f)}
                        if kind == "no_final_ack":
                            ev["syn_ack"] = sum(a.synack for a in f)
                        for k in ("rst_from", "icmp", "reported_by", "after_ms", "after_request", "client_bytes"):
                            if k in f[0].ev:
                                ev[k] = f[0].ev[k]
                        ev["clients"] = len({a.key[0] for a in f})
                        perkind[kind].append((p, len(f), ev, min(a.first for a in f)))
        for kind, rows in perkind.items():
            if len(rows) > MAX_PORTS:
                pl = sorted(r[0] for r in rows)
                diags.append((kind, h, "-", sum(r[1] for r in rows), {"ports": len(pl), "port_list": ",".join(map(str, pl[:8]))}, min(r[3] for r in rows)))
            else:
                for p, n, ev, f0 in rows:
                    diags.append((kind, h, p, n, ev, f0))
    # mtu_problem, per (server, port)
    for (srv, port), m in mtu_msgs.items():
        diags.append(("mtu_problem", srv, port, len(m["conns"]), {
            "next_hop_mtu": m["mtu"], "reported_by": m["reported_by"], "quoted_length": m["quoted_length"],
            "messages": m["messages"], "clients": len({k[0] for k in m["conns"]})}, m["first"]))
    # zero window
    zw = collections.defaultdict(lambda: [0, 0, None, None])
    for ck, st, en, n, f0, why in zw_events:
        if en - st >= ZW_MIN:
            zw[ck][0] += 1; zw[ck][1] += n; zw[ck][2] = round((en - st) * 1000); zw[ck][3] = (f0, why)
    for ck, (c, n, dur, info) in zw.items():
        diags.append(("zero_window", ck[0], ck[1], c, {"side": "?(advertiser %s:%s)" % (ck[0], ck[1]), "duration_ms": dur,
                                                       "zero_window_segments": n, "from_frame": info[0], "ended_by": info[1]}, 0))
    # DNS
    agg = collections.OrderedDict()
    for srv, name, rc, qt, cli, t, fr, q in dns_fail:
        # count = failing queries (client, port, server, id); queries = messages asked (R-note)
        k = (srv, name, rc); e = agg.setdefault(k, [0, qt, 0, t]); e[0] += 1; e[2] += q["n"] if q else 0
    for (cli, cp, srv, qid), q in dns_q.items():
        if not q["answered"]:
            if q["last"] + DNS_TIMEOUT < t_end:
                k = (srv, q["name"], "no_response"); e = agg.setdefault(k, [0, q["qt"], 0, q["first"]]); e[0] += 1; e[2] += q["n"]
            else:
                stats["dns_unanswered_but_capture_ended"] += 1
    for (srv, name, rc), (c, qt, n, t0) in agg.items():
        diags.append(("dns_failure", srv, 53, c, {"rcode": rc, "query": name, "qtype": qt, "queries": n}, t0))
    # ARP
    for ip, L in arp_req.items():
        if len(L) >= ARP_MIN:
            last = L[-1][0]
            frm = arp_from.get(ip, [])
            win_after = [x for x in frm if last <= x <= last + ARP_TIMEOUT]
            win_sym = [x for x in frm if abs(x - last) <= ARP_TIMEOUT]
            stats["arp_req_%s" % ip] = "n=%d after=%d sym=%d any=%d capture_after_last=%.2f" % (len(L), len(win_after), len(win_sym), len(frm), t_end - last)
            if not win_after and t_end - last >= ARP_TIMEOUT:
                ev = {"arp_requests": len(L), "requested_by": L[0][1]}
                if gateway_of(dhcp_msgs, L[0][1], ip, last):
                    ev.update({"role": "gateway", "learned_from": "dhcp"})
                diags.append(("host_down", ip, "-", 1, ev, L[0][0]))
    for ip, c in arp_claims.items():
        if len(c) >= 2:
            diags.append(("duplicate_ip", ip, "-", 1, {"macs": ",".join(c), "claims": ",".join(str(v) for v in c.values())}, 0))
    diags.extend(dhcp_kinds(dhcp_msgs, link_local, t_end))
    outcomes = collections.Counter(a.outcome for a in attempts)
    stats.update({"attempt_" + str(k): v for k, v in outcomes.items()}); stats["odd"] = odd
    if verbose:
        for a in attempts:
            print("  attempt", a.key, "isn", a.isn, a.outcome, "syn", a.syn, "synack", a.synack, a.ev, "frames", a.frames[:6], file=sys.stderr)
    return diags, stats


def in_link_local(ip):
    """RFC 3927 2.1: 169.254.1.0 - 169.254.254.255."""
    q = ip.split(".") if ip else []
    return len(q) == 4 and q[0] == "169" and q[1] == "254" and q[2] not in ("0", "255")


def link_local_sign(p):
    """(mac, address) of an ARP announcement (sender = target) or an IPv4 packet from 169.254/16, else None."""
    sip, tip = first(p["arp.src.proto_ipv4"]), first(p["arp.dst.proto_ipv4"])
    if p["arp.opcode"] and sip == tip and in_link_local(sip):
        return first(p["arp.src.hw_mac"]), sip
    src = first(p["ip.src"])
    if not p["arp.opcode"] and in_link_local(src) and p["eth.src"]:
        return first(p["eth.src"]), src
    return None


def dhcp_fields(p):
    return (int(first(p["dhcp.type"]) or 0), int(first(p["dhcp.option.dhcp"])), first(p["dhcp.hw.mac_addr"]),
            first(p["dhcp.ip.client"]), first(p["dhcp.ip.your"]), first(p["dhcp.option.dhcp_server_id"]),
            first(p["dhcp.ip.relay"]), first(p["dhcp.option.router"]))


def gateway_of(msgs, asker, ip, at):
    """Whether an ACK before `at` leased `asker` with router `ip` (its lease still running is assumed)."""
    for t, fr, p in msgs:
        op, mt, mac, ci, yi, sid, relay, router = dhcp_fields(p)
        if t <= at and op == 2 and mt == 5 and yi == asker and router == ip:
            return True
    return False


def dhcp_kinds(msgs, link_local, t_end):
    """dhcp_failure, dhcp_rogue_server, no_address, as docs/diagnosis-rules.md section 4 words them."""
    out = []
    Z = "0.0.0.0"
    # ---- devices: runs of attempts since the last ACK with an address
    runs = collections.OrderedDict()   # mac -> current run
    failures = collections.OrderedDict()  # mac -> the reported run
    discovers_at = collections.defaultdict(list)  # mac -> DISCOVER times of the open run (for no_address)
    def new_run():
        return {"first": None, "last": None, "d": 0, "r": 0, "n": 0, "o": 0, "nak_t": None, "server": None,
                "relay": None, "reported": False}
    def judge(mac, run, now):
        if run["first"] is None or run["reported"]:
            return
        tries = run["d"] >= DHCP_MIN or run["r"] >= DHCP_MIN
        if (tries and now - run["last"] >= DHCP_TIMEOUT) or (run["n"] and now - run["nak_t"] >= DHCP_NAK_WINDOW):
            run["reported"] = True; failures[mac] = run
    servers = collections.OrderedDict()  # id -> {offers, bindings:set}
    for t, fr, p in msgs:
        op, mt, mac, ci, yi, sid, relay, router = dhcp_fields(p)
        for m, r in runs.items():
            judge(m, r, t)
        run = runs.setdefault(mac, new_run())
        if relay and relay != Z:
            run["relay"] = relay
        if op == 1:
            if sid:
                run["server"] = sid
            attempt = mt == 1 or (mt == 3 and (not ci or ci == Z))
            if attempt:
                run["first"] = run["first"] if run["first"] is not None else t
                run["last"] = t
                run["d" if mt == 1 else "r"] += 1
                if mt == 1:
                    discovers_at[mac].append(t)
        elif op == 2 and mt in (2, 5, 6):
            srv = sid or first(p["ip.src"])
            s = servers.setdefault(srv, {"offers": 0, "bindings": set(), "router": None})
            if mt == 2:
                s["offers"] += 1; run["o"] += 1; run["server"] = srv; s["router"] = router or s["router"]
            elif mt == 6:
                run["n"] += 1; run["r"] = 0; run["nak_t"] = t; run["server"] = srv
                run["first"] = run["first"] if run["first"] is not None else t
                run["last"] = run["last"] if run["last"] is not None else t
            elif yi and yi != Z:
                s["bindings"].add((mac, yi)); s["router"] = router or s["router"]
                runs[mac] = new_run(); discovers_at[mac] = []
    for m, r in runs.items():
        judge(m, r, t_end)
        if r["first"] is not None and not r["reported"] and (r["d"] >= DHCP_MIN or r["r"] >= DHCP_MIN) \
                and r["last"] - r["first"] >= 1.0:
            r["reported"] = True; failures[m] = r
    for mac, r in failures.items():
        # the run reported goes on growing: its figures at the end (or at its lease)
        ev = {"discovers": r["d"], "requests": r["r"], "naks": r["n"], "offers": r["o"]}
        if r["server"]:
            ev["server"] = r["server"]
        if r["relay"]:
            ev["relay"] = r["relay"]
        out.append(("dhcp_failure", r["server"] or "-", "-", 1, ev, r["first"]))
    # ---- servers: the site's has the most bindings (first heard on a tie); the others are rogue
    active = [k for k, v in servers.items() if v["offers"] or v["bindings"]]
    if len(active) >= 2:
        site = max(active, key=lambda k: (len(servers[k]["bindings"]), -active.index(k)))
        for k in active:
            if k != site:
                v = servers[k]
                out.append(("dhcp_rogue_server", k, "-", 1, {"site_server": site, "offers": v["offers"],
                                                              "bindings": len(v["bindings"]), "router": v["router"]}, 0))
    # ---- devices on 169.254/16
    for mac, (t, ip) in link_local.items():
        n = len([x for x in discovers_at.get(mac, []) if x <= t])
        out.append(("no_address", "-", "-", 1, {"address": ip, "dhcp_attempts": n, "client": mac}, t))
    return out


if __name__ == "__main__":
    d, st = analyse(sys.argv[1], "--verbose" in sys.argv)
    for kind, h, p, n, ev, t0 in sorted(d, key=lambda x: (x[5], x[0], x[1], str(x[2]))):
        print("\t".join([kind, h, str(p), str(n), ";".join("%s=%s" % kv for kv in ev.items())]))
    print("# stats", dict(st))
