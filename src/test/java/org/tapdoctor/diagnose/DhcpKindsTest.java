package org.tapdoctor.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.tapdoctor.diagnose.Wire.summary;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.engine.EngineSettings;
import org.tapdoctor.track.DhcpSettings;
import org.tapdoctor.wire.TestPackets;

/**
 * The DHCP and address kinds (docs/diagnosis-rules.md section 4): {@code dhcp_failure}, {@code
 * dhcp_rogue_server}, {@code no_address} and the gateway role of {@code host_down}, each beside
 * the look-alikes that must stay silent. Site server 192.0.2.2, rogue 192.0.2.254; times in ms.
 */
class DhcpKindsTest {
    static final long A = 0x020000000010L, B = 0x020000000021L, C = 0x020000000022L;
    static final String SITE = "192.0.2.2", ROGUE = "192.0.2.254", GW = "192.0.2.1";

    private static Wire wire() {
        return new Wire();
    }

    private static Placement placed(Diagnosis d) {
        return new Sides(List.of("tapA", "tapB")).place(d, 0).placement();
    }

    @Test
    @KindTest(Kind.DHCP_FAILURE)
    void shouldReportADeviceWhoseDiscoversNobodyAnswers() {
        DhcpScript s = new DhcpScript(wire()).lease(0, A, 1, SITE, "192.0.2.10", GW); // healthy beside it
        s.discover(100, B, 7).discover(2100, B, 7).discover(4200, B, 7);
        s.wire().idle(20_000);
        List<Diagnosis> ds = s.wire().diagnoses();
        assertEquals(List.of("dhcp_failure -"), summary(ds));
        Diagnosis d = ds.get(0);
        assertEquals("02:00:00:00:00:21", d.client().mac());
        assertNull(d.client().ip());
        assertEquals(3, d.evidence().get("discovers"));
        assertEquals(0, d.evidence().get("offers"));
        assertEquals(Severity.CRITICAL, d.severity());
        assertEquals(Fault.BEYOND_TAP, placed(d).fault());
        assertEquals("device 02:00:00:00:00:21: 3 DHCP DISCOVERs got no offer: no DHCP server answers it "
                + "(none reachable, or it ignores this device)", d.summary());
        assertEquals("DHCP NO OFFER", Kind.DHCP_FAILURE.rule().lcdTag(d));
        assertEquals("0200.0000.0021 x3", Kind.DHCP_FAILURE.rule().lcdDetail(d));
    }

    @Test
    void shouldKeepOneDiagnosisWhileTheDeviceGoesOnAsking() {
        DhcpScript s = new DhcpScript(wire());
        for (int i = 0; i < 6; i++) {
            s.discover(i * 3000L, B, 7 + i / 3);
        }
        List<Diagnosis> ds = s.wire().idle(40_000).diagnoses();
        assertEquals(List.of("dhcp_failure -"), summary(ds));
        assertEquals(1, ds.get(0).count());
        assertEquals(6, ds.get(0).evidence().get("discovers"));
    }

    @Test
    void shouldNameTheServerFromTheDevicesReleaseAndTheRelay() {
        DhcpScript s = new DhcpScript(wire()).release(0, B, 1, "192.168.1.20", "192.168.1.1");
        for (int i = 0; i < 3; i++) {
            s.wire().frame(TestPackets.dhcp(Wire.EPOCH + (1000 + i * 2000L) * Wire.MS, 1, B, 9, "203.0.113.1", SITE,
                    "0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0", -1, "203.0.113.1"));
        }
        Diagnosis d = s.wire().idle(20_000).diagnoses().get(0);
        assertEquals("192.168.1.1", d.server().ip());
        assertEquals("192.168.1.1", d.evidence().get("server"));
        assertEquals("203.0.113.1", d.evidence().get("relay"));
    }

    @Test
    void shouldReportANakNotFollowedByALease() {
        DhcpScript s = new DhcpScript(wire()).request(0, B, 3, SITE).nak(1, B, 3, SITE);
        List<Diagnosis> ds = s.wire().idle(70_000).diagnoses();
        assertEquals(List.of("dhcp_failure 192.0.2.2"), summary(ds));
        assertEquals(1, ds.get(0).evidence().get("naks"));
        assertEquals("DHCP NAK", Kind.DHCP_FAILURE.rule().lcdTag(ds.get(0)));
    }

    @Test
    void shouldPlaceOnTheClientSideADeviceThatIgnoresItsOffers() {
        DhcpScript s = new DhcpScript(wire());
        for (int i = 0; i < 3; i++) {
            s.discover(i * 2000L, B, 5).offer(i * 2000L + 1, B, 5, SITE, "192.0.2.21", GW, 3600);
        }
        List<Diagnosis> ds = s.wire().idle(20_000).diagnoses();
        assertEquals(List.of("dhcp_failure 192.0.2.2"), summary(ds));
        assertEquals(3, ds.get(0).evidence().get("offers"));
        assertEquals(Fault.CLIENT_SIDE, placed(ds.get(0)).fault());
    }

