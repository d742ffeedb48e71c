package org.tapdoctor.diagnose.kinds;

import org.tapdoctor.diagnose.Clients;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.EvidenceWriter;
import org.tapdoctor.diagnose.Facts;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.IcmpReport;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.diagnose.Problem;
import org.tapdoctor.diagnose.ProblemRule;
import org.tapdoctor.diagnose.Severity;
import org.tapdoctor.track.Attempt;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.IpAddresses;

/**
 * {@code mtu_problem}: an ICMP fragmentation needed (3/4, RFC 1191) or ICMPv6 packet too big (2,
 * RFC 4443 section 3.2) quoting a segment of a followed connection (docs/diagnosis-rules.md section
 * 5): a link on the path has a smaller MTU than the sender's packets, and a router said so. Path MTU
 * discovery works when the sender then sends smaller segments; it is a warning that names the
 * link's MTU and the router, because the next host behind a firewall that drops these messages
 * will hang (an {@code mtu_blackhole}). Aggregated per (server, port): its count is connections.
 */
public final class MtuProblem extends ProblemRule<MtuProblem.Evidence> {
    /** The smallest next-hop MTU, the first reporter, its IP version, the largest quoted packet, the messages. */
    private static final int MTU = 0, SOURCE_HI = 1, SOURCE_LO = 2, VERSION = 3, QUOTED_LENGTH = 4, MESSAGES = 5;

    /**
     * @param nextHopMtu the smallest MTU the messages gave (0: a pre-RFC 1191 router gave none)
     * @param reportedBy the router that sent the first message
     * @param quotedLength the largest packet they quoted (its IP length), -1 when not quoted
     * @param messages the ICMP messages over the connections
     * @param clients distinct clients
     */
    public record Evidence(int nextHopMtu, String reportedBy, int quotedLength, long messages, Clients clients)
            implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put("next_hop_mtu", nextHopMtu);
            w.put(IcmpReport.REPORTED_BY, reportedBy);
            w.put("quoted_length", quotedLength);
            w.put("messages", messages);
            clients.write(w);
        }
    }

    public MtuProblem(Kind kind) {
        super(kind, Severity.WARNING,
                "a router answered a connection's segment with ICMP fragmentation needed or packet too big",
                Evidence.class);
    }

    @Override
    public boolean foldsByHost() {
        return true;
    }

    /**
     * One message quoting a segment of {@code a}; {@code first} for the connection's first, which
     * counts the connection.
     */
    public void record(Problem p, Attempt a, DecodedFrame icmp, boolean first) {
        long now = icmp.timeNanos();
        if (first) {
            p.occurrence(a.start(now), now, a.clientHi(), a.clientLo(), a.clientPort(), a.clientSide());
        } else {
            p.touch(now);
        }
        int mtu = Math.max(0, icmp.icmpMtu());
        if (p.value(MTU) < 0 || mtu < p.value(MTU)) {
            p.value(MTU, mtu);
        }
        if (p.value(VERSION) < 0) {
            p.value(VERSION, icmp.ipVersion());
            p.value(SOURCE_HI, icmp.srcHi());
            p.value(SOURCE_LO, icmp.srcLo());
        }
        p.value(QUOTED_LENGTH, Math.max(p.value(QUOTED_LENGTH), icmp.quotedLength()));
        p.value(MESSAGES, Math.max(0, p.value(MESSAGES)) + 1);
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        return new Evidence((int) Math.max(0, p.value(MTU)), IpAddresses.format(p.value(SOURCE_HI), p.value(SOURCE_LO)),
                (int) p.value(QUOTED_LENGTH), Math.max(0, p.value(MESSAGES)), p.clients());
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        return "the path to " + server + " has a smaller MTU: " + e.reportedBy + " said "
                + (e.nextHopMtu > 0 ? "its next link takes " + e.nextHopMtu + " bytes" : "the packet was too big (no MTU given)")
                + (e.quotedLength > 0 ? ", for a packet of " + e.quotedLength : "")
                + "; it works while these ICMP messages reach the sender (a firewall that drops them makes an MTU black hole)";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "MTU";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return e.nextHopMtu > 0 ? "next hop " + e.nextHopMtu : "too big";
    }

    /** A router between (usually); the server's or client's own stack when it said it. */
    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        if (d.server() != null && d.server().ip().equals(e.reportedBy)) {
            return Fault.BEYOND_TAP;
        }
        return d.client() != null && d.client().ip().equals(e.reportedBy) ? Fault.CLIENT_SIDE : Fault.MIDDLEBOX;
    }

    /** The connections' segments and the ICMP errors quoting them. */
    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return FrameSelection.attempts(d, e.clients, FrameSelection.TCP).sinceStart();
    }
}
