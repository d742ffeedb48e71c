package org.tapdoctor.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.TestPackets;

/**
 * The DHCP tables under {@link DhcpTracker}: bounded (a full table evicts and counts), ageing by
 * the time they are given (no clock), bindings counted per device and address, and the site's
 * server chosen by bindings, then by first reply. Times in seconds.
 */
class DhcpTrackerTest {
    static final long S = 1_000_000_000L;
    static final String Z = "0.0.0.0", ALL = "255.255.255.255";

    final List<String> events = new ArrayList<>();
    final DhcpTracker dhcp = new DhcpTracker(DhcpSettings.defaults(), new TrackerListener() {
        @Override public void onOutcome(Attempt a, Outcome o, long t, DecodedFrame f) { }
        @Override public void onRetract(Attempt a, Outcome p) { }
        @Override public void onLateSyn(Attempt a, long t) { }
        @Override public void onZeroWindow(Attempt a, boolean s, long f, long u, int n, boolean e) { }
        @Override public void onHostDown(int ip, int r, int q, long f, long l) { }
        @Override public void onDuplicateIp(ArpClaims c, long t) { }
        @Override public void onDnsFailure(DnsQuery q, int r, long t, boolean rep) { }

        @Override
        public void onDhcpFailure(long mac, int ip, int server, int relay, int discovers, int requests, int naks,
                                  int offers, long first, long last) {
            events.add("failure " + Long.toHexString(mac) + " d" + discovers + " r" + requests + " n" + naks);
        }

        @Override
        public void onDhcpServer(int server, int site, long offers, long bindings, int router, long lease, int heardOn, long first,
                                 long last) {
            events.add("server " + (server & 0xFF) + " site " + (site & 0xFF) + " b" + bindings);
        }
    });

    private void msg(long sec, int type, long mac, String src, String ciaddr, String yiaddr, String server) {
        dhcp.onDhcp(TestPackets.dhcp(sec * S, type, mac, 1, src, ALL, ciaddr, yiaddr, server, "192.0.2.1", 3600, Z));
    }

    private void lease(long sec, long mac, String server, String ip) {
        msg(sec, 1, mac, Z, Z, Z, Z);
        msg(sec, 2, mac, server, Z, ip, server);
        msg(sec, 3, mac, Z, Z, Z, server);
        msg(sec, 5, mac, server, Z, ip, server);
    }

    @Test
    void shouldCountABindingOncePerDeviceAndAddress() {
        lease(0, 0x10, "192.0.2.2", "192.0.2.10");
        msg(1800, 3, 0x10, "192.0.2.10", "192.0.2.10", Z, Z); // renewal
        msg(1800, 5, 0x10, "192.0.2.2", Z, "192.0.2.10", "192.0.2.2");
        dhcp.onDhcp(TestPackets.dhcp(1900 * S, 5, 0x10, 2, "192.0.2.2", ALL, "192.0.2.10", Z, "192.0.2.2", Z, -1, Z)); // INFORM's ACK
        lease(2000, 0x11, "192.0.2.2", "192.0.2.11");
        int s = dhcp.servers().slotOf(0xC0000202);
        assertEquals(2, dhcp.servers().bindings(s));
        assertEquals(2, dhcp.servers().offers(s));
        assertEquals(s, dhcp.siteServer());
    }

    @Test
    void shouldChooseTheSitesServerByBindingsThenFirstReply() {
        msg(0, 2, 0x10, "192.0.2.254", Z, "192.0.2.200", "192.0.2.254");
        msg(0, 2, 0x10, "192.0.2.2", Z, "192.0.2.10", "192.0.2.2");
        assertEquals(List.of("server 2 site 254 b0"), events, "a tie: the first heard is the site's, the other named");
        lease(1, 0x10, "192.0.2.2", "192.0.2.10");
        assertTrue(events.contains("server 254 site 2 b0"), "the site moved to 192.0.2.2: " + events);
        assertTrue(events.contains("server 2 site 2 b1"), "and 192.0.2.2's report is taken back: " + events);
    }

    @Test
    void shouldEvictTheLeastRecentlyHeardServerWhenFullAndCountIt() {
        for (int i = 0; i < DhcpServers.CAPACITY + 3; i++) {
            msg(i, 2, 0x10, "192.0.2." + (100 + i), Z, "192.0.2.50", "192.0.2." + (100 + i));
        }
        assertEquals(3, dhcp.servers().evictions());
        assertEquals(-1, dhcp.servers().slotOf(0xC0000264), "192.0.2.100, heard first, went first");
        assertTrue(dhcp.servers().slotOf(0xC000026A) >= 0);
    }

    @Test
    void shouldEvictDevicesWhenFullAndForgetThemWhenTheyAge() {
        for (int i = 0; i < DhcpDevices.CAPACITY + 10; i++) {
            msg(i / 100, 1, 0x0200_0000_0000L + i, Z, Z, Z, Z);
        }
        assertEquals(10, dhcp.devices().evictions());
        assertEquals(DhcpDevices.CAPACITY, dhcp.devices().size());
        dhcp.expire(15 * 60 * S); // the runs (one DISCOVER each) and then the devices age out
        dhcp.expire(30 * 60 * S);
        assertEquals(0, dhcp.devices().size());
        assertEquals(List.of(), events, "one DISCOVER each: no failure");
    }

    @Test
    void shouldKeepALeasedDeviceUntilItsLeaseEnds() {
        lease(0, 0x10, "192.0.2.2", "192.0.2.10");
        dhcp.expire(1800 * S);
        int i = dhcp.devices().slotOf(0x10);
        assertTrue(i >= 0);
        assertEquals(0xC000020A, dhcp.devices().leasedIp(i, 1800 * S));
        assertEquals(0xC0000201, dhcp.devices().router(i, 1800 * S));
        dhcp.expire(3600 * S + 1);
        assertEquals(-1, dhcp.devices().slotOf(0x10), "lease over and quiet for 10 min: forgotten");
    }

    @Test
    void shouldJudgeARunOnlyAfterItsTimeout() {
        for (int k = 0; k < 3; k++) {
            msg(k * 2, 1, 0x21, Z, Z, Z, Z);
        }
        dhcp.expire(7 * S);
        assertEquals(List.of(), events, "3 s after the last DISCOVER: not yet");
        dhcp.expire(8 * S);
        assertEquals(List.of("failure 21 d3 r0 n0"), events);
        msg(9, 1, 0x21, Z, Z, Z, Z);
        assertEquals(List.of("failure 21 d3 r0 n0", "failure 21 d4 r0 n0"), events, "the same run grows");
    }
}