    @Test
    void shouldStaySilentOnDhcpThatWorks() {
        DhcpScript s = new DhcpScript(wire());
        // A NAK for a stale lease, then a lease: DHCP working after a move (dhcp_nak_stale).
        s.request(0, A, 1, "198.51.100.1").nak(1, A, 1, SITE).lease(11, A, 2, SITE, "192.0.2.10", GW);
        // Retries answered at last: three DISCOVERs, then the lease 1 ms after the third.
        s.discover(1000, B, 3).discover(3000, B, 3).discover(5000, B, 3).offer(5001, B, 3, SITE, "192.0.2.21", GW, 3600)
                .request(5002, B, 3, SITE).ack(5003, B, 3, SITE, "192.0.2.21", GW, 3600);
        // Renewals of a lease the device still holds, unanswered (not attempts: rj_dhcp_renew).
        for (int i = 0; i < 5; i++) {
            s.renew(6000 + i * 1000L, B, 4, "192.0.2.21", "192.0.2.99");
        }
        // Two DISCOVERs only, then quiet: below dhcp.min-attempts.
        s.discover(7000, C, 6).discover(9000, C, 6);
        s.wire().idle(100_000);
        assertEquals(List.of(), s.wire().diagnoses());
    }

    @Test
    @KindTest(Kind.DHCP_ROGUE_SERVER)
    void shouldNameTheServerFewerDevicesLeaseFrom() {
        DhcpScript s = new DhcpScript(wire());
        s.lease(0, A, 1, SITE, "192.0.2.10", GW).offer(1000, A, 1, ROGUE, "192.0.2.200", ROGUE, 600);
        s.lease(2000, B, 2, SITE, "192.0.2.21", GW).offer(3000, B, 2, ROGUE, "192.0.2.201", ROGUE, 600);
        List<Diagnosis> ds = s.wire().diagnoses();
        assertEquals(List.of("dhcp_rogue_server 192.0.2.254"), summary(ds));
        Diagnosis d = ds.get(0);
        assertEquals("192.0.2.2", d.evidence().get("site_server"));
        assertEquals(2L, d.evidence().get("offers"));
        assertEquals(0L, d.evidence().get("bindings"));
        assertEquals(ROGUE, d.evidence().get("router"));
        assertEquals(600L, d.evidence().get("lease_s"));
        assertEquals(Severity.WARNING, d.severity());
        assertNull(d.client());
        assertEquals("ROGUE DHCP", Kind.DHCP_ROGUE_SERVER.rule().lcdTag(d));
    }

    @Test
    void shouldTakeBackARogueThatTheLeasesMakeTheSitesServer() {
        DhcpScript s = new DhcpScript(wire());
        // ROGUE offers first and leases nobody: SITE is judged the rogue on a tie ... until both devices lease from it.
        s.offer(0, A, 1, ROGUE, "192.0.2.200", ROGUE, 600).offer(1, A, 1, SITE, "192.0.2.10", GW, 3600);
        s.request(2, A, 1, SITE).ack(3, A, 1, SITE, "192.0.2.10", GW, 3600);
        s.lease(1000, B, 2, ROGUE, "192.0.2.201", ROGUE).lease(2000, C, 3, ROGUE, "192.0.2.202", ROGUE);
        List<Diagnosis> ds = s.wire().diagnoses();
        assertEquals(List.of("dhcp_rogue_server 192.0.2.2"), summary(ds));
        assertEquals(ROGUE, ds.get(0).evidence().get("site_server"));
    }

    @Test
    void shouldTakeTheAllowedListsServerAsTheSites() {
        Wire w = new Wire(EngineSettings.defaults().withDhcp(new DhcpSettings(3, 4_000_000_000L, 60_000_000_000L,
                600_000_000_000L, new int[] {TestPackets.v4(ROGUE)})));
        DhcpScript s = new DhcpScript(w);
        s.lease(0, A, 1, SITE, "192.0.2.10", GW).lease(10, B, 2, SITE, "192.0.2.21", GW)
                .offer(1000, A, 1, ROGUE, "192.0.2.200", ROGUE, 600);
        assertEquals(List.of("dhcp_rogue_server 192.0.2.2"), summary(s.wire().diagnoses()));
    }

    @Test
    void shouldStaySilentWithOneServer() {
        DhcpScript s = new DhcpScript(wire());
        for (int i = 0; i < 10; i++) {
            s.lease(i * 100L, 0x020000000100L + i, i, SITE, "192.0.2." + (100 + i), GW);
        }
        s.renew(5000, A, 9, "192.0.2.100", SITE).ack(5001, A, 9, SITE, "192.0.2.100", GW, 3600);
        assertEquals(List.of(), s.wire().diagnoses());
    }

