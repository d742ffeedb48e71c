package org.tapdoctor.diagnose.kinds;

import static org.tapdoctor.diagnose.EvidenceNames.SYN;

import org.tapdoctor.diagnose.AttemptRule;
import org.tapdoctor.diagnose.Clients;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.EvidenceWriter;
import org.tapdoctor.diagnose.Facts;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.Lcd;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.diagnose.Problem;
import org.tapdoctor.diagnose.RstOrigin;
import org.tapdoctor.diagnose.Severity;
import org.tapdoctor.track.Attempt;
import org.tapdoctor.track.Outcome;
import org.tapdoctor.wire.DecodedFrame;

/**
 * {@code refused}: a SYN answered by a RST (docs/diagnosis-rules.md section 1): nothing listens
 * there, or a firewall rejects it; {@link RstOrigin} tells the host's own RST from a middlebox's.
 */
public final class Refused extends AttemptRule<Refused.Evidence> {
    /** The latest RST's TTL. */
    private static final int RST_TTL = 0;

    /**
     * @param syn SYNs sent over the attempts
     * @param rst who sent the (latest) RST
     * @param clients distinct clients
     */
    public record Evidence(long syn, RstOrigin rst, Clients clients) implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put(SYN, syn);
            rst.writeTtls(w);
            rst.writeFrom(w);
            clients.write(w);
        }

        @Override
        public long synCount() {
            return syn;
        }

        @Override
        public void writeKeptByHostFold(EvidenceWriter w) {
            rst.writeFrom(w);
        }

        @Override
        public void writeKeptByClientFold(EvidenceWriter w) {
            rst.writeFrom(w);
        }
    }

    public Refused(Kind kind) {
        super(kind, Severity.CRITICAL, "SYN answered by a RST: nothing listens there, or a firewall rejects it",
                Evidence.class);
    }

    @Override
    public java.util.Set<Outcome> outcomes() {
        return java.util.Set.of(Outcome.REFUSED);
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
    protected void record(Problem p, Attempt a, long time, DecodedFrame rst) {
        p.value(RST_TTL, rst != null ? rst.ttl() : -1);
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        return new Evidence(p.syn(), rstOrigin(p, facts), p.clients());
    }

    /** The origin of the problem's RST, judged against the host's reference (a refused attempt has no SYN/ACK of its own). */
    public static RstOrigin rstOrigin(Problem p, Facts facts) {
        return RstOrigin.judge((int) p.value(RST_TTL), facts.referenceTtl(p.serverHi(), p.serverLo()));
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        return server + " refused the connection: " + (e.rst.fromMiddlebox()
                ? "a middlebox (firewall) sent the RST, not the host" : "nothing listens there, or a firewall rejects it");
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "RST";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return "refused by " + Lcd.from(e.rst) + Lcd.times(d);
    }

    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return e.rst.fromMiddlebox() ? Fault.MIDDLEBOX : Fault.BEYOND_TAP;
    }

    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return FrameSelection.attempts(d, e.clients, FrameSelection.TCP);
    }
}
