package org.tapdoctor.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tapdoctor.diagnose.Wire.ACK;
import static org.tapdoctor.diagnose.Wire.SYN;
import static org.tapdoctor.diagnose.Wire.summary;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Placement.Fault;

/**
 * {@code slow_connect} (docs/diagnosis-rules.md section 1): a handshake that completed only after
 * the client retransmitted its SYN, beside the look-alikes that must stay silent. Client
 * 192.0.2.10; servers in 198.51.100.0/24; times in ms.
 */
class SlowConnectTest {
    static final String C = "192.0.2.10", C2 = "192.0.2.11", S = "198.51.100.20";

    /** SYN at {@code ms}, its retransmission {@code rto} later, the SYN/ACK 2 ms after that, the ACK. */
    private static Wire lostFirstSyn(Wire w, long ms, String client, int port, int rto, boolean ackSeen) {
        w.tcp(ms, client, port, S, 8082, SYN, 7000, 0).tcp(ms + rto, client, port, S, 8082, SYN, 7000, 0);
        w.tcp(ms + rto + 2, S, 8082, client, port, SYN | ACK, 9000, 7001, 63, 65535, 0);
        return ackSeen ? w.tcp(ms + rto + 3, client, port, S, 8082, ACK, 7001, 9001) : w;
    }

    @Test
    @KindTest(Kind.SLOW_CONNECT)
    void shouldReportAHandshakeThatNeededASynRetransmission() {
        Wire w = new Wire();
        w.handshake(0, C, 40000, S, 80, 63); // the same host answers its first SYN elsewhere
        lostFirstSyn(w, 100, C, 40001, 1000, true);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("slow_connect 198.51.100.20:8082"), summary(ds));
        Diagnosis d = ds.get(0);
        assertEquals(2L, d.evidence().get("syn"));
        assertEquals(1002L, d.evidence().get("delay_ms"));
        assertEquals(Severity.WARNING, d.kind().severity());
        assertEquals(Fault.BEYOND_TAP, new Sides(List.of("tapA", "tapB")).place(d, 0).placement().fault());
        assertEquals("198.51.100.20:8082 answered only after the client retransmitted its SYN: connecting took up to "
                + "1002 ms; the first SYN was lost beyond the tap or the server was too slow to answer it", d.summary());
    }

    @Test
    void shouldReportItWithoutTheClientsAckAsTheLiveFilterDrops() {
        Wire w = new Wire();
        lostFirstSyn(w, 0, C, 40001, 1000, false);
        w.idle(10_000); // ok_unconfirmed after tcp.synack-timeout
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("slow_connect 198.51.100.20:8082"), summary(ds));
        assertEquals(1002L, ds.get(0).evidence().get("delay_ms"));
    }

    @Test
    void shouldAggregateClientsWithTheLongestAndAverageDelay() {
        Wire w = new Wire();
        lostFirstSyn(w, 0, C, 40001, 1000, true);
        lostFirstSyn(w, 100, C2, 40002, 3000, true);
        lostFirstSyn(w, 200, C, 40003, 1000, true);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("slow_connect 198.51.100.20:8082"), summary(ds));
        Diagnosis d = ds.get(0);
        assertEquals(3, d.count());
        assertEquals(6L, d.evidence().get("syn"));
        assertEquals(3002L, d.evidence().get("delay_ms"));
        assertEquals(1668L, d.evidence().get("avg_delay_ms")); // (1002 + 3002 + 1002) / 3
        assertEquals(2, ((Number) d.evidence().get("clients")).intValue());
    }

    @Test
    void shouldStaySilentOnItsLookAlikes() {
        Wire w = new Wire();
        // The SYN/ACK lost toward the client: its SYN retransmitted after the answer (client side).
        w.tcp(0, C, 40010, S, 8082, SYN, 100, 0).tcp(2, S, 8082, C, 40010, SYN | ACK, 900, 101);
        w.tcp(1000, C, 40010, S, 8082, SYN, 100, 0).tcp(1002, S, 8082, C, 40010, SYN | ACK, 900, 101);
        w.tcp(1003, C, 40010, S, 8082, ACK, 101, 901);
        // The same SYN captured twice 50 us apart (a mirror port, a loop): no retransmission.
        w.frame(org.tapdoctor.wire.TestPackets.tcp(Wire.EPOCH + 2000 * Wire.MS, C, 40011, S, 8082, SYN, 200, 0, 64, 65535, 0));
        w.frame(org.tapdoctor.wire.TestPackets.tcp(Wire.EPOCH + 2000 * Wire.MS + 50_000, C, 40011, S, 8082, SYN, 200, 0, 64, 65535, 0));
        w.tcp(2010, S, 8082, C, 40011, SYN | ACK, 900, 201).tcp(2011, C, 40011, S, 8082, ACK, 201, 901);
        // A server slow to answer a single SYN: slow, but nothing lost and nothing retransmitted.
        w.tcp(3000, C, 40012, S, 8082, SYN, 300, 0).tcp(3800, S, 8082, C, 40012, SYN | ACK, 900, 301);
        w.tcp(3801, C, 40012, S, 8082, ACK, 301, 901);
        // And ordinary handshakes beside them.
        for (int i = 0; i < 20; i++) {
            w.handshake(4000 + i * 10, C, 41000 + i, S, 80, 63);
        }
        w.idle(30_000);
        assertEquals(List.of(), w.diagnoses());
    }
}