    @Test
    @KindTest(Kind.NO_ADDRESS)
    void shouldReportADeviceOnALinkLocalAddress() {
        Wire w = wire();
        long dev = 0x020000000024L;
        // Probes (sender 0.0.0.0) first: still trying, not enough.
        w.frame(TestPackets.arp(Wire.EPOCH, 1, dev, "0.0.0.0", 0, "169.254.77.10"));
        w.frame(TestPackets.arpRequest(Wire.EPOCH + 2000 * Wire.MS, dev, "169.254.77.10", "169.254.77.10"));
        w.frame(TestPackets.ipv4(Wire.EPOCH + 3000 * Wire.MS, dev, "169.254.77.10", "169.254.255.255", 1));
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("no_address -"), summary(ds));
        Diagnosis d = ds.get(0);
        assertEquals("02:00:00:00:00:24", d.client().mac());
        assertEquals("169.254.77.10", d.client().ip());
        assertEquals("169.254.77.10", d.evidence().get("address"));
        assertEquals(1, d.count());
        assertEquals("169.254.77.10", Kind.NO_ADDRESS.rule().lcdDetail(d));
    }

    @Test
    void shouldNotTakeProbesOrTheReservedRangeForALinkLocalDevice() {
        Wire w = wire();
        for (int i = 0; i < 3; i++) {
            w.frame(TestPackets.arp(Wire.EPOCH + i * 1000 * Wire.MS, 1, 0x020000000024L, "0.0.0.0", 0, "169.254.77.10"));
        }
        // 169.254.0.0/24 and 169.254.255.0/24 are reserved (RFC 3927 2.1): no host uses them.
        w.frame(TestPackets.ipv4(Wire.EPOCH + 4000 * Wire.MS, 0x020000000025L, "169.254.0.7", "192.0.2.1", 17));
        w.frame(TestPackets.ipv4(Wire.EPOCH + 4001 * Wire.MS, 0x020000000025L, "169.254.255.7", "192.0.2.1", 17));
        // An ordinary device talking to a link-local one is not on 169.254 itself.
        w.frame(TestPackets.ipv4(Wire.EPOCH + 4002 * Wire.MS, 0x020000000026L, "192.0.2.26", "169.254.9.9", 17));
        assertEquals(List.of(), w.diagnoses());
    }

    @Test
    @KindTest(Kind.HOST_DOWN)
    void shouldSayTheUnansweredHostIsTheAskersGateway() {
        long dev = 0x020000000025L;
        DhcpScript s = new DhcpScript(wire()).lease(0, dev, 1, SITE, "192.0.2.25", "192.0.2.9")
                .lease(10, A, 2, SITE, "192.0.2.10", GW);
        Wire w = s.wire();
        for (int i = 0; i < 3; i++) {
            w.frame(TestPackets.arpRequest(Wire.EPOCH + (500 + i * 1000L) * Wire.MS, dev, "192.0.2.25", "192.0.2.9"));
            // the other device's gateway answers
            w.frame(TestPackets.arpRequest(Wire.EPOCH + (510 + i * 1000L) * Wire.MS, A, "192.0.2.10", GW));
            w.frame(TestPackets.arpReply(Wire.EPOCH + (511 + i * 1000L) * Wire.MS, 0x0200000000bb01L, GW, A, "192.0.2.10"));
            // and an unanswered host that is nobody's gateway
            w.frame(TestPackets.arpRequest(Wire.EPOCH + (520 + i * 1000L) * Wire.MS, A, "192.0.2.10", "192.0.2.77"));
        }
        List<Diagnosis> ds = w.idle(10_000).diagnoses();
        assertEquals(List.of("host_down 192.0.2.77", "host_down 192.0.2.9"), summary(ds).stream().sorted().toList());
        Diagnosis gw = ds.stream().filter(d -> d.server().ip().equals("192.0.2.9")).findFirst().orElseThrow();
        assertEquals("gateway", gw.evidence().get("role"));
        assertEquals("dhcp", gw.evidence().get("learned_from"));
        assertEquals("02:00:00:00:00:25", gw.client().mac());
        assertEquals("192.0.2.25", gw.client().ip());
        assertEquals("GW DOWN", Kind.HOST_DOWN.rule().lcdTag(gw));
        assertEquals("3 ARP no reply", Kind.HOST_DOWN.rule().lcdDetail(gw));
        Diagnosis other = ds.stream().filter(d -> d.server().ip().equals("192.0.2.77")).findFirst().orElseThrow();
        assertFalse(other.evidence().asMap().containsKey("role"));
        assertNull(other.client().mac());
    }
}
