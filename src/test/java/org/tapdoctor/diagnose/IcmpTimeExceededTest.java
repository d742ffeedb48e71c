package org.tapdoctor.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tapdoctor.diagnose.Wire.ACK;
import static org.tapdoctor.diagnose.Wire.RST;
import static org.tapdoctor.diagnose.Wire.SYN;
import static org.tapdoctor.diagnose.Wire.summary;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.wire.TestPackets;

/**
 * {@code unreachable} for ICMP time exceeded and parameter problem (docs/diagnosis-rules.md
 * section 1, "ICMP"): somebody answered the SYN, so it is never {@code no_response}; and the TCP
 * traceroute beside it (SYNs with a TTL below 32 at the tap) is not judged. Client 192.0.2.10;
 * times in ms.
 */
class IcmpTimeExceededTest {
    static final String C = "192.0.2.10", S = "203.0.113.70", ROUTER = "203.0.113.2", C6 = "2001:db8:a::10",
            S6 = "2001:db8:e::70", ROUTER6 = "2001:db8:12::2";
    static final Sides SIDES = new Sides(List.of("tapA", "tapB"));

    private static Wire icmp(Wire w, long ms, String reporter, int type, int code, int pointer, String client, int port,
                             String server, int sport, int isn) {
        return w.frame(TestPackets.icmpError(Wire.EPOCH + ms * Wire.MS, reporter, type, code, pointer, client, port,
                server, sport, isn));
    }

    @Test
    @KindTest(Kind.UNREACHABLE)
    void shouldReportASynThatDiedOfItsTtlAsARoutingLoop() {
        Wire w = new Wire();
        w.handshake(0, C, 40000, "198.51.100.10", 80, 63); // another host works
        w.tcp(100, C, 40001, S, 80, SYN, 55, 0);
        icmp(w, 101, ROUTER, 11, 0, -1, C, 40001, S, 80, 55);
        w.idle(10_000);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("unreachable 203.0.113.70:80"), summary(ds));
        Diagnosis d = ds.get(0);
        assertEquals("time-exceeded", d.evidence().get("icmp"));
        assertEquals(11, d.evidence().get("icmp_type"));
        assertEquals(0, d.evidence().get("icmp_code"));
        assertEquals(64, d.evidence().get("syn_ttl"));
        assertEquals(ROUTER, d.evidence().get("reported_by"));
        assertEquals(null, d.evidence().get("icmp_pointer"), "only a parameter problem has a pointer");
        assertEquals(Fault.MIDDLEBOX, SIDES.place(d, 0).placement().fault());
        assertEquals("203.0.113.70:80 unreachable: 203.0.113.2 answered with ICMP time-exceeded: the SYN left the tap "
                + "with TTL 64 and died on the way, a routing loop", d.summary());
    }

    @Test
    void shouldTakeBackANoResponseWhenTheTimeExceededComesLate() {
        Wire w = new Wire();
        w.tcp(0, C6, 40000, S6, 80, SYN, 7, 0);
        w.idle(3500); // no_response concluded
        icmp(w, 3600, ROUTER6, 3, 0, -1, C6, 40000, S6, 80, 7);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("unreachable [2001:db8:e::70]:80"), summary(ds));
        assertEquals("time-exceeded", ds.get(0).evidence().get("icmp"));
        assertEquals(3, ds.get(0).evidence().get("icmp_type"));
    }

    @Test
    void shouldReportAParameterProblemWithItsPointer() {
        Wire w = new Wire();
        w.tcp(0, C, 40000, "203.0.113.130", 9001, SYN, 9, 0);
        icmp(w, 1, ROUTER, 12, 0, 23, C, 40000, "203.0.113.130", 9001, 9);
        w.tcp(10, C6, 40001, "2001:db8:f::130", 9001, SYN, 11, 0);
        icmp(w, 11, "2001:db8:a::1", 4, 2, 42, C6, 40001, "2001:db8:f::130", 9001, 11);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("unreachable 203.0.113.130:9001", "unreachable [2001:db8:f::130]:9001"), summary(ds));
        Diagnosis v4 = ds.get(0);
        assertEquals("parameter-problem", v4.evidence().get("icmp"));
        assertEquals(23, v4.evidence().get("icmp_pointer"));
        assertEquals("203.0.113.130:9001 unreachable: 203.0.113.2 answered with ICMP parameter-problem: it rejected "
                + "the SYN's IP header or options (byte 23)", v4.summary());
        assertEquals("param-problem", v4.kind().rule().lcdDetail(v4));
        assertEquals(42, ds.get(1).evidence().get("icmp_pointer"));
        assertEquals(4, ds.get(1).evidence().get("icmp_type"));
    }

    @Test
    void shouldStaySilentOnATcpTraceroute() {
        Wire w = new Wire();
        // hping3 -T: a TTL 1 SYN answered by time exceeded from the first router, then TTL 2 SYNs
        // from new ports answered by the server and reset by the client's kernel.
        w.tcp(0, C, 2001, S, 80, SYN, 100, 0, 1, 512, 0);
        icmp(w, 1, "192.0.2.1", 11, 0, -1, C, 2001, S, 80, 100);
        w.tcp(1000, C, 2002, S, 80, SYN, 200, 0, 2, 512, 0);
        w.tcp(1001, S, 80, C, 2002, SYN | ACK, 900, 201, 63, 65535, 0);
        w.tcp(1002, C, 2002, S, 80, RST, 201, 0, 64, 0, 0);
        // mtr --tcp's probe that nobody answers (a router that sends no time exceeded)
        w.tcp(2000, C, 2003, S, 80, SYN, 300, 0, 3, 512, 0);
        w.idle(30_000);
        assertEquals(List.of(), w.diagnoses());
        assertEquals(3, w.tracker.stats().tracerouteProbes);
    }

    @Test
    void shouldStillJudgeASynThatArrivesWithTtl32() {
        Wire w = new Wire();
        w.tcp(0, C, 40000, S, 80, SYN, 100, 0, 32, 512, 0);
        icmp(w, 1, ROUTER, 11, 0, -1, C, 40000, S, 80, 100);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("unreachable 203.0.113.70:80"), summary(ds));
        assertEquals(32, ds.get(0).evidence().get("syn_ttl"));
    }

    @Test
    void shouldCountATimeExceededQuotingUdpNotJudgeIt() {
        Wire w = new Wire();
        // A UDP traceroute's answer (the corpus's rj_tracert): time exceeded quoting a UDP probe.
        org.tapdoctor.wire.DecodedFrame f = TestPackets.icmpError(Wire.EPOCH, "192.0.2.1", 11, 0, -1, C, 40000, S,
                33434, 0);
        TestPackets.quoteUdp(f);
        w.frame(f);
        assertEquals(List.of(), w.diagnoses());
        assertEquals(1, w.tracker.stats().icmpUnmatched);
    }
}
