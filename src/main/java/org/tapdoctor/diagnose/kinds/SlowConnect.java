package org.tapdoctor.diagnose.kinds;

import static org.tapdoctor.diagnose.EvidenceNames.SYN;

import java.util.Set;

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
import org.tapdoctor.track.ConnectionTable;
import org.tapdoctor.track.Outcome;
import org.tapdoctor.wire.DecodedFrame;

/**
 * {@code slow_connect}: the handshake completed, but only after the client retransmitted its SYN
 * (docs/diagnosis-rules.md section 1). The first SYN crossed the tap and went unanswered: lost
 * beyond the tap, or a server (its accept queue) too slow to answer it. Users feel it as "it
 * connects, but it hangs a second first", which a tester's single ping never shows.
 */
public final class SlowConnect extends AttemptRule<SlowConnect.Evidence> {
    /**
     * The shortest first-SYN-to-SYN/ACK time that counts: below every stack's SYN retransmission
     * timeout (RFC 6298's 1 s, Linux's 200 ms floor), so a SYN seen twice within it is the same
     * frame captured twice (a mirror port, a loop), not a retransmission.
     */
    static final long MIN_DELAY_NANOS = 200_000_000L;
    /** The longest connect time, and their sum for the average, in nanoseconds. */
    private static final int MAX_DELAY = 0, SUM_DELAY = 1;

    /**
     * @param syn SYNs sent over the attempts (retransmissions included)
     * @param delayMs the longest time from an attempt's first SYN to its SYN/ACK, in milliseconds
     * @param avgDelayMs the average of those times over the attempts
     * @param clients distinct clients
     */
    public record Evidence(long syn, long delayMs, long avgDelayMs, Clients clients)
            implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put(SYN, syn);
            w.put("delay_ms", delayMs);
            w.put("avg_delay_ms", avgDelayMs);
            clients.write(w);
        }

        @Override
        public long synCount() {
            return syn;
        }
    }

    public SlowConnect(Kind kind) {
        super(kind, Severity.WARNING,
                "handshake completed only after the client retransmitted its SYN: the first SYN went unanswered",
                Evidence.class);
    }

    @Override
    public Set<Outcome> outcomes() {
        // Live, the client's ACK is filtered: most handshakes end ok_unconfirmed. Should its
        // SYN/ACK be retransmitted later (no_final_ack), the first SYN still went unanswered.
        return Set.of(Outcome.OK, Outcome.OK_UNCONFIRMED);
    }

    @Override
    public boolean decides(Attempt a, Outcome o) {
        return a.synRetriedBeforeAnswer() && a.firstSyn() != ConnectionTable.NONE
                && a.firstSynAck() != ConnectionTable.NONE && a.firstSynAck() - a.firstSyn() >= MIN_DELAY_NANOS;
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
        long delay = a.firstSynAck() - a.firstSyn();
        p.value(MAX_DELAY, Math.max(p.value(MAX_DELAY), delay));
        p.value(SUM_DELAY, Math.max(0, p.value(SUM_DELAY)) + delay);
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        long n = Math.max(1, p.count());
        return new Evidence(p.syn(), Math.max(0, p.value(MAX_DELAY)) / 1_000_000,
                Math.max(0, p.value(SUM_DELAY)) / n / 1_000_000, p.clients());
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        return server + " answered only after the client retransmitted its SYN: connecting took up to "
                + e.delayMs + " ms; the first SYN was lost beyond the tap or the server was too slow to answer it";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "SLOW";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return "connect " + e.delayMs + "ms";
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
