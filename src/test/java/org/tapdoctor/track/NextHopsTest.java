package org.tapdoctor.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.KindTest;
import org.tapdoctor.engine.Engine;
import org.tapdoctor.engine.EngineSettings;
import org.tapdoctor.site.SiteRecord;
import org.tapdoctor.wire.LinkTypes;

/**
 * Gateways learned from where a device's off-link traffic goes ({@link NextHops}): frames built
 * byte by byte (Ethernet II, IPv4, UDP; ARP) through the real decoder and engine. A router carries
 * one device's packets to many addresses; a server on the segment, however busy, receives only its
 * own, and stays no gateway.
 */
class NextHopsTest {
    private static final long MS = 1_000_000L, S = 1000 * MS;
    /** 2026-11-21T00:00:00Z. */
    private static final long EPOCH = 1_795_219_200_000_000_000L;
    private static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    private static final long DEVICE = 0x0200_0000_0031L, ROUTER = 0x0200_0000_bb01L, SERVER = 0x0200_0000_0050L,
            OTHER = 0x0200_0000_0032L;
    private static final String DEVICE_IP = "192.0.2.31", ROUTER_IP = "192.0.2.1", SERVER_IP = "192.0.2.50",
            OTHER_IP = "192.0.2.32";
    private static final String[] OFF_LINK = {"198.51.100.10", "198.51.100.11", "203.0.113.7", "203.0.113.8"};

    private final Engine engine = new Engine(EngineSettings.defaults());

    // ---- frames, byte by byte ----

    private static void mac(ByteArrayOutputStream b, long mac) {
        for (int shift = 40; shift >= 0; shift -= 8) {
            b.write((int) (mac >>> shift));
        }
    }

    private static void ip(ByteArrayOutputStream b, String dotted) {
        for (String part : dotted.split("\\.")) {
            b.write(Integer.parseInt(part));
        }
    }

    private static void u16(ByteArrayOutputStream b, int v) {
        b.write(v >>> 8);
        b.write(v);
    }

