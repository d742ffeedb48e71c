package org.tapdoctor.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tapdoctor.diagnose.Wire.ACK;
import static org.tapdoctor.diagnose.Wire.summary;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.wire.TestPackets;

/**
 * {@code mtu_problem} and {@code mtu_blackhole} (docs/diagnosis-rules.md section 4), beside the
 * look-alikes that must stay silent: ordinary loss, a healthy bulk transfer, a dead path, a
 * message quoting nothing followed. Client 192.0.2.10 (port 40000), server 203.0.113.130:9001,
 * router 192.0.2.1; the handshake leaves the client at seq 1001, the server at 5001; times in ms.
 */
class PathMtuTest {
    static final String C = "192.0.2.10", S = "203.0.113.130", R = "192.0.2.1";

    private static Wire connection() {
        return new Wire().handshake(0, C, 40000, S, 9001, 63);
    }

    /** A client data segment of {@code len} bytes at {@code seq}. */
    private static Wire up(Wire w, long ms, int seq, int len) {
        return w.tcp(ms, C, 40000, S, 9001, ACK, seq, 5001, 64, 65535, len);
    }

    /** The server's pure ACK up to {@code ack}. */
    private static Wire ack(Wire w, long ms, int ack) {
        return w.tcp(ms, S, 9001, C, 40000, ACK, 5001, ack, 63, 65535, 0);
    }

    /** A 41-byte request acknowledged, then two 1448-byte segments from 1042. */
    private static Wire requestThenFullSize(Wire w) {
        up(w, 20, 1001, 41);
        ack(w, 21, 1042);
        up(w, 30, 1042, 1448);
        return up(w, 30, 2490, 1448);
    }

    private static Diagnosis only(List<Diagnosis> ds) {
        assertEquals(1, ds.size(), ds.toString());
        return new Sides(List.of("tapA", "tapB")).place(ds.get(0), 0);
    }

    @Test
    @KindTest(Kind.MTU_PROBLEM)
    void shouldReportAFragmentationNeededQuotingAConnection() {
        Wire w = connection();
        up(w, 20, 1001, 1448);
        w.frame(TestPackets.icmpTooBig(Wire.EPOCH + 21 * Wire.MS, R, 1400, C, 40000, S, 9001, 1001, 1500));
        up(w, 22, 1001, 1348).frame(TestPackets.icmpTooBig(Wire.EPOCH + 23 * Wire.MS, R, 1400, C, 40000, S, 9001, 2349, 1500));
        ack(w, 30, 2349);
        Diagnosis d = only(w.diagnoses());
        assertEquals("mtu_problem 203.0.113.130:9001", summary(List.of(d)).get(0));
        assertEquals(1400, d.evidence().get("next_hop_mtu"));
        assertEquals(R, d.evidence().get("reported_by"));
        assertEquals(1500, d.evidence().get("quoted_length"));
        assertEquals(2L, d.evidence().get("messages"));
        assertEquals(1L, d.count(), "one connection");
        assertEquals(Severity.WARNING, d.kind().severity());
        assertEquals(Fault.MIDDLEBOX, d.placement().fault());
        assertEquals("the path to 203.0.113.130:9001 has a smaller MTU: 192.0.2.1 said its next link takes 1400 bytes,"
                + " for a packet of 1500; it works while these ICMP messages reach the sender (a firewall that drops"
                + " them makes an MTU black hole)", d.summary());
        assertEquals("MTU", d.kind().rule().lcdTag(d));
        assertEquals("next hop 1400", d.kind().rule().lcdDetail(d));
    }

    @Test
    void shouldReportAPacketTooBigOverIpv6ForTheServersSegment() {
        String c6 = "2001:db8:a::10", s6 = "2001:db8:f::130";
        Wire w = new Wire().handshake(0, c6, 40000, s6, 443, 63);
        w.tcp(20, s6, 443, c6, 40000, ACK, 5001, 1001, 63, 65535, 1428);
        w.frame(TestPackets.icmpTooBig(Wire.EPOCH + 21 * Wire.MS, "2001:db8:a::1", 1280, s6, 443, c6, 40000, 5001, 1500));
        Diagnosis d = only(w.diagnoses());
        assertEquals("mtu_problem [2001:db8:f::130]:443", summary(List.of(d)).get(0));
        assertEquals(1280, d.evidence().get("next_hop_mtu"));
        assertEquals("2001:db8:a::1", d.evidence().get("reported_by"));
    }

    @Test
    void shouldCountAMessageQuotingNoFollowedConnectionAsUnmatched() {
        Wire w = connection();
        long before = w.tracker.stats().icmpUnmatched;
        w.frame(TestPackets.icmpTooBig(Wire.EPOCH + 21 * Wire.MS, R, 1400, C, 40001, S, 9001, 1, 1500));
        assertEquals(List.of(), w.diagnoses());
        assertEquals(before + 1, w.tracker.stats().icmpUnmatched);
    }

