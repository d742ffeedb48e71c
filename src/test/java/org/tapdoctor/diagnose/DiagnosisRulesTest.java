package org.tapdoctor.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tapdoctor.diagnose.Wire.ACK;
import static org.tapdoctor.diagnose.Wire.FIN;
import static org.tapdoctor.diagnose.Wire.PSH;
import static org.tapdoctor.diagnose.Wire.RST;
import static org.tapdoctor.diagnose.Wire.SYN;
import static org.tapdoctor.diagnose.Wire.summary;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tapdoctor.track.TrackerConfig;
import org.tapdoctor.wire.TestPackets;

/**
 * Every rule of docs/diagnosis-rules.md as a scripted capture through the real tracker and
 * diagnoser. Client 192.0.2.10; servers in 198.51.100.0/24; times in ms.
 */
class DiagnosisRulesTest {
    static final String C = "192.0.2.10", S1 = "198.51.100.10", S2 = "198.51.100.20", ROUTER = "192.0.2.1";

    @Test
    void shouldReportNothingForHealthyHandshakes() {
        Wire w = new Wire();
        for (int i = 0; i < 50; i++) {
            w.handshake(i * 100L, C, 40000 + i, S1, 80, 63);
        }
        w.idle(30_000);
        assertEquals(List.of(), w.diagnoses());
        assertEquals(50, w.tracker.stats().handshakesOk);
        assertEquals(0, w.tracker.stats().handshakesFailed);
    }

