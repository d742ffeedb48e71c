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
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.diagnose.Problem;
import org.tapdoctor.diagnose.Severity;
import org.tapdoctor.track.Attempt;
import org.tapdoctor.track.Outcome;
import org.tapdoctor.wire.DecodedFrame;

/**
 * {@code no_final_ack}: the server's SYN/ACK retransmitted and never acknowledged
 * (docs/diagnosis-rules.md section 1): the answer left the tap toward the client and nothing came
 * back: lost toward the client, an asymmetric route, a client firewall.
 */
public final class NoFinalAck extends AttemptRule<NoFinalAck.Evidence> {
    /** SYN/ACKs seen over the attempts. */
    private static final int SYN_ACKS = 0;

    /**
     * @param syn SYNs sent over the attempts
     * @param synAck SYN/ACKs seen over the attempts (retransmissions included)
     * @param clients distinct clients
     */
    public record Evidence(long syn, long synAck, Clients clients) implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put(SYN, syn);
            w.put("syn_ack", synAck);
            clients.write(w);
        }

        @Override
        public long synCount() {
            return syn;
        }
    }

    public NoFinalAck(Kind kind) {
        super(kind, Severity.WARNING,
                "server answered with SYN/ACK (retransmitted), the client never completed the handshake", Evidence.class);
    }

    @Override
    public java.util.Set<Outcome> outcomes() {
        return java.util.Set.of(Outcome.NO_FINAL_ACK);
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
        p.value(SYN_ACKS, Math.max(0, p.value(SYN_ACKS)) + a.synAckCount());
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        return new Evidence(p.syn(), Math.max(0, p.value(SYN_ACKS)), p.clients());
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        return server + " answered with SYN/ACK but the client never completed the handshake: "
                + "SYN/ACK lost toward the client, asymmetric route or client firewall";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "NO ACK";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return "client no ACK " + e.synAck + "x";
    }

    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return Fault.CLIENT_SIDE;
    }

    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return FrameSelection.attempts(d, e.clients, FrameSelection.TCP);
    }
}
