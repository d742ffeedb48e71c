package org.tapdoctor.diagnose.kinds;

import static org.tapdoctor.diagnose.EvidenceNames.SYN;

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
import org.tapdoctor.diagnose.ProblemRule;
import org.tapdoctor.diagnose.Severity;
import org.tapdoctor.track.Attempt;

/**
 * {@code server_overloaded} (docs/diagnosis-rules.md section 1, "Overloaded server"): the server
 * retransmitted its SYN/ACK after the client had acknowledged it and sent its request, which the
 * server never acknowledged: it did not take the client's ACK, because its accept queue was full
 * (the application does not accept connections as fast as they come). Decided when that happened
 * at least twice within {@link #WINDOW_NANOS} on the port (two attempts, or one attempt twice: a
 * single retransmission followed by an answer is loss or a blip, which a capture cannot tell
 * apart). The SYNs of the port that got no answer meanwhile (the full queue drops them) are folded
 * into it by the host's verdicts ({@code syn_unanswered}), not reported as {@code no_response}.
 */
public final class ServerOverloaded extends ProblemRule<ServerOverloaded.Evidence> {
    /** Two retransmissions after the client's ACK within this make the diagnosis. */
    public static final long WINDOW_NANOS = 60_000_000_000L;
    /** SYN-level failures of the port up to this long after the last retransmission are folded in. */
    public static final long FOLD_AFTER_NANOS = 10_000_000_000L;
    /**
     * SYN/ACKs retransmitted after the ACK, the time of the first and of the last, when it was
     * decided (-1: not yet), the largest request left unacknowledged.
     */
    private static final int RETRANSMISSIONS = 0, FIRST_RETRANSMISSION = 1, LAST_RETRANSMISSION = 2, DECIDED = 3,
            CLIENT_BYTES = 4;

    /**
     * @param synAckAfterAck attempts whose SYN/ACK the server retransmitted after the client's ACK
     * @param retransmissions those SYN/ACKs, over the attempts
     * @param synUnanswered attempts of the port whose SYNs got no answer meanwhile (folded in)
     * @param syn SYNs of all those attempts
     * @param clientBytes the largest request the server left unacknowledged, -1 when unknown
     * @param clients distinct clients
     */
    public record Evidence(long synAckAfterAck, long retransmissions, long synUnanswered, long syn, long clientBytes,
                           Clients clients) implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put("synack_after_ack", synAckAfterAck);
            w.put("synack_retransmissions", retransmissions);
            w.put("syn_unanswered", synUnanswered);
            w.put(SYN, syn);
            if (clientBytes >= 0) {
                w.put("client_bytes", clientBytes);
            }
            clients.write(w);
        }

        @Override
        public long synCount() {
            return syn;
        }
    }

    public ServerOverloaded(Kind kind) {
        super(kind, Severity.CRITICAL,
                "server retransmitted its SYN/ACK after the client completed the handshake and sent its request: "
                        + "it did not take the connection (accept queue full)",
                Evidence.class);
    }

    /**
     * One more report from the tracker: {@code retransmissions} SYN/ACKs after the client's ACK at
     * {@code time} (the attempt's occurrence is already counted), and what the client had sent.
     * @return whether this made it decided
     */
    public boolean record(Problem p, long time, int retransmissions, long clientBytes) {
        boolean decidedBefore = decided(p);
        if (retransmissions > 0) {
            long last = p.value(LAST_RETRANSMISSION);
            if (retransmissions >= 2 || (last >= 0 && time - last <= WINDOW_NANOS)) {
                p.value(DECIDED, time);
            }
            p.value(RETRANSMISSIONS, Math.max(0, p.value(RETRANSMISSIONS)) + retransmissions);
            if (p.value(FIRST_RETRANSMISSION) < 0) {
                p.value(FIRST_RETRANSMISSION, time);
            }
            p.value(LAST_RETRANSMISSION, time);
        }
        if (clientBytes > p.value(CLIENT_BYTES)) {
            p.value(CLIENT_BYTES, clientBytes);
        }
        return !decidedBefore && decided(p);
    }

    /** Whether two retransmissions after the ACK came within the window. */
    public static boolean decided(Problem p) {
        return p.value(DECIDED) >= 0;
    }

    /** The last SYN/ACK retransmitted after an ACK: SYN failures up to {@link #FOLD_AFTER_NANOS} later fold in. */
    public static long lastRetransmission(Problem p) {
        return p.value(LAST_RETRANSMISSION);
    }

    /** A single retransmission (or several more than a minute apart) is no diagnosis yet. */
    @Override
    public boolean dismissed(Problem p, Facts facts) {
        return !decided(p);
    }

    @Override
    public long syn(Problem p) {
        return p.syn();
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        return evidence(p, 0, 0);
    }

    /** The evidence with the port's unanswered attempts folded in ({@code unanswered}, their SYNs). */
    public Evidence evidence(Problem p, long unanswered, long unansweredSyn) {
        return new Evidence(p.count(), Math.max(0, p.value(RETRANSMISSIONS)), unanswered, p.syn() + unansweredSyn,
                p.value(CLIENT_BYTES), p.clients());
    }

    /** The problem as a diagnosis with the port's unanswered attempts folded in. */
    public Diagnosis diagnosis(Problem p, long unanswered, long unansweredSyn) {
        Endpoint server = new Endpoint(org.tapdoctor.wire.IpAddresses.format(p.serverHi(), p.serverLo()), p.serverPort());
        return diagnosis(key(p), client(p), server, p.count() + unanswered, time(p.first()), time(p.last()),
                evidence(p, unanswered, unansweredSyn));
    }

    /** The attempt whose retransmission this is: its occurrence (the first of the attempt), or later evidence. */
    public static void occurrence(Problem p, Attempt a, long time, boolean newAttempt) {
        if (newAttempt || p.count() == 0) {
            p.occurrence(a, time);
        } else {
            p.touch(time);
        }
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        String request = e.clientBytes > 0 ? "its " + e.clientBytes + "-byte request" : "its request";
        return server + " is overloaded: it retransmitted its SYN/ACK after " + e.synAckAfterAck
                + (e.synAckAfterAck == 1 ? " client" : " clients") + " had completed the handshake and sent "
                + request + ", never acknowledged: its accept queue is full (the application does not accept "
                + "connections fast enough)"
                + (e.synUnanswered > 0 ? "; " + e.synUnanswered + " more connect"
                        + (e.synUnanswered == 1 ? "" : "s") + " got no SYN/ACK at all" : "");
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "OVERLOAD";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return "no accept" + Lcd.times(d);
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