    @Test
    @KindTest(Kind.NO_RESPONSE)
    void shouldReportNoResponseExactlyAtTheTimeoutAfterTheLastSyn() {
        Wire w = new Wire();
        w.tcp(0, C, 40000, S2, 81, SYN, 77, 0).tcp(1000, C, 40000, S2, 81, SYN, 77, 0).tcp(3000, C, 40000, S2, 81, SYN, 77, 0);
        for (long ms = 3000; ms < 6000; ms++) {
            w.idle(ms); // the clock ticks; timeouts are swept every 250 ms
        }
        assertEquals(0, w.tracker.stats().handshakesFailed, "not yet: 2.999 s after the last SYN");
        w.idle(6000 + 250);
        assertEquals(1, w.tracker.stats().handshakesFailed, "noticed within one sweep interval");
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("no_response 198.51.100.20:81"), summary(ds));
        Diagnosis d = ds.get(0);
        assertEquals(1, d.count(), "three SYNs with one ISN are one attempt");
        assertEquals(3L, d.evidence().get("syn"));
        assertEquals("192.0.2.10:40000", d.client().toString());
        assertEquals(Wire.EPOCH / 1_000_000_000L, d.first().getEpochSecond());
        assertEquals(3000, d.last().toEpochMilli() - d.first().toEpochMilli());
    }

    @Test
    void shouldCountANewIsnOnTheSameTupleAsANewAttempt() {
        Wire w = new Wire();
        w.tcp(0, C, 40000, S2, 81, SYN, 77, 0).tcp(1000, C, 40000, S2, 81, SYN, 77, 0);
        w.tcp(1500, C, 40000, S2, 81, SYN, 999, 0);
        w.idle(10_000);
        Diagnosis d = w.diagnoses().get(0);
        assertEquals(2, d.count());
        assertEquals(3L, d.evidence().get("syn"));
    }

    @Test
    void shouldNotJudgeASingleSynCutByTheEndOfTheCapture() {
        Wire w = new Wire();
        w.handshake(0, C, 40001, S1, 80, 63);
        w.tcp(500, C, 40000, S2, 81, SYN, 77, 0);
        w.idle(2000);
        assertEquals(List.of(), w.diagnoses());
    }

    @Test
    void shouldJudgeASynRetransmittedAfterAFullRtoEvenIfTheCaptureEnds() {
        Wire w = new Wire();
        w.tcp(0, C, 40000, S2, 81, SYN, 77, 0).tcp(1000, C, 40000, S2, 81, SYN, 77, 0);
        assertEquals(List.of("no_response 198.51.100.20:81"), summary(w.diagnoses()));
    }

    @Test
    @KindTest(Kind.REFUSED)
    void shouldReportRefusedWithUnknownSourceWithoutAReference() {
        Wire w = new Wire();
        w.tcp(0, C, 40000, S1, 82, SYN, 77, 0).tcp(1, S1, 82, C, 40000, RST | ACK, 0, 78, 63, 0, 0);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("refused 198.51.100.10:82"), summary(ds));
        assertEquals("unknown", ds.get(0).evidence().get("rst_from"));
        assertEquals(63, ds.get(0).evidence().get("rst_ttl"));
    }

    @Test
    void shouldTellTheServersRstFromAMiddleboxByHopDistance() {
        Wire w = new Wire();
        // Port 80 works (SYN/ACK TTL 63: one hop), then port 80 refuses with TTL 63 (the host) ...
        w.handshake(0, C, 40000, S1, 80, 63);
        w.tcp(100, C, 40001, S1, 80, SYN, 10, 0).tcp(101, S1, 80, C, 40001, RST | ACK, 0, 11, 63, 0, 0);
        // ... and port 85 is refused with TTL 64: zero hops, the router in front of the server.
        w.tcp(200, C, 40002, S1, 85, SYN, 20, 0).tcp(201, S1, 85, C, 40002, RST | ACK, 0, 21, 64, 0, 0);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("refused 198.51.100.10:80", "port_blocked 198.51.100.10:85"), summary(ds));
        assertEquals("server", ds.get(0).evidence().get("rst_from"), "port 80 also worked: intermittent, host's own RST");
        assertEquals("middlebox", ds.get(1).evidence().get("rst_from"));
        assertEquals("refused", ds.get(1).evidence().get("failure"));
        assertEquals(List.of(80), ds.get(1).evidence().get("ok_ports"));
    }

    @Test
    @KindTest(Kind.PORT_BLOCKED)
    void shouldReportPortBlockedWhenAnotherPortOfTheHostWorks() {
        Wire w = new Wire();
        w.handshake(0, C, 40000, S1, 80, 64);
        w.tcp(100, C, 40001, S1, 6036, SYN, 10, 0).tcp(101, S1, 6036, C, 40001, RST | ACK, 0, 11, 64, 0, 0);
        w.tcp(300, C, 40002, S1, 6036, SYN, 30, 0).tcp(301, S1, 6036, C, 40002, RST | ACK, 0, 31, 64, 0, 0);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("port_blocked 198.51.100.10:6036"), summary(ds), "replaces the two refused attempts");
        assertEquals(2, ds.get(0).count());
        assertEquals("server", ds.get(0).evidence().get("rst_from"));
        assertTrue(ds.get(0).summary().contains("port 80"), ds.get(0).summary());
    }

    @Test
    @KindTest(Kind.HOST_UNREACHABLE)
    void shouldReportHostUnreachableWhenEveryAttemptToOneHostFailsWhileOthersWork() {
        Wire w = new Wire();
        w.handshake(0, C, 40000, S1, 80, 63);
        w.tcp(10, C, 40001, S2, 80, SYN, 10, 0).tcp(20, C, 40002, S2, 443, SYN, 20, 0);
        w.idle(10_000);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("host_unreachable 198.51.100.20"), summary(ds));
        assertEquals(2, ds.get(0).count());
        assertEquals(List.of(80, 443), ds.get(0).evidence().get("port_list"));
        assertEquals(1, ds.get(0).evidence().get("ok_hosts"));
    }

    @Test
    void shouldKeepOneFailedAttemptAtAttemptLevel() {
        Wire w = new Wire();
        w.handshake(0, C, 40000, S1, 80, 63);
        w.tcp(10, C, 40001, S2, 80, SYN, 10, 0);
        w.idle(10_000);
        assertEquals(List.of("no_response 198.51.100.20:80"), summary(w.diagnoses()));
    }

    @Test
    void shouldNotCallAHostThatRefusesUnreachable() {
        Wire w = new Wire();
        w.handshake(0, C, 40000, S1, 80, 63);
        w.tcp(10, C, 40001, S2, 80, SYN, 10, 0).tcp(11, S2, 80, C, 40001, RST | ACK, 0, 11, 63, 0, 0);
        w.tcp(20, C, 40002, S2, 443, SYN, 20, 0);
        w.idle(10_000);
        assertEquals(List.of("refused 198.51.100.20:80", "no_response 198.51.100.20:443"), summary(w.diagnoses()));
    }

    @Test
    @KindTest(Kind.UNREACHABLE)
    void shouldMatchIcmpUnreachableThroughTheQuotedHeader() {
        Wire w = new Wire();
        w.tcp(0, C, 40000, S2, 83, SYN, 55, 0);
        w.frame(TestPackets.icmpUnreachable(Wire.EPOCH + Wire.MS, ROUTER, 13, C, 40000, S2, 83, 55));
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("unreachable 198.51.100.20:83"), summary(ds));
        assertEquals("admin-prohibited", ds.get(0).evidence().get("icmp"));
        assertEquals("192.0.2.1", ds.get(0).evidence().get("reported_by"));
        assertEquals(1L, ds.get(0).evidence().get("syn"));
    }

    @Test
    void shouldIgnoreIcmpQuotingAnotherIsn() {
        Wire w = new Wire();
        w.tcp(0, C, 40000, S2, 83, SYN, 55, 0);
        w.frame(TestPackets.icmpUnreachable(Wire.EPOCH + Wire.MS, ROUTER, 1, C, 40000, S2, 83, 999));
        w.idle(1000);
        assertEquals(List.of(), w.diagnoses(), "an ICMP for another attempt proves nothing about this one");
        assertEquals(1, w.tracker.stats().icmpUnmatched);
    }

    @Test
    void shouldTurnALateIcmpHostUnreachableIntoUnreachableNotNoResponse() {
        Wire w = new Wire();
        w.tcp(0, C, 40000, S2, 83, SYN, 55, 0);
        w.idle(3500);
        w.frame(TestPackets.icmpUnreachable(Wire.EPOCH + 3600 * Wire.MS, ROUTER, 1, C, 40000, S2, 83, 55));
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("unreachable 198.51.100.20:83"), summary(ds));
        assertEquals("host-unreachable", ds.get(0).evidence().get("icmp"));
    }

    @Test
    void shouldDecodeIcmpv6NoRoute() {
        Wire w = new Wire();
        w.tcp(0, "2001:db8:a::10", 40000, "2001:db8:b::20", 443, SYN, 1, 0);
        w.frame(TestPackets.icmpUnreachable(Wire.EPOCH + Wire.MS, "2001:db8:a::1", 0, "2001:db8:a::10", 40000,
                "2001:db8:b::20", 443, 1));
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("unreachable [2001:db8:b::20]:443"), summary(ds));
        assertEquals("no-route", ds.get(0).evidence().get("icmp"));
    }

    @Test
    void shouldForgiveAnAttemptAnsweredAfterItsTimeout() {
        Wire w = new Wire();
        w.tcp(0, C, 40000, S1, 80, SYN, 1, 0).tcp(3000, C, 40000, S1, 80, SYN, 1, 0);
        w.idle(6500);
        assertEquals(1, w.tracker.stats().handshakesFailed);
        w.tcp(9000, C, 40000, S1, 80, SYN, 1, 0).tcp(9100, S1, 80, C, 40000, SYN | ACK, 7, 2).tcp(9101, C, 40000, S1, 80, ACK, 2, 8);
        // Never reported as failing; but the client waited 9.1 s and three SYNs for it.
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("slow_connect 198.51.100.10:80"), summary(ds));
        assertEquals(9100L, ds.get(0).evidence().get("delay_ms"));
        assertEquals(0, w.tracker.stats().handshakesFailed);
    }

    @Test
    @KindTest(Kind.NO_FINAL_ACK)
    void shouldReportNoFinalAckWhenTheSynAckIsRetransmitted() {
        Wire w = new Wire();
        w.tcp(0, C, 40000, S1, 8080, SYN, 1, 0).tcp(1, S1, 8080, C, 40000, SYN | ACK, 7, 2);
        w.tcp(1000, C, 40000, S1, 8080, SYN, 1, 0).tcp(1001, S1, 8080, C, 40000, SYN | ACK, 7, 2);
        w.idle(10_000);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("no_final_ack 198.51.100.10:8080"), summary(ds));
        assertEquals(2L, ds.get(0).evidence().get("syn_ack"));
    }

    @Test
    void shouldTakeASynAckSeenOnceAsAnsweredWithoutAnAck() {
        Wire w = new Wire();
        w.tcp(0, C, 40000, S1, 80, SYN, 1, 0).tcp(1, S1, 80, C, 40000, SYN | ACK, 7, 2);
        w.idle(10_000);
        assertEquals(List.of(), w.diagnoses(), "live capture filters pure ACKs; no SYN/ACK retransmission = acked");
        assertEquals(1, w.tracker.stats().handshakesOk);
    }

    @Test
    @KindTest(Kind.RESET)
    void shouldReportAServerResetBeforeAnyData() {
        Wire w = new Wire();
        w.handshake(0, C, 40000, S1, 8443, 64);
        w.tcp(12, S1, 8443, C, 40000, RST | ACK, 5001, 1001, 64, 0, 0);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("reset 198.51.100.10:8443"), summary(ds));
        assertEquals("server", ds.get(0).evidence().get("rst_from"));
        assertEquals(1L, ds.get(0).evidence().get("after_ms"));
    }

    @Test
    void shouldReportAResetAnsweringARequestEvenLate() {
        Wire w = new Wire();
        w.handshake(0, C, 40000, S1, 8443, 64);
        w.tcp(5000, C, 40000, S1, 8443, ACK | PSH, 1001, 5001, 64, 65535, 100);
        w.tcp(5100, S1, 8443, C, 40000, RST | ACK, 5001, 1101, 64, 0, 0);
        assertEquals(List.of("reset 198.51.100.10:8443"), summary(w.diagnoses()));
    }

    @Test
    void shouldNotReportResetsThatCloseOrTimeOutIdleConnections() {
        Wire w = new Wire();
        // The client closes first, the server answers the FIN with a RST: a close.
        w.handshake(0, C, 40000, S1, 80, 64);
        w.tcp(5000, C, 40000, S1, 80, FIN | ACK, 1001, 5001).tcp(5100, S1, 80, C, 40000, RST | ACK, 5001, 1002, 64, 0, 0);
        // The client never sent a request; the server drops the idle connection after 5 s.
        w.handshake(100, C, 40001, S1, 80, 64);
        w.tcp(5200, S1, 80, C, 40001, RST | ACK, 5001, 1001, 64, 0, 0);
        // Data flowed, then a RST: an ordinary abortive close.
        w.handshake(200, C, 40002, S1, 80, 64);
        w.tcp(300, S1, 80, C, 40002, ACK | PSH, 5001, 1001, 64, 65535, 500);
        w.tcp(400, S1, 80, C, 40002, RST | ACK, 5501, 1001, 64, 0, 0);
        // The client resets right after the handshake: a health check.
        w.handshake(300, C, 40003, S1, 80, 64);
        w.tcp(312, C, 40003, S1, 80, RST | ACK, 1001, 5001);
        assertEquals(List.of(), w.diagnoses());
        assertEquals(1, w.tracker.stats().clientAborts);
        assertTrue(w.tracker.stats().abortiveCloses >= 1);
    }

    @Test
    @KindTest(Kind.ZERO_WINDOW)
    void shouldReportALongZeroWindowOnly() {
        Wire w = new Wire();
        w.handshake(0, C, 40000, S1, 9000, 64);
        w.tcp(100, S1, 9000, C, 40000, ACK, 5001, 1001, 64, 0, 0);
        w.tcp(1100, S1, 9000, C, 40000, ACK, 5001, 1001, 64, 0, 0);
        w.tcp(3100, S1, 9000, C, 40000, ACK, 5001, 1001, 64, 4096, 0);
        w.handshake(10, C, 40001, S1, 9001, 64);
        w.tcp(100, S1, 9001, C, 40001, ACK, 5001, 1001, 64, 0, 0);
        w.tcp(1000, S1, 9001, C, 40001, ACK, 5001, 1001, 64, 4096, 0);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("zero_window 198.51.100.10:9000"), summary(ds), "0.9 s of zero window is not long");
        assertEquals("server", ds.get(0).evidence().get("side"));
        assertEquals(3000L, ds.get(0).evidence().get("duration_ms"));
        assertEquals(2, ds.get(0).evidence().get("zero_window_segments"));
    }

    @Test
    void shouldFoldAScanOfManyPortsIntoOneLine() {
        Wire w = new Wire();
        w.handshake(0, C, 40000, S1, 22, 64);
        for (int p = 1; p <= 20; p++) {
            w.tcp(100 + p, C, 41000 + p, S1, 1000 + p, SYN, p, 0).tcp(100 + p, S1, 1000 + p, C, 41000 + p, RST | ACK, 0, p + 1, 64, 0, 0);
        }
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("port_blocked 198.51.100.10"), summary(ds));
        assertEquals(20, ds.get(0).evidence().get("ports"));
        assertEquals(List.of(1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008), ds.get(0).evidence().get("port_list"));
        assertEquals(20, ds.get(0).count());
    }

    @Test
    @KindTest(Kind.TABLE_FULL)
    void shouldReportAFullTableAndStillDiagnose() {
        Wire w = new Wire(TrackerConfig.defaults().withTables(16, 64, 64, 64, 64));
        for (int i = 0; i < 100; i++) {
            w.tcp(i, "203.0.113." + (i % 250 + 1), 1024 + i, S2, 443, SYN, i, 0);
        }
        List<Diagnosis> ds = w.diagnoses();
        Diagnosis full = ds.stream().filter(d -> d.kind() == Kind.TABLE_FULL).findFirst().orElseThrow();
        assertEquals("connections", full.evidence().get("table"));
        assertEquals(84L, full.evidence().get("evictions"));
        assertEquals(84L, full.evidence().get("evicted_unanswered"));
    }

    @Test
    void shouldKeepARealClientsUnansweredAttemptThroughASynFlood() {
        Wire w = new Wire(TrackerConfig.defaults().withTables(16, 64, 64, 64, 64));
        w.handshake(0, C, 40000, S1, 80, 63); // the client is a real host: it completed a handshake
        w.tcp(100, C, 40001, S2, 81, SYN, 5, 0);
        for (int i = 0; i < 5000; i++) { // spoofed sources, one SYN each, 5,000 in 1 s
            w.tcp(100 + i / 5, "203.0.113." + (i % 250 + 1), 1024 + i % 60000, "198.51.100.30", 443, SYN, i, 0);
        }
        w.tcp(1100, C, 40001, S2, 81, SYN, 5, 0).tcp(3100, C, 40001, S2, 81, SYN, 5, 0);
        w.idle(10_000);
        List<Diagnosis> ds = w.diagnoses();
        Diagnosis lost = ds.stream().filter(d -> d.kind() == Kind.NO_RESPONSE && d.server() != null
                && d.server().toString().equals("198.51.100.20:81")).findFirst().orElseThrow(() -> new AssertionError(ds));
        assertEquals(3L, lost.evidence().get("syn"));
        assertTrue(ds.stream().anyMatch(d -> d.kind() == Kind.TABLE_FULL), "evictions are reported: " + ds);
    }

    @Test
    @KindTest(Kind.DNS_FAILURE)
    void shouldReportDnsFailuresOncePerQueryWithItsRetries() {
        Wire w = new Wire();
        for (int r = 0; r < 3; r++) {
            w.frame(TestPackets.dnsQuery(Wire.EPOCH + r * 1000 * Wire.MS, C, 5353 + 1, "198.51.100.53", 7, "missing.example.test", 1));
            w.frame(TestPackets.dnsResponse(Wire.EPOCH + (r * 1000 + 5) * Wire.MS, "198.51.100.53", C, 5354, 7,
                    "missing.example.test", 1, 2, 0));
        }
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("dns_failure 198.51.100.53:53"), summary(ds));
        assertEquals(1, ds.get(0).count());
        assertEquals("SERVFAIL", ds.get(0).evidence().get("rcode"));
        assertEquals("missing.example.test", ds.get(0).evidence().get("query"));
        assertEquals(3L, ds.get(0).evidence().get("queries"));
    }

    @Test
    void shouldNotReportSearchListNxdomainForANameThatResolved() {
        Wire w = new Wire();
        w.frame(TestPackets.dnsQuery(Wire.EPOCH, C, 5000, "198.51.100.53", 1, "www.example.org.corp.example", 28));
        w.frame(TestPackets.dnsResponse(Wire.EPOCH + Wire.MS, "198.51.100.53", C, 5000, 1, "www.example.org.corp.example", 28, 3, 0));
        w.frame(TestPackets.dnsQuery(Wire.EPOCH + 2 * Wire.MS, C, 5001, "198.51.100.53", 2, "www.example.org", 28));
        w.frame(TestPackets.dnsResponse(Wire.EPOCH + 3 * Wire.MS, "198.51.100.53", C, 5001, 2, "WWW.example.org", 28, 0, 1));
        assertEquals(List.of(), w.diagnoses());
    }

    @Test
    void shouldReportUnansweredDnsAfterTheTimeout() {
        Wire w = new Wire();
        w.frame(TestPackets.dnsQuery(Wire.EPOCH, C, 5000, "198.51.100.54", 9, "ok.example.test", 1));
        w.idle(4999);
        w.idle(5000);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("dns_failure 198.51.100.54:53"), summary(ds));
        assertEquals("no_response", ds.get(0).evidence().get("rcode"));
    }

    @Test
    @KindTest(Kind.DUPLICATE_IP)
    @KindTest(Kind.HOST_DOWN)
    void shouldReportDuplicateIpAndHostDown() {
        Wire w = new Wire();
        long t = Wire.EPOCH;
        w.frame(TestPackets.arpRequest(t, 0x020000000010L, C, "192.0.2.50"));
        w.frame(TestPackets.arpReply(t + Wire.MS, 0x020000000050L, "192.0.2.50", 0x020000000010L, C));
        w.frame(TestPackets.arpReply(t + 2 * Wire.MS, 0x020000000051L, "192.0.2.50", 0x020000000010L, C));
        for (int i = 0; i < 3; i++) {
            w.frame(TestPackets.arpRequest(t + (100 + i * 1000) * Wire.MS, 0x020000000010L, C, "192.0.2.99"));
        }
        w.idle(10_000);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("duplicate_ip 192.0.2.50", "host_down 192.0.2.99"), summary(ds));
        assertEquals(List.of("02:00:00:00:00:50", "02:00:00:00:00:51"), ds.get(0).evidence().get("macs"));
        assertEquals(3L, ds.get(1).evidence().get("arp_requests"));
        assertEquals(C, ds.get(1).evidence().get("requested_by"));
    }

    @Test
    void shouldNotCallAGratuitousArpStormAConflict() {
        Wire w = new Wire();
        for (int i = 0; i < 50; i++) {
            w.frame(TestPackets.arpRequest(Wire.EPOCH + i * 100 * Wire.MS, 0x020000000010L, C, C));
        }
        assertEquals(List.of(), w.diagnoses());
    }

    @Test
    void shouldFoldOneClientFailingTowardManyServers() {
        Wire w = new Wire();
        w.handshake(0, C, 40000, S1, 80, 63);
        for (int i = 1; i <= 20; i++) {
            w.tcp(10 + i, C, 41000 + i, "203.0.113." + i, 6881, SYN, i, 0);
        }
        w.idle(10_000);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("no_response -"), summary(ds));
        assertEquals(20, ds.get(0).evidence().get("servers"));
        assertEquals(C, ds.get(0).client().ip());
    }
}
