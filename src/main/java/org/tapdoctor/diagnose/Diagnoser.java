package org.tapdoctor.diagnose;

import org.tapdoctor.track.ArpTable;
import org.tapdoctor.track.ConnectionTable;
import org.tapdoctor.track.DnsTable;
import org.tapdoctor.track.Outcome;
import org.tapdoctor.track.TrackerListener;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.IpAddresses;

/**
 * Turns the tracker's outcomes into aggregated problems, on the packet path and without
 * allocating: each failure adds to its entry in the {@link ProblemTable}. {@link Report} later
 * turns the table into {@link Diagnosis} values with the server-level verdicts.
 *
 * <p>Evidence slots used per kind (ints / longs of the problem table):
 * refused: i0 RST TTL, i1 1 when RSTs came with different TTLs;
 * unreachable: i0 ICMP type, i1 code, i2 IP version, l0/l1 reporting router;
 * no_final_ack: l0 SYN/ACKs seen;
 * reset: i0 RST TTL, i1 the server's SYN/ACK TTL, l0 nanoseconds from handshake to RST;
 * zero_window: extra 1 server side / 0 client side, l0 longest duration, i0 zero-window segments;
 * host_down: l0 ARP requests, i0 first asker;
 * duplicate_ip: l0/l1 the two MACs, i0/i1 their claims;
 * dns_failure: i0 rcode (-1 no response), i1 qtype, l0 query messages, the name;
 * every TCP kind: i3 the NIC index the client's SYN came in on (-1 unknown).
 */
public final class Diagnoser implements TrackerListener {
    static final int I0 = 0, I1 = 1, I2 = 2, I3 = 3, L0 = 0, L1 = 1;

    private final ProblemTable problems;

    public Diagnoser(int capacity) {
        this.problems = new ProblemTable(capacity);
    }

    public ProblemTable problems() {
        return problems;
    }

    static Kind kindOf(Outcome o) {
        return switch (o) {
            case NO_RESPONSE -> Kind.NO_RESPONSE;
            case REFUSED -> Kind.REFUSED;
            case UNREACHABLE -> Kind.UNREACHABLE;
            case NO_FINAL_ACK -> Kind.NO_FINAL_ACK;
            case RESET -> Kind.RESET;
            default -> null;
        };
    }

    @Override
    public void onOutcome(ConnectionTable t, int slot, Outcome outcome, long timeNanos, DecodedFrame evidence) {
        Kind kind = kindOf(outcome);
        if (kind == null) {
            return;
        }
        final ProblemTable p = problems;
        int i = p.findOrCreate(kind, t.serverHi(slot), t.serverLo(slot), t.serverPort(slot), 0, timeNanos);
        if (i < 0) {
            return;
        }
        long start = t.firstSyn(slot) != ConnectionTable.NONE ? t.firstSyn(slot)
                : t.firstSynAck(slot) != ConnectionTable.NONE ? t.firstSynAck(slot) : timeNanos;
        p.occurrence(i, start, timeNanos, t.clientHi(slot), t.clientLo(slot), t.clientPort(slot));
        p.addSyn(i, t.synCount(slot));
        if (p.intValue(i, I3) < 0) {
            p.intValue(i, I3, t.clientSide(slot));
        }
        switch (kind) {
            case REFUSED -> {
                int ttl = evidence != null ? evidence.ttl() : -1;
                if (p.intValue(i, I0) >= 0 && p.intValue(i, I0) != ttl) {
                    p.intValue(i, I1, 1);
                }
                p.intValue(i, I0, ttl);
            }
            case UNREACHABLE -> {
                if (evidence != null && p.intValue(i, I0) < 0) {
                    p.intValue(i, I0, evidence.icmpType());
                    p.intValue(i, I1, evidence.icmpCode());
                    p.intValue(i, I2, evidence.ipVersion());
                    p.longValue(i, L0, evidence.srcHi());
                    p.longValue(i, L1, evidence.srcLo());
                }
            }
            case NO_FINAL_ACK -> p.longValue(i, L0, p.longValue(i, L0) + t.synAckCount(slot));
            case RESET -> {
                if (p.intValue(i, I0) < 0) {
                    p.intValue(i, I0, evidence != null ? evidence.ttl() : -1);
                    p.intValue(i, I1, t.serverTtl(slot));
                    p.longValue(i, L0, timeNanos - t.established(slot));
                }
            }
            default -> { }
        }
    }