    /** Ethernet II, IPv4 (20 bytes, DF, TTL 64, protocol 17), UDP 40000 -> 443 with 4 bytes of payload. */
    static byte[] udp(long srcMac, long dstMac, String src, String dst) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        mac(b, dstMac);                 // destination MAC
        mac(b, srcMac);                 // source MAC
        u16(b, 0x0800);                 // EtherType IPv4
        b.write(0x45);                  // version 4, IHL 5
        b.write(0);                     // DSCP/ECN
        u16(b, 20 + 8 + 4);             // total length
        u16(b, 0x1234);                 // identification
        u16(b, 0x4000);                 // flags DF, fragment offset 0
        b.write(64);                    // TTL
        b.write(17);                    // protocol UDP
        u16(b, 0);                      // header checksum (not checked)
        ip(b, src);                     // source address
        ip(b, dst);                     // destination address
        u16(b, 40000);                  // UDP source port
        u16(b, 443);                    // UDP destination port (QUIC: neither DNS nor DHCP)
        u16(b, 8 + 4);                  // UDP length
        u16(b, 0);                      // UDP checksum (none)
        b.write('p');
        b.write('i');
        b.write('n');
        b.write('g');
        return b.toByteArray();
    }

    /** Ethernet II and ARP for IPv4 over Ethernet (RFC 826). */
    static byte[] arp(long ethDst, int operation, long senderMac, String senderIp, long targetMac, String targetIp) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        mac(b, ethDst);                 // destination MAC: broadcast, or the cached one (a unicast probe)
        mac(b, senderMac);              // source MAC
        u16(b, 0x0806);                 // EtherType ARP
        u16(b, 1);                      // hardware type Ethernet
        u16(b, 0x0800);                 // protocol type IPv4
        b.write(6);                     // hardware length
        b.write(4);                     // protocol length
        u16(b, operation);              // 1 request, 2 reply
        mac(b, senderMac);              // sender hardware address
        ip(b, senderIp);                // sender protocol address
        mac(b, targetMac);              // target hardware address (0 in a request)
        ip(b, targetIp);                // target protocol address
        for (int i = 0; i < 18; i++) {
            b.write(0);                 // padding to the 60-byte minimum
        }
        return b.toByteArray();
    }

    private NextHopsTest at(long ms, byte[] frame) {
        engine.onFrame(frame, frame.length, frame.length, EPOCH + ms * MS, LinkTypes.ETHERNET, -1);
        return this;
    }

    /** The device asks for the router by broadcast and the router answers. */
    private NextHopsTest routerAnswers(long ms) {
        at(ms, arp(BROADCAST, 1, DEVICE, DEVICE_IP, 0, ROUTER_IP));
        return at(ms + 1, arp(DEVICE, 2, ROUTER, ROUTER_IP, DEVICE, DEVICE_IP));
    }

    /** The device's packets to the off-link addresses, all handed to the router's MAC. */
    private NextHopsTest offLinkTraffic(long ms, int destinations) {
        for (int k = 0; k < destinations; k++) {
            at(ms + k * 10, udp(DEVICE, ROUTER, DEVICE_IP, OFF_LINK[k]));
            at(ms + k * 10 + 5, udp(ROUTER, DEVICE, OFF_LINK[k], DEVICE_IP));
        }
        return this;
    }

    /** Three ARP requests for {@code ip} from the device, 1 s apart, nobody answering. */
    private NextHopsTest unanswered(long ms, String ip) {
        for (int i = 0; i < 3; i++) {
            at(ms + i * 1000, arp(BROADCAST, 1, DEVICE, DEVICE_IP, 0, ip));
        }
        return this;
    }

    private List<Diagnosis> diagnoses(long endMs) {
        engine.advance(EPOCH + endMs * MS);
        engine.finish();
        return engine.diagnoses();
    }

    private SiteRecord.Gateway gateway() {
        return engine.siteRecord() == null ? null : engine.siteRecord().gateway();
    }

    private Diagnosis about(List<Diagnosis> ds, String ip) {
        return ds.stream().filter(d -> d.server() != null && ip.equals(d.server().ip())).findFirst().orElseThrow();
    }

    // ---- the rule ----

    @Test
    void shouldLearnTheRouterThatCarriesADevicesTrafficToThreeAddresses() {
        routerAnswers(0).offLinkTraffic(100, 2);
        assertNull(gateway(), "two destinations are not yet a gateway");
        offLinkTraffic(200, 3);
        SiteRecord.Gateway g = gateway();
        assertEquals(new SiteRecord.Gateway(ROUTER_IP, "02:00:00:00:bb:01", "traffic", true), g);
        NextHops hops = engine.tracker().dhcp().nextHops();
        assertTrue(hops.learned(hops.slotOf(DEVICE, ROUTER)));
        assertFalse(hops.learned(hops.slotOf(ROUTER, DEVICE)),
                "the router's packets to the device go to one address: the device is nobody's gateway");
    }

    @Test
    @KindTest(Kind.HOST_DOWN)
    void shouldSayTheUnansweredRouterIsTheGatewayOfTheDeviceWhoseTrafficItCarried() {
        routerAnswers(0).offLinkTraffic(100, 4);
        unanswered(60_000, ROUTER_IP); // the router is gone a minute later
        List<Diagnosis> ds = diagnoses(70_000);
        assertEquals(1, ds.size(), ds.toString());
        Diagnosis d = about(ds, ROUTER_IP);
        assertEquals(Kind.HOST_DOWN, d.kind());
        assertEquals("gateway", d.evidence().get("role"));
        assertEquals("traffic", d.evidence().get("learned_from"));
        assertEquals("02:00:00:00:00:31", d.client().mac());
        assertEquals(DEVICE_IP, d.client().ip());
        assertTrue(d.summary().contains("the gateway of 192.0.2.31 (from its traffic)"), d.summary());
        assertEquals("GW DOWN", Kind.HOST_DOWN.rule().lcdTag(d));
        assertEquals(new SiteRecord.Gateway(ROUTER_IP, "02:00:00:00:bb:01", "traffic", false), gateway());
    }

    @Test
    void shouldTakeTheAddressTheDeviceDoesNotSendToWhenTheRouterHasTwo() {
        // an L3 switch: gateway 192.0.2.1 and DNS server 192.0.2.2 on one MAC; its own ARP comes from .2
        String dns = "192.0.2.2";
        at(0, arp(BROADCAST, 1, DEVICE, DEVICE_IP, 0, dns));
        at(1, arp(DEVICE, 2, ROUTER, dns, DEVICE, DEVICE_IP));
        at(2, udp(DEVICE, ROUTER, DEVICE_IP, dns));
        routerAnswers(10);
        at(20, arp(BROADCAST, 1, ROUTER, dns, 0, OTHER_IP)); // the switch looking for another host
        offLinkTraffic(100, 3);
        at(200, udp(DEVICE, ROUTER, DEVICE_IP, dns));
        assertEquals(new SiteRecord.Gateway(ROUTER_IP, "02:00:00:00:bb:01", "traffic", true), gateway());
        // its DNS address stops answering (a service moved), its gateway address does not
        unanswered(30_000, dns);
        List<Diagnosis> ds = diagnoses(40_000);
        Diagnosis d = about(ds, dns);
        assertFalse(d.evidence().asMap().containsKey("role"), "192.0.2.2 is the router's, but not the device's gateway");
    }

    @Test
    void shouldKeepABusyServerOnTheSegmentNoGateway() {
        // the server answers ARP; the device and another one talk to it a hundred times each
        at(0, arp(BROADCAST, 1, DEVICE, DEVICE_IP, 0, SERVER_IP));
        at(1, arp(DEVICE, 2, SERVER, SERVER_IP, DEVICE, DEVICE_IP));
        for (int i = 0; i < 100; i++) {
            at(10 + i * 10, udp(DEVICE, SERVER, DEVICE_IP, SERVER_IP));
            at(11 + i * 10, udp(OTHER, SERVER, OTHER_IP, SERVER_IP));
            at(12 + i * 10, udp(SERVER, DEVICE, SERVER_IP, DEVICE_IP));
        }
        assertNull(gateway());
        unanswered(30_000, SERVER_IP); // then it is switched off
        List<Diagnosis> ds = diagnoses(40_000);
        Diagnosis d = about(ds, SERVER_IP);
        assertEquals(Kind.HOST_DOWN, d.kind());
        assertFalse(d.evidence().asMap().containsKey("role"), d.evidence().toString());
        assertNull(d.client().mac());
        assertNull(gateway());
    }

    @Test
    void shouldNotTakeAServerWithSeveralAddressesThatAnswerArpForAGateway() {
        String[] aliases = {SERVER_IP, "192.0.2.51", "192.0.2.52", "192.0.2.53"};
        for (int k = 0; k < aliases.length; k++) {
            at(k * 100, arp(BROADCAST, 1, DEVICE, DEVICE_IP, 0, aliases[k]));
            at(k * 100 + 1, arp(DEVICE, 2, SERVER, aliases[k], DEVICE, DEVICE_IP));
            at(k * 100 + 2, udp(DEVICE, SERVER, DEVICE_IP, aliases[k]));
        }
        NextHops hops = engine.tracker().dhcp().nextHops();
        assertFalse(hops.learned(hops.slotOf(DEVICE, SERVER)));
        assertNull(gateway());
    }

    @Test
    void shouldLetTheLeasesRouterWinOverTraffic() {
        // the device's lease names 192.0.2.9; its traffic goes to 192.0.2.1 all the same
        engine.track(org.tapdoctor.wire.TestPackets.dhcp(EPOCH, 5, DEVICE, 0x1234, "192.0.2.2", DEVICE_IP, "0.0.0.0",
                DEVICE_IP, "192.0.2.2", "192.0.2.9", 3600, "0.0.0.0")); // its ACK
        routerAnswers(10).offLinkTraffic(100, 4);
        assertEquals("192.0.2.9", gateway().ip());
        assertEquals("dhcp", gateway().learnedFrom());
        unanswered(10_000, ROUTER_IP);
        Diagnosis d = about(diagnoses(20_000), ROUTER_IP);
        assertFalse(d.evidence().asMap().containsKey("role"), "its lease names another router: " + d.evidence());
    }

    @Test
    void shouldKnowTheGatewayFromTheDevicesUnicastProbeWhenItNeverAnsweredInTheCapture() {
        offLinkTraffic(0, 4); // the capture starts after the device's ARP cache was filled
        assertNull(gateway(), "the router's address is not known yet");
        // the router dies: the device's cache probes it by unicast (RFC 1122 2.3.2.1), then broadcasts
        at(30_000, arp(ROUTER, 1, DEVICE, DEVICE_IP, 0, ROUTER_IP));
        at(30_010, udp(DEVICE, ROUTER, DEVICE_IP, OFF_LINK[0]));
        assertEquals(new SiteRecord.Gateway(ROUTER_IP, "02:00:00:00:bb:01", "traffic", false), gateway());
        unanswered(31_000, ROUTER_IP);
        Diagnosis d = about(diagnoses(40_000), ROUTER_IP);
        assertEquals("traffic", d.evidence().get("learned_from"));
        assertEquals(4L, d.evidence().get("arp_requests")); // the unicast probe and the three broadcasts
    }

    @Test
    void shouldIgnoreBroadcastsAndPacketsFromNoAddress() {
        routerAnswers(0);
        for (int k = 0; k < OFF_LINK.length; k++) {
            at(100 + k, udp(DEVICE, BROADCAST, DEVICE_IP, OFF_LINK[k]));          // to the broadcast MAC
            at(200 + k, udp(DEVICE, 0x0100_5e00_0001L, DEVICE_IP, "224.0.0." + (k + 1))); // multicast
            at(300 + k, udp(DEVICE, ROUTER, "0.0.0.0", OFF_LINK[k]));            // from no address
        }
        assertNull(gateway());
    }

    @Test
    void shouldForgetAPairIdleForTenMinutes() {
        routerAnswers(0).offLinkTraffic(100, 4);
        assertEquals(ROUTER_IP, gateway().ip());
        engine.advance(EPOCH + 700 * S); // the router and its pair age out
        assertNull(gateway());
        unanswered(701_000, ROUTER_IP);
        Diagnosis d = about(diagnoses(710_000), ROUTER_IP);
        assertFalse(d.evidence().asMap().containsKey("role"), d.evidence().toString());
    }
}
