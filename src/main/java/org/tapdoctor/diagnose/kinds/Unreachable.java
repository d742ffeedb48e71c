package org.tapdoctor.diagnose.kinds;

import static org.tapdoctor.diagnose.EvidenceNames.SYN;

import org.tapdoctor.diagnose.AttemptRule;
import org.tapdoctor.diagnose.Clients;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.EvidenceWriter;
import org.tapdoctor.diagnose.Facts;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.IcmpNames;
import org.tapdoctor.diagnose.IcmpReport;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.Lcd;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.diagnose.Problem;
import org.tapdoctor.diagnose.Severity;
import org.tapdoctor.track.Attempt;
import org.tapdoctor.track.Outcome;
import org.tapdoctor.wire.DecodedFrame;

/**
 * {@code unreachable}: a SYN answered by an ICMP or ICMPv6 error whose quoted header matches the
 * attempt (docs/diagnosis-rules.md section 1, "ICMP"): destination unreachable, time exceeded (a
 * routing loop, or a TTL too small) or parameter problem; the error's name, who said it, and the
 * SYN's TTL at the tap (a SYN that left with 64 and died of it went round a loop).
 */
public final class Unreachable extends AttemptRule<Unreachable.Evidence> {
    /**
     * The first ICMP error: its IP version, type and code packed ({@code version << 16 | type << 8
     * | code}), its pointer, its source address; and the TTL its SYN had at the tap.
     */
    private static final int HEADER = 0, POINTER = 1, SOURCE_HI = 2, SOURCE_LO = 3, SYN_TTL = 4;

    /**
     * @param syn SYNs sent over the attempts (0 when only the ICMP error proved one was sent)
     * @param icmp the first error that answered
     * @param synTtl the TTL (hop limit) of that attempt's SYN at the tap, -1 when its SYN was not seen
     * @param clients distinct clients
     */
    public record Evidence(long syn, IcmpReport icmp, int synTtl, Clients clients)
            implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put(SYN, syn);
            icmp.write(w);
            if (synTtl >= 0) {
                w.put("syn_ttl", synTtl);
            }
            clients.write(w);
        }

        @Override
        public long synCount() {
            return syn;
        }

        @Override
        public void writeKeptByHostFold(EvidenceWriter w) {
            icmp.writeNameAndReporter(w);
        }

        @Override
        public void writeKeptByClientFold(EvidenceWriter w) {
            w.put(IcmpReport.ICMP, icmp.name());
        }
    }

    public Unreachable(Kind kind) {
        super(kind, Severity.CRITICAL, "SYN answered by an ICMP destination unreachable, time exceeded or parameter problem", Evidence.class);
    }

    @Override
    public java.util.Set<Outcome> outcomes() {
        return java.util.Set.of(Outcome.UNREACHABLE);
    }

    @Override
    public boolean synFailure() {
        return true;
    }

    @Override
    public long syn(Problem p) {
        return p.syn();
    }

    @Override
    public boolean foldsByHost() {
        return true;
    }

    @Override
    public boolean foldsByClient() {
        return true;
    }

    @Override
    protected void record(Problem p, Attempt a, long time, DecodedFrame icmp) {
        if (icmp != null && p.value(HEADER) < 0) {
            p.value(HEADER, ((long) icmp.ipVersion() << 16) | ((icmp.icmpType() & 0xFF) << 8) | (icmp.icmpCode() & 0xFF));
            p.value(POINTER, icmp.icmpPointer());
            p.value(SOURCE_HI, icmp.srcHi());
            p.value(SOURCE_LO, icmp.srcLo());
            p.value(SYN_TTL, a.synTtl());
        }
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        return new Evidence(p.syn(), icmp(p), (int) p.value(SYN_TTL), p.clients());
    }

    /** The problem's first ICMP error. */
    public static IcmpReport icmp(Problem p) {
        long h = p.value(HEADER);
        return IcmpReport.of((int) (h >>> 16), (int) (h >>> 8) & 0xFF, (int) h & 0xFF, p.value(SOURCE_HI),
                p.value(SOURCE_LO), (int) p.value(POINTER));
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        return client != null && client.ip().equals(e.icmp.reportedBy())
                ? server + " unreachable: the client's own stack refused to send (ICMP " + e.icmp.name()
                        + " from itself: a local firewall rejects it)"
                : server + " unreachable: " + e.icmp.reportedBy() + " answered with ICMP " + e.icmp.name() + cause(e);
    }

    /** What a time exceeded or parameter problem says of the path. */
    private static String cause(Evidence e) {
        if (e.icmp.timeExceeded()) {
            return e.synTtl >= org.tapdoctor.track.TcpTracker.PROBE_TTL
                    ? ": the SYN left the tap with TTL " + e.synTtl + " and died on the way, a routing loop"
                    : ": the SYN's TTL ran out on the way (a routing loop, or a TTL too small)";
        }
        if (IcmpNames.PARAMETER_PROBLEM.equals(e.icmp.name())) {
            return ": it rejected the SYN's IP header or options"
                    + (e.icmp.pointer() >= 0 ? " (byte " + e.icmp.pointer() + ")" : "");
        }
        return "";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "ICMP";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        String name = IcmpNames.PARAMETER_PROBLEM.equals(e.icmp.name()) ? "param-problem" : e.icmp.name();
        return name + Lcd.times(d);
    }

    /** The server's own ICMP: beyond the tap; the client's own stack: its side; anyone else: a router between. */
    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return fault(d.client(), d.server(), e.icmp);
    }

    static Fault fault(Endpoint client, Endpoint server, IcmpReport icmp) {
        if (icmp.fromServer(server)) {
            return Fault.BEYOND_TAP;
        }
        return client != null && client.ip().equals(icmp.reportedBy()) ? Fault.CLIENT_SIDE : Fault.MIDDLEBOX;
    }

    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return FrameSelection.attempts(d, e.clients, FrameSelection.TCP);
    }
}