    @Override
    public void onRetract(ConnectionTable t, int slot, Outcome previous) {
        Kind kind = kindOf(previous);
        if (kind == null) {
            return;
        }
        int i = problems.find(kind, t.serverHi(slot), t.serverLo(slot), t.serverPort(slot), 0);
        if (i >= 0) {
            problems.retract(i);
            problems.addSyn(i, -t.synCount(slot));
        }
    }

    @Override
    public void onLateSyn(ConnectionTable t, int slot, long timeNanos) {
        Kind kind = kindOf(t.outcome(slot));
        if (kind == null) {
            return;
        }
        int i = problems.find(kind, t.serverHi(slot), t.serverLo(slot), t.serverPort(slot), 0);
        if (i >= 0) {
            problems.addSyn(i, 1);
            problems.touch(i, timeNanos);
        }
    }

    @Override
    public void onZeroWindow(ConnectionTable t, int slot, boolean serverSide, long since, long until, int segments) {
        final ProblemTable p = problems;
        int i = p.findOrCreate(Kind.ZERO_WINDOW, t.serverHi(slot), t.serverLo(slot), t.serverPort(slot),
                serverSide ? 1 : 0, since);
        if (i < 0) {
            return;
        }
        p.occurrence(i, since, until, t.clientHi(slot), t.clientLo(slot), t.clientPort(slot));
        if (p.intValue(i, I3) < 0) {
            p.intValue(i, I3, t.clientSide(slot));
        }
        p.longValue(i, L0, Math.max(p.longValue(i, L0), until - since));
        p.intValue(i, I0, Math.max(0, p.intValue(i, I0)) + segments);
    }

    @Override
    public void onHostDown(int ip, int requests, int requesterIp, long first, long last) {
        final ProblemTable p = problems;
        int i = p.findOrCreate(Kind.HOST_DOWN, IpAddresses.V4_HI, IpAddresses.v4Lo(ip), -1, 0, first);
        if (i < 0) {
            return;
        }
        p.occurrence(i, first, last, IpAddresses.V4_HI, IpAddresses.v4Lo(requesterIp), -1);
        p.longValue(i, L0, p.longValue(i, L0) + requests);
        if (p.intValue(i, I0) == -1) {
            p.intValue(i, I0, requesterIp);
        }
    }

    @Override
    public void onDuplicateIp(ArpTable table, int slot, long timeNanos) {
        final ProblemTable p = problems;
        int ip = table.ip(slot);
        int i = p.findOrCreate(Kind.DUPLICATE_IP, IpAddresses.V4_HI, IpAddresses.v4Lo(ip), -1, 0, timeNanos);
        if (i < 0) {
            return;
        }
        if (p.count(i) == 0) {
            p.occurrence(i, table.firstClaim(slot), timeNanos, IpAddresses.V4_HI, IpAddresses.v4Lo(ip), -1);
        } else {
            p.touch(i, timeNanos);
        }
        p.longValue(i, L0, table.mac1(slot));
        p.longValue(i, L1, table.mac2(slot));
        p.intValue(i, I0, table.claims1(slot));
        p.intValue(i, I1, table.claims2(slot));
    }

    @Override
    public void onDnsFailure(DnsTable t, int slot, int rcode, long timeNanos, boolean repeat) {
        final ProblemTable p = problems;
        byte[] names = t.names();
        int off = slot * DnsTable.MAX_NAME;
        int len = t.nameLength(slot);
        long nameHash = DnsTable.nameHash(names, off, len);
        long key = nameHash * 31 + rcode;
        int i = p.findOrCreate(Kind.DNS_FAILURE, t.serverHi(slot), t.serverLo(slot), 53, key, t.first(slot));
        if (i < 0) {
            return;
        }
        if (repeat) {
            p.longValue(i, L0, p.longValue(i, L0) + 1);
            p.touch(i, timeNanos);
            return;
        }
        p.occurrence(i, t.first(slot), timeNanos, t.clientHi(slot), t.clientLo(slot), t.clientPort(slot));
        p.intValue(i, I0, rcode);
        p.intValue(i, I1, t.qtype(slot));
        p.longValue(i, L0, p.longValue(i, L0) + Math.max(1, t.queries(slot)));
        if (p.nameLength(i) == 0) {
            p.name(i, names, off, len);
        }
    }
}
