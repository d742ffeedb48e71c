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
import org.tapdoctor.diagnose.Severity;
import org.tapdoctor.track.Attempt;
import org.tapdoctor.track.Outcome;
import org.tapdoctor.wire.DecodedFrame;

/**
 * {@code no_response}: SYNs (retransmitted) and nothing back before {@code tcp.syn-timeout} after
 * the last one (docs/diagnosis-rules.md section 1): dropped by a firewall, or the host or service
 * is down, beyond the tap.
 */
public final class NoResponse extends AttemptRule<NoResponse.Evidence> {

    /**
     * @param syn SYNs sent over the attempts (retransmissions included)
     * @param clients distinct clients
     */
    public record Evidence(long syn, Clients clients) implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put(SYN, syn);
            clients.write(w);
        }

        @Override
        public long synCount() {
            return syn;
        }
    }

    public NoResponse(Kind kind) {
        super(kind, Severity.CRITICAL, "SYN sent (and retransmitted), nothing came back", Evidence.class);
    }

    @Override
    public java.util.Set<Outcome> outcomes() {
        return java.util.Set.of(Outcome.NO_RESPONSE);
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
    protected void record(Problem p, Attempt a, long time, DecodedFrame decidingFrame) {
        // the count, the times and the SYNs are all it needs
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        return new Evidence(p.syn(), p.clients());
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        return server + " did not answer: " + e.syn + " SYN" + (e.syn == 1 ? "" : "s")
                + " got no reply; dropped by a firewall, or the host or service is down beyond the tap";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "NO REPLY";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return e.syn + " SYN" + Lcd.times(d);
    }

    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return Fault.BEYOND_TAP;
    }

    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return FrameSelection.attempts(d, e.clients, FrameSelection.TCP);
    }
}