    @Test
    @KindTest(Kind.MTU_BLACKHOLE)
    void shouldReportFullSizeSegmentsNeverAcknowledgedWhileASmallerOneWas() {
        Wire w = requestThenFullSize(connection());
        for (long ms : new long[] {230, 630, 1430, 3030}) {
            up(w, ms, 1042, 1448);
        }
        Diagnosis d = only(w.diagnoses());
        assertEquals("mtu_blackhole 203.0.113.130:9001", summary(List.of(d)).get(0));
        assertEquals(1448, d.evidence().get("mss_lost"));
        assertEquals(41, d.evidence().get("mss_acked"));
        assertEquals(3L, d.evidence().get("retransmissions"), "counted when decided, at the third");
        assertEquals("client", d.evidence().get("sender"));
        assertEquals(Severity.CRITICAL, d.kind().severity());
        assertEquals(Fault.BEYOND_TAP, d.placement().fault());
        assertEquals("MTU HOLE", d.kind().rule().lcdTag(d));
        assertEquals("1448 lost 41 ok", d.kind().rule().lcdDetail(d));
        assertEquals(true, d.kind().rule().lcdDetail(d).length() <= 16);
    }

    @Test
    void shouldReportADownloadsBlackHoleOnTheClientSide() {
        Wire w = connection();
        up(w, 20, 1001, 41); // the request, acknowledged by the server's first reply segment
        w.tcp(25, S, 9001, C, 40000, ACK, 5001, 1042, 63, 65535, 200);
        w.tcp(26, C, 40000, S, 9001, ACK, 1042, 5201, 64, 65535, 0);
        w.tcp(30, S, 9001, C, 40000, ACK, 5201, 1042, 63, 65535, 1448);
        for (long ms : new long[] {330, 930, 2130}) {
            w.tcp(ms, S, 9001, C, 40000, ACK, 5201, 1042, 63, 65535, 1448);
        }
        Diagnosis d = only(w.diagnoses());
        assertEquals("server", d.evidence().get("sender"));
        assertEquals(200, d.evidence().get("mss_acked"));
        assertEquals(Fault.CLIENT_SIDE, d.placement().fault());
    }

    @Test
    void shouldStaySilentOnARetransmissionThatIsAcknowledged() {
        Wire w = requestThenFullSize(connection());
        up(w, 230, 1042, 1448);
        up(w, 630, 1042, 1448);
        ack(w, 631, 3938); // got through after two: ordinary loss
        up(w, 640, 3938, 1448);
        up(w, 1500, 3938, 1448); // a later loss starts its own count
        up(w, 2500, 3938, 1448);
        assertEquals(List.of(), w.diagnoses());
    }

    @Test
    void shouldStaySilentWhenFullSizeSegmentsWereAcknowledgedBefore() {
        // The path carried full-size segments, then stopped: not an MTU (a dead path, or loss).
        Wire w = connection();
        up(w, 20, 1001, 1448);
        ack(w, 21, 2449);
        up(w, 30, 2449, 1448);
        for (long ms : new long[] {230, 630, 1430, 3030}) {
            up(w, ms, 2449, 1448);
        }
        assertEquals(List.of(), w.diagnoses());
    }

    @Test
    void shouldStaySilentWithoutASmallerAcknowledgedSegment() {
        Wire w = connection();
        up(w, 30, 1001, 1448);
        for (long ms : new long[] {230, 630, 1430, 3030}) {
            up(w, ms, 1001, 1448);
        }
        assertEquals(List.of(), w.diagnoses());
    }

    @Test
    void shouldStaySilentOnRetransmissionsWithinASecondOrOfSmallSegments() {
        Wire w = requestThenFullSize(connection());
        for (long ms : new long[] {100, 200, 300, 400}) {
            up(w, ms, 1042, 1448); // 4 retransmissions within 0.3 s
        }
        Wire small = connection();
        up(small, 20, 1001, 41);
        ack(small, 21, 1042);
        up(small, 30, 1042, 600);
        for (long ms : new long[] {230, 630, 1430, 3030}) {
            up(small, ms, 1042, 600); // not full size: plain loss
        }
        assertEquals(List.of(), w.diagnoses());
        assertEquals(List.of(), small.diagnoses());
    }

    @Test
    void shouldLeaveABlackHoleToTheIcmpWhenItCame() {
        Wire w = requestThenFullSize(connection());
        w.frame(TestPackets.icmpTooBig(Wire.EPOCH + 31 * Wire.MS, R, 1400, C, 40000, S, 9001, 1042, 1500));
        for (long ms : new long[] {230, 630, 1430, 3030}) {
            up(w, ms, 1042, 1448);
        }
        assertEquals(List.of("mtu_problem 203.0.113.130:9001"), summary(w.diagnoses()));
    }
}
