package org.tapdoctor.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tapdoctor.engine.Engine;
import org.tapdoctor.engine.EngineSettings;
import org.tapdoctor.site.SiteRecord;
import org.tapdoctor.track.Ipv6Dot1xConfig;
import org.tapdoctor.track.TrackerConfig;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.SitePackets;
import org.tapdoctor.wire.TestPackets;

/**
 * Live, the NIC a frame came in on says which side of the tap its sender is on: a DHCP server
 * whose OFFERs and ACKs, or a router whose RAs, come in on the client-side NIC is a rogue however
 * many leases it gives, alone too, and points {@code client_side}; a rogue heard on the network
 * side points {@code beyond_tap}. The engine as the live service builds it (its {@link Sides},
 * {@code client_side} = side 0), fed frames carrying their capture side; in a file (no sides) the
 * existing rules stay.
 */
class RogueBySideTest {
    private static final int CLIENT_NIC = 0, NETWORK_NIC = 1;
    private static final String NONE = "0.0.0.0", BROADCAST = "255.255.255.255";
    private static final String SITE = "192.0.2.2", ROGUE = "192.0.2.254";

    /** The live engine's diagnoses by key, as its last publication, revision at the flush, or withdrawal left them. */
    private final Map<String, Diagnosis> published = new LinkedHashMap<>();
    private final List<String> withdrawn = new ArrayList<>();
    private Engine engine;

    private Engine live(boolean clientSideSet) {
        Ipv6Dot1xConfig nd = Ipv6Dot1xConfig.defaults().withClientSide(clientSideSet ? CLIENT_NIC : -1);
        engine = new Engine(EngineSettings.defaults().withTracker(TrackerConfig.defaults().withIpv6Dot1x(nd)),
                new Sides(List.of("eth0", "eth1")), new DiagnosisListener() {
                    @Override
                    public void diagnosis(Diagnosis d) {
                        published.put(d.key(), d);
                    }

                    @Override
                    public void revised(Diagnosis d) {
                        published.put(d.key(), d); // its final state at the flush
                    }

                    @Override
                    public void withdrawn(Diagnosis d) {
                        published.remove(d.key());
                        withdrawn.add(d.key());
                    }
                });
        return engine;
    }

    private static long t(long ms) {
        return Wire.EPOCH + ms * Wire.MS;
    }

    private void at(int side, DecodedFrame f) {
        f.side(side);
        engine.track(f);
    }

    /** DISCOVER from the device (client side), OFFER and ACK from {@code server} on {@code side}, REQUEST between. */
    private void lease(long ms, long mac, int xid, String server, int side, String ip, String router) {
        at(CLIENT_NIC, TestPackets.dhcp(t(ms), 1, mac, xid, NONE, BROADCAST, NONE, NONE, NONE, NONE, -1, NONE));
        at(side, TestPackets.dhcp(t(ms + 1), 2, mac, xid, server, BROADCAST, NONE, ip, server, router, 600, NONE));
        at(CLIENT_NIC, TestPackets.dhcp(t(ms + 2), 3, mac, xid, NONE, BROADCAST, NONE, NONE, server, NONE, -1, NONE));
        at(side, TestPackets.dhcp(t(ms + 3), 5, mac, xid, server, BROADCAST, NONE, ip, server, router, 600, NONE));
    }

    private List<Diagnosis> end(long ms) {
        engine.advance(t(ms));
        engine.finish();
        return new ArrayList<>(published.values());
    }

    private static Diagnosis only(List<Diagnosis> ds, Kind kind) {
        List<Diagnosis> of = ds.stream().filter(d -> d.kind() == kind).toList();
        assertEquals(1, of.size(), ds.toString());
        return of.get(0);
    }

    @Test
    @KindTest(Kind.DHCP_ROGUE_SERVER)
    void shouldNameAServerOnTheClientSideARogueEvenWhenItLeasesMost() {
        live(true);
        lease(0, 0x0200_0000_0010L, 1, SITE, NETWORK_NIC, "192.0.2.10", "192.0.2.1");
        // a home router plugged in behind the tap answers faster for two devices
        lease(100, 0x0200_0000_0011L, 2, ROGUE, CLIENT_NIC, "192.168.1.11", ROGUE);
        lease(200, 0x0200_0000_0012L, 3, ROGUE, CLIENT_NIC, "192.168.1.12", ROGUE);
        Diagnosis d = only(end(10_000), Kind.DHCP_ROGUE_SERVER);
        assertEquals(ROGUE, d.server().ip());
        assertEquals("client_side", d.evidence().get("heard_on"));
        assertEquals(SITE, d.evidence().get("site_server"));
        assertEquals(2L, d.evidence().get("bindings"));
        assertEquals(Placement.Fault.CLIENT_SIDE, d.placement().fault());
        assertTrue(d.summary().startsWith("a DHCP server on the client side of the tap, 192.0.2.254,"), d.summary());
        SiteRecord.Dhcp site = engine.siteRecord().dhcp();
        assertEquals(SITE, site.server(), "the record's server is the site's, not the one with most leases behind the tap");

        // the same frames in a file (no sides): the server most leases come from is the site's
        published.clear();
        live(false);
        lease(0, 0x0200_0000_0010L, 1, SITE, NETWORK_NIC, "192.0.2.10", "192.0.2.1");
        lease(100, 0x0200_0000_0011L, 2, ROGUE, CLIENT_NIC, "192.168.1.11", ROGUE);
        lease(200, 0x0200_0000_0012L, 3, ROGUE, CLIENT_NIC, "192.168.1.12", ROGUE);
        Diagnosis byLeases = only(end(10_000), Kind.DHCP_ROGUE_SERVER);
        assertEquals(SITE, byLeases.server().ip());
        assertNull(byLeases.evidence().get("heard_on"));
        assertNull(byLeases.placement() == null ? null : byLeases.placement().fault());
    }

