package org.tapdoctor.diagnose.kinds;

import org.tapdoctor.diagnose.Clients;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.EvidenceWriter;
import org.tapdoctor.diagnose.Facts;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.diagnose.Problem;
import org.tapdoctor.diagnose.ProblemRule;
import org.tapdoctor.diagnose.Severity;
import org.tapdoctor.track.Attempt;

/**
 * {@code mtu_blackhole}: a side's full-size segment (its largest, at least 1200 bytes of payload)
 * at the head of its unacknowledged data was retransmitted at least 3 times over at least 1 s and
 * never acknowledged, while a smaller segment of the same side was, and no ICMP fragmentation
 * needed or packet too big quoted the connection (docs/diagnosis-rules.md section 4): a link with a
 * smaller MTU whose ICMP is dropped on the way back. Small requests work, transfers hang. Aggregated
 * per (server, port); its count is connections.
 */
public final class MtuBlackhole extends ProblemRule<MtuBlackhole.Evidence> {
    /** The lost payload (largest), the acknowledged one (largest), retransmissions (sum), sender: 1 server. */
    private static final int LOST = 0, ACKED = 1, RETRANSMISSIONS = 2, SERVER_SENDS = 3;

    /**
     * @param mssLost the payload of the segment never acknowledged
     * @param mssAcked the largest payload of the same side that was acknowledged
     * @param retransmissions retransmissions of the lost segments counted when it was decided
     * @param sender {@code client} or {@code server}: the side whose segments were lost
     * @param clients distinct clients
     */
    public record Evidence(int mssLost, int mssAcked, long retransmissions, String sender, Clients clients)
            implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put("mss_lost", mssLost);
            w.put("mss_acked", mssAcked);
            w.put("retransmissions", retransmissions);
            w.put("sender", sender);
            clients.write(w);
        }
    }

    public MtuBlackhole(Kind kind) {
        super(kind, Severity.CRITICAL,
                "full-size segments retransmitted and never acknowledged while smaller ones were, no ICMP back",
                Evidence.class);
    }

    @Override
    public boolean foldsByHost() {
        return true;
    }

    /** One connection's black hole, seen from {@code since} (the head's first retransmission) to {@code until}. */
    public void record(Problem p, Attempt a, boolean serverSends, int lost, int acked, int retransmissions, long since,
                       long until) {
        p.occurrence(since, until, a.clientHi(), a.clientLo(), a.clientPort(), a.clientSide());
        if (p.value(LOST) < 0) {
            p.value(SERVER_SENDS, serverSends ? 1 : 0);
        }
        p.value(LOST, Math.max(p.value(LOST), lost));
        p.value(ACKED, Math.max(p.value(ACKED), acked));
        p.value(RETRANSMISSIONS, Math.max(0, p.value(RETRANSMISSIONS)) + retransmissions);
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        return new Evidence((int) Math.max(0, p.value(LOST)), (int) Math.max(0, p.value(ACKED)),
                Math.max(0, p.value(RETRANSMISSIONS)), p.value(SERVER_SENDS) == 1 ? "server" : "client", p.clients());
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        return "MTU black hole toward " + (e.sender.equals("server") ? "the client, from " : "") + server + ": the "
                + e.sender + "'s " + e.mssLost + "-byte segments were retransmitted " + e.retransmissions
                + " times and never acknowledged while " + e.mssAcked + "-byte ones were, and no ICMP came back:"
                + " a link with a smaller MTU whose ICMP is dropped (small requests work, transfers hang)";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "MTU HOLE";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return e.mssLost + " lost " + e.mssAcked + " ok";
    }

    /** The packets are lost past the tap on the way the sender's segments go. */
    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return e.sender.equals("server") ? Fault.CLIENT_SIDE : Fault.BEYOND_TAP;
    }

    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return FrameSelection.attempts(d, e.clients, FrameSelection.TCP).sinceStart();
    }
}
