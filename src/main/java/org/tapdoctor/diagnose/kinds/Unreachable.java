package org.tapdoctor.diagnose.kinds;

import static org.tapdoctor.diagnose.EvidenceNames.SYN;

import org.tapdoctor.diagnose.AttemptRule;
import org.tapdoctor.diagnose.Clients;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.EvidenceWriter;
import org.tapdoctor.diagnose.Facts;
import org.tapdoctor.diagnose.FrameSelection;
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
 * {@code unreachable}: a SYN answered by an ICMP or ICMPv6 destination unreachable whose quoted
 * header matches the attempt (docs/diagnosis-rules.md section 1, "ICMP"): the code's name and who
 * said it.
 */
public final class Unreachable extends AttemptRule<Unreachable.Evidence> {
    /** The first ICMP error's type, code, IP version and source address. */
    private static final int TYPE = 0, CODE = 1, VERSION = 2, SOURCE_HI = 3, SOURCE_LO = 4;

    /**
     * @param syn SYNs sent over the attempts (0 when only the ICMP error proved one was sent)
     * @param icmp the first error that answered
     * @param clients distinct clients
     */
    public record Evidence(long syn, IcmpReport icmp, Clients clients) implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put(SYN, syn);
            icmp.write(w);
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
        super(kind, Severity.CRITICAL, "SYN answered by an ICMP destination unreachable", Evidence.class);
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
        if (icmp != null && p.value(TYPE) < 0) {
            p.value(TYPE, icmp.icmpType());
            p.value(CODE, icmp.icmpCode());
            p.value(VERSION, icmp.ipVersion());
            p.value(SOURCE_HI, icmp.srcHi());
            p.value(SOURCE_LO, icmp.srcLo());
        }
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        return new Evidence(p.syn(), icmp(p), p.clients());
    }

    /** The problem's first ICMP error. */
    public static IcmpReport icmp(Problem p) {
        return IcmpReport.of((int) p.value(VERSION), (int) p.value(TYPE), (int) p.value(CODE), p.value(SOURCE_HI),
                p.value(SOURCE_LO));
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        return client != null && client.ip().equals(e.icmp.reportedBy())
                ? server + " unreachable: the client's own stack refused to send (ICMP " + e.icmp.name()
                        + " from itself: a local firewall rejects it)"
                : server + " unreachable: " + e.icmp.reportedBy() + " answered with ICMP " + e.icmp.name();
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "ICMP";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return e.icmp.name() + Lcd.times(d);
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