    @Test
    @KindTest(Kind.DHCP_ROGUE_SERVER)
    void shouldNameTheOnlyServerARogueWhenItIsOnTheClientSide() {
        live(true);
        lease(0, 0x0200_0000_0011L, 2, ROGUE, CLIENT_NIC, "192.168.1.11", ROGUE);
        Diagnosis d = only(end(10_000), Kind.DHCP_ROGUE_SERVER);
        assertEquals(ROGUE, d.server().ip());
        assertFalse(d.evidence().asMap().containsKey("site_server"));
        assertEquals(Placement.Fault.CLIENT_SIDE, d.placement().fault());
        assertNull(engine.siteRecord().dhcp(), "no site server was heard");
    }

    @Test
    void shouldPlaceARogueHeardOnTheNetworkSideBeyondTheTapAndKeepALoneSiteServerSilent() {
        live(true);
        lease(0, 0x0200_0000_0010L, 1, SITE, NETWORK_NIC, "192.0.2.10", "192.0.2.1");
        lease(100, 0x0200_0000_0011L, 2, SITE, NETWORK_NIC, "192.0.2.11", "192.0.2.1");
        engine.advance(t(5_000));
        assertEquals(Map.of(), published, "one server on the network side is the site's");
        lease(6_000, 0x0200_0000_0012L, 3, ROGUE, NETWORK_NIC, "192.168.1.12", ROGUE);
        Diagnosis d = only(end(10_000), Kind.DHCP_ROGUE_SERVER);
        assertEquals(ROGUE, d.server().ip());
        assertEquals("network_side", d.evidence().get("heard_on"));
        assertEquals(Placement.Fault.BEYOND_TAP, d.placement().fault());
    }

    @Test
    void shouldKeepTheAllowedListOverTheSide() {
        Ipv6Dot1xConfig nd = Ipv6Dot1xConfig.defaults().withClientSide(CLIENT_NIC);
        EngineSettings s = EngineSettings.defaults().withTracker(TrackerConfig.defaults().withIpv6Dot1x(nd))
                .withDhcp(new org.tapdoctor.track.DhcpSettings(3, 4_000_000_000L, 60_000_000_000L, 600_000_000_000L,
                        new int[] {TestPackets.v4(ROGUE)}));
        engine = new Engine(s, new Sides(List.of("eth0", "eth1")), d -> published.put(d.key(), d));
        lease(0, 0x0200_0000_0011L, 2, ROGUE, CLIENT_NIC, "192.168.1.11", ROGUE); // the operator allows it
        assertEquals(List.of(), end(10_000));
    }

    @Test
    @KindTest(Kind.IPV6_ROGUE_ROUTER)
    void shouldPlaceARouterOnTheClientSideThereAndOneOnTheNetworkSideBeyondTheTap() {
        live(true);
        at(NETWORK_NIC, SitePackets.ra(t(0), 0x0200_0000_bb01L, "fe80::ff:fe00:bb01", 1800, "2001:db8:a::", 64));
        at(CLIENT_NIC, SitePackets.ra(t(500), 0x0200_0000_0066L, "fe80::ff:fe00:66", 1800, "2001:db8:bad::", 64));
        Diagnosis d = only(end(5_000), Kind.IPV6_ROGUE_ROUTER);
        assertEquals("fe80::ff:fe00:66", d.server().ip());
        assertEquals("client_side", d.evidence().get("heard_on"));
        assertEquals(Placement.Fault.CLIENT_SIDE, d.placement().fault());
        assertTrue(d.summary().contains("from the client side of the tap"), d.summary());

        published.clear();
        live(true); // a second router on the network side, whose prefix nobody uses: beyond the tap
        at(NETWORK_NIC, SitePackets.ra(t(0), 0x0200_0000_bb01L, "fe80::ff:fe00:bb01", 1800, "2001:db8:a::", 64));
        at(NETWORK_NIC, SitePackets.ra(t(500), 0x0200_0000_0067L, "fe80::ff:fe00:67", 1800, "2001:db8:bad::", 64));
        Diagnosis beyond = only(end(5_000), Kind.IPV6_ROGUE_ROUTER);
        assertEquals("fe80::ff:fe00:67", beyond.server().ip());
        assertEquals("network_side", beyond.evidence().get("heard_on"));
        assertEquals(Placement.Fault.BEYOND_TAP, beyond.placement().fault());

        published.clear();
        live(false); // client_side auto: the NIC says nothing, no placement
        at(NETWORK_NIC, SitePackets.ra(t(0), 0x0200_0000_bb01L, "fe80::ff:fe00:bb01", 1800, "2001:db8:a::", 64));
        at(CLIENT_NIC, SitePackets.ra(t(500), 0x0200_0000_0066L, "fe80::ff:fe00:66", 1800, "2001:db8:bad::", 64));
        Diagnosis auto = only(end(5_000), Kind.IPV6_ROGUE_ROUTER);
        assertNull(auto.evidence().get("heard_on"));
        assertNull(auto.placement() == null ? null : auto.placement().fault());
    }
}
