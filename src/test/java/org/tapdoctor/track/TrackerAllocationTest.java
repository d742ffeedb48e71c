package org.tapdoctor.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.tapdoctor.wire.DecodedFrame.ACK;
import static org.tapdoctor.wire.DecodedFrame.FIN;
import static org.tapdoctor.wire.DecodedFrame.RST;
import static org.tapdoctor.wire.DecodedFrame.SYN;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Diagnoser;
import org.tapdoctor.diagnose.ProblemTable;
import org.tapdoctor.site.Announcements;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.SitePackets;
import org.tapdoctor.wire.TestPackets;

/**
 * Checks the "nothing on the per-frame path allocates" contract of {@link Tracker} and the real
 * {@link Diagnoser} behind it, by the JVM's per-thread allocation counter. The traffic is a mix of
 * every path: handshakes that work, SYNs to many ports with retransmissions and no answer, refusals,
 * ICMP unreachables, SYN/ACKs retransmitted, resets after the handshake, late SYN/ACKs that retract a
 * verdict, zero windows, ARP (unanswered, conflicting, gratuitous), DNS (answered, failed,
 * unanswered), LLDP and CDP (re-sent, changed, withdrawn, more switches than the table holds). The tables are small so that evictions happen and the problem table overflows; the
 * timeouts, sweeps and the end-of-capture conclusions run inside the measurement.
 */
class TrackerAllocationTest {
    private static final int FRAMES = 200_000;
    /** Slack for the JIT or the counter itself; one allocation per frame would be megabytes. */
    private static final long MAX_BYTES = 1024;
    private static final long MS = 1_000_000L, SECOND = 1000 * MS;
    /** Between two passes over the frames: longer than every timeout, so each pass starts afresh. */
    private static final long PASS_GAP = 1000 * SECOND;
    private static final byte[] HELLO = TestPackets.tlsClientHello("www.example.test"), SERVER_HELLO = TestPackets.tlsServerHello(),
            ALERT = TestPackets.tlsAlert(2, 40), BANNER = "220 mail.example.test ESMTP\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void shouldAllocateNothingPerFrame() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation counting not supported");
        threads.setThreadAllocatedMemoryEnabled(true);

        DecodedFrame[] frames = traffic(new SplittableRandom(0xA110C));
        long[] times = new long[frames.length];
        for (int i = 0; i < frames.length; i++) {
            times[i] = frames[i].timeNanos();
        }
        long span = times[times.length - 1] + PASS_GAP;
        TrackerConfig config = TrackerConfig.defaults().withTables(1024, 256, 256, 64, 64);
        Diagnoser diagnoser = new Diagnoser(new ProblemTable(config.problems()));
        Tracker tracker = new Tracker(config, diagnoser);
        long thread = Thread.currentThread().getId();

        for (int pass = 0; pass < 3; pass++) { // warm-up: class loading, JIT
            run(tracker, frames, times, pass * span);
        }
        TrackerStats stats = tracker.stats();
        long framesBefore = stats.frames, attemptsBefore = stats.attempts;
        long evictionsBefore = tracker.connections().evictions();

        long before = threads.getThreadAllocatedBytes(thread);
        run(tracker, frames, times, 3 * span);
        tracker.finish();
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertEquals(FRAMES, stats.frames - framesBefore);
        assertTrue(stats.attempts - attemptsBefore > 20_000, "attempts: " + (stats.attempts - attemptsBefore));
        assertTrue(tracker.connections().evictions() > evictionsBefore, "no connection was evicted");
        assertTrue(tracker.dns().evictions() > 0, "no DNS query was evicted");
        assertTrue(stats.tlsFailures > 1000, "TLS failures: " + stats.tlsFailures);
        assertTrue(tracker.neighbours().evictions() > 0 && tracker.neighbours().withdrawals() > 0,
                "switches evicted " + tracker.neighbours().evictions() + ", withdrawn " + tracker.neighbours().withdrawals());
        assertTrue(diagnoser.problems().unrecorded() > 0, "the problem table never overflowed");
        assertTrue(tracker.routers().evictions() > 0 && tracker.dot1x().evictions() > 0, "no router or 802.1X device evicted");
        assertTrue(tracker.dhcp().devices().evictions() > 0 && tracker.dhcp().servers().evictions() > 0,
                "no DHCP device or server was evicted");
        assertTrue(tracker.dhcp().gateways().evictions() > 0, "no gateway (learned from traffic) was evicted");
        assertTrue(stats.handshakesOk > 0 && stats.handshakesFailed > 0 && stats.icmpErrors > 0 && stats.arpPackets > 0
                && stats.dnsMessages > 0 && stats.clientAborts > 0 && stats.abortiveCloses > 0
                && stats.synAcksAfterAck > 0 && stats.tracerouteProbes > 0);
        assertTrue(allocated < MAX_BYTES, allocated + " bytes allocated by " + FRAMES + " frames (expected: < "
                + MAX_BYTES + ")");
    }

    private static void run(Tracker tracker, DecodedFrame[] frames, long[] times, long offset) {
        for (int i = 0; i < frames.length; i++) {
            DecodedFrame f = frames[i];
            f.timeNanos(times[i] + offset);
            tracker.onFrame(f);
        }
    }

    /** {@link #FRAMES} frames in time order, about 1 ms apart: a busy, unhealthy network. */
    private static DecodedFrame[] traffic(SplittableRandom random) {
        List<DecodedFrame> out = new ArrayList<>(FRAMES + 64);
        long t = 0;
        int isn = 1;
        while (out.size() < FRAMES) {
            t += random.nextInt(3) * MS;
            String client = (random.nextBoolean() ? "192.0.2." : "203.0.113.") + (1 + random.nextInt(250));
            int cport = 1024 + random.nextInt(60_000);
            String server = random.nextInt(8) == 0 ? "2001:db8::" + Integer.toHexString(1 + random.nextInt(40))
                    : "192.0.2." + (1 + random.nextInt(40));
            if (server.indexOf(':') >= 0) {
                client = "2001:db8:1::" + Integer.toHexString(1 + random.nextInt(500));
            }
            int sport = random.nextInt(4) == 0 ? 1 + random.nextInt(10_000) : 443;
            int c = isn += 100_000, s = isn += 100_000;
            if (random.nextInt(40) == 0) { // switches announcing: re-sent, changed port, TTL 0, more than the table holds
                long mac = 0x02_00_00_00_bb_00L + random.nextInt(12);
                String port = "Gi1/0/" + random.nextInt(3);
                int ttl = random.nextInt(10) == 0 ? 0 : 120;
                out.add(random.nextBoolean()
                        ? Announcements.decode(Announcements.lldp(mac, "sw-" + mac, port, "access " + port, ttl, 10, 20,
                                new int[] {192, 0, 2, 3}), t, -1)
                        : Announcements.decode(Announcements.cdp(mac, "sw-" + mac, port, "WS-C3560", ttl,
                                new int[] {192, 0, 2, 3}), t, -1));
            }
            switch (random.nextInt(19)) {
                case 0, 1 -> { // works: SYN, SYN/ACK, ACK, request, response, FINs
                    out.add(tcp(t, client, cport, server, sport, SYN, c, 0, 64, 64240, 0));
                    out.add(tcp(t + 20 * MS, server, sport, client, cport, SYN | ACK, s, c + 1, 60, 65535, 0));
                    out.add(tcp(t + 21 * MS, client, cport, server, sport, ACK, c + 1, s + 1, 64, 502, 0));
                    out.add(tcp(t + 22 * MS, client, cport, server, sport, ACK, c + 1, s + 1, 64, 502, 300));
                    out.add(tcp(t + 40 * MS, server, sport, client, cport, ACK, s + 1, c + 301, 60, 500, 1400));
                    out.add(tcp(t + 50 * MS, client, cport, server, sport, FIN | ACK, c + 301, s + 1401, 64, 502, 0));
                    out.add(tcp(t + 60 * MS, server, sport, client, cport, FIN | ACK, s + 1401, c + 302, 60, 500, 0));
                    switch (random.nextInt(4)) {
                        case 0 -> // path MTU: a router's fragmentation needed / packet too big for the response
                            out.add(TestPackets.icmpTooBig(t + 41 * MS, server.indexOf(':') >= 0 ? "2001:db8:ff::1"
                                    : "198.51.100.1", 1280, server, sport, client, cport, s + 1, 1440));
                        case 1 -> { // an MTU black hole on a second connection: a request acknowledged, then
                            // the client's full-size segment retransmitted and never acknowledged
                            int p2 = cport + 1, c2 = c + 50_000, s2 = s + 50_000;
                            out.add(tcp(t, client, p2, server, sport, SYN, c2, 0, 64, 64240, 0));
                            out.add(tcp(t + 20 * MS, server, sport, client, p2, SYN | ACK, s2, c2 + 1, 60, 65535, 0));
                            out.add(tcp(t + 21 * MS, client, p2, server, sport, ACK, c2 + 1, s2 + 1, 64, 502, 100));
                            out.add(tcp(t + 41 * MS, server, sport, client, p2, ACK, s2 + 1, c2 + 101, 60, 500, 0));
                            for (long at : new long[] {42, 242, 642, 1442}) {
                                out.add(tcp(t + at * MS, client, p2, server, sport, ACK, c2 + 101, s2 + 1, 64, 502, 1400));
                            }
                        }
                        default -> { }
                    }
                }
                case 2, 3 -> { // SYNs nobody answers, retransmitted at +1 s and +3 s (and once more, late)
                    for (long at : new long[] {0, SECOND, 3 * SECOND, 7 * SECOND}) {
                        out.add(tcp(t + at, client, cport, server, sport, SYN, c, 0, 64, 64240, 0));
                    }
                }
                case 4 -> { // refused
                    out.add(tcp(t, client, cport, server, sport, SYN, c, 0, 64, 64240, 0));
                    out.add(tcp(t + MS, server, sport, client, cport, RST | ACK, 0, c + 1, random.nextInt(2) == 0 ? 60 : 250,
                            0, 0));
                }
                case 5 -> { // ICMP unreachable, sometimes for a SYN the tap never saw
                    if (random.nextBoolean()) {
                        out.add(tcp(t, client, cport, server, sport, SYN, c, 0, 64, 64240, 0));
                    }
                    String router = server.indexOf(':') >= 0 ? "2001:db8:ff::1" : "198.51.100.1";
                    DecodedFrame icmp = TestPackets.icmpUnreachable(t + 2 * MS, router, random.nextInt(14), client, cport,
                            server, sport, c);
                    if (random.nextInt(4) == 0) { // a time exceeded: a routing loop, or a traceroute probe's
                        icmp = TestPackets.icmpError(t + 2 * MS, router, server.indexOf(':') >= 0 ? 3 : 11, 0, -1, client,
                                cport, server, sport, c);
                        out.add(tcp(t + MS, client, cport + 1, server, sport, SYN, c, 0, 1, 512, 0));
                    }
                    out.add(icmp);
                }
                case 6 -> { // SYN/ACK retransmitted, never acknowledged; or after the ACK and request
                    out.add(tcp(t, client, cport, server, sport, SYN, c, 0, 64, 64240, 0));
                    out.add(tcp(t + 10 * MS, server, sport, client, cport, SYN | ACK, s, c + 1, 60, 65535, 0));
                    int overloaded = random.nextInt(3);
                    if (overloaded == 1) { // server_overloaded: the ACK and request seen, never taken
                        out.add(tcp(t + 11 * MS, client, cport, server, sport, ACK, c + 1, s + 1, 64, 502, 41));
                    }
                    out.add(tcp(t + 1010 * MS, server, sport, client, cport, SYN | ACK, s, c + 1, 60, 65535, 0));
                    if (overloaded > 0) { // its second SYN/ACK, then the client resets (live: after no_final_ack)
                        out.add(tcp(t + 3010 * MS, server, sport, client, cport, SYN | ACK, s, c + 1, 60, 65535, 0));
                        out.add(tcp(t + 9 * SECOND, client, cport, server, sport, RST | ACK, c + 42, s + 1, 64, 0, 0));
                    }
                }
                case 7 -> { // handshake, then a reset by the server (or a client abort, or after data)
                    out.add(tcp(t, client, cport, server, sport, SYN, c, 0, 64, 64240, 0));
                    out.add(tcp(t + 10 * MS, server, sport, client, cport, SYN | ACK, s, c + 1, 60, 65535, 0));
                    out.add(tcp(t + 11 * MS, client, cport, server, sport, ACK, c + 1, s + 1, 64, 502, 0));
                    switch (random.nextInt(3)) {
                        case 0 -> out.add(tcp(t + 30 * MS, server, sport, client, cport, RST, s + 1, 0, 250, 0, 0));
                        case 1 -> out.add(tcp(t + 30 * MS, client, cport, server, sport, RST, c + 1, 0, 64, 0, 0));
                        default -> {
                            out.add(tcp(t + 20 * MS, client, cport, server, sport, ACK, c + 1, s + 1, 64, 502, 100));
                            out.add(tcp(t + 30 * MS, server, sport, client, cport, RST, s + 1000, 0, 60, 0, 0));
                        }
                    }
                }
                case 8 -> { // the SYN times out, then a late SYN/ACK takes the verdict back
                    out.add(tcp(t, client, cport, server, sport, SYN, c, 0, 64, 64240, 0));
                    out.add(tcp(t + 4 * SECOND, server, sport, client, cport, SYN | ACK, s, c + 1, 60, 65535, 0));
                }
                case 9 -> { // a receiver closes its window for 3 s; or a mid-stream zero window
                    if (random.nextBoolean()) {
                        out.add(tcp(t, client, cport, server, sport, SYN, c, 0, 64, 64240, 0));
                        out.add(tcp(t + 10 * MS, server, sport, client, cport, SYN | ACK, s, c + 1, 60, 65535, 0));
                        out.add(tcp(t + 11 * MS, client, cport, server, sport, ACK, c + 1, s + 1, 64, 502, 0));
                    }
                    for (long at = 100 * MS; at <= 3100 * MS; at += 500 * MS) {
                        out.add(tcp(t + at, client, cport, server, sport, ACK, c + 1, s + 1, 64, 0, 0));
                    }
                    out.add(tcp(t + 3200 * MS, client, cport, server, sport, ACK, c + 1, s + 1, 64, 502, 0));
                }
                case 10 -> { // ARP for an address nobody answers, from several askers
                    String target = "198.51.100." + random.nextInt(256);
                    for (int n = 0; n < 3; n++) {
                        out.add(TestPackets.arpRequest(t + n * SECOND, 0x020000000000L | random.nextInt(1000),
                                "192.0.2." + (1 + random.nextInt(9)), target));
                    }
                }
                case 11 -> { // ARP answered; a conflict; gratuitous; a probe
                    String ip = "203.0.113." + random.nextInt(256);
                    long mac = 0x020000000000L | random.nextInt(1000);
                    out.add(TestPackets.arpRequest(t, 0x02AA00000001L, "192.0.2.1", ip));
                    out.add(TestPackets.arpReply(t + MS, mac, ip, 0x02AA00000001L, "192.0.2.1"));
                    out.add(TestPackets.arpRequest(t + 2 * MS, mac + (random.nextInt(4) == 0 ? 1 : 0), ip, ip));
                    out.add(TestPackets.arpRequest(t + 3 * MS, mac, "0.0.0.0", ip));
                    // the asker's off-link traffic through it (a gateway learned from traffic), and a unicast probe
                    for (int n = 0; n < 4; n++) {
                        out.add(TestPackets.ipv4(t + (4 + n) * MS, 0x02AA00000001L, mac, "192.0.2.1",
                                "198.51.100." + (int) ((t / MS + n) & 0xFF), 6));
                    }
                    out.add(TestPackets.arpRequestTo(t + 9 * MS, mac, 0x02AA00000001L, "192.0.2.1", ip));
                }
                case 14 -> { // IPv6 ND: solicitations unanswered, a DAD probe answered by another MAC, RAs of many routers
                    long mac = 0x020000000000L | random.nextInt(1000);
                    String target = "2001:db8:a::" + Integer.toHexString(1 + random.nextInt(5000));
                    for (int n = 0; n < 3; n++) {
                        out.add(SitePackets.ns(t + n * SECOND, mac, "2001:db8:a::1", target));
                    }
                    out.add(SitePackets.ns(t, mac, "::", target));
                    out.add(SitePackets.na(t + MS, mac + random.nextInt(2), target, target));
                    int r = random.nextInt(20);
                    out.add(SitePackets.ra(t, 0x02BB00000000L | r, "fe80::" + Integer.toHexString(1 + r), random.nextInt(2) * 1800,
                            "2001:db8:" + Integer.toHexString(r) + "::", 64));
                }
                case 15 -> { // 802.1X: identity requests unanswered, failures, successes, group-addressed outcomes
                    long device = 0x020000000000L | random.nextInt(1000);
                    long authenticator = 0x02CC00000000L | random.nextInt(6);
                    out.add(SitePackets.eap(t, authenticator, device, SitePackets.REQUEST, SitePackets.IDENTITY, null));
                    if (random.nextInt(3) == 0) {
                        out.add(SitePackets.eap(t + SECOND, authenticator, device, SitePackets.REQUEST, SitePackets.IDENTITY, null));
                        out.add(SitePackets.eap(t + 4 * SECOND, authenticator, device, SitePackets.REQUEST, SitePackets.IDENTITY, null));
                    } else {
                        out.add(SitePackets.eap(t + MS, device, authenticator, SitePackets.RESPONSE, SitePackets.IDENTITY,
                                "user" + random.nextInt(100)));
                        out.add(SitePackets.eap(t + 2 * MS, device, authenticator, SitePackets.RESPONSE, SitePackets.MD5, null));
                        out.add(SitePackets.eap(t + 3 * MS, authenticator, random.nextBoolean() ? device : SitePackets.PAE_GROUP,
                                random.nextBoolean() ? SitePackets.SUCCESS : SitePackets.FAILURE, -1, null));
                    }
                }
                case 16 -> { // TLS: a ClientHello answered by a ServerHello, a fatal alert, plain text, a middlebox's RST
                    out.add(tcp(t, client, cport, server, sport, SYN, c, 0, 64, 64240, 0));
                    out.add(tcp(t + 10 * MS, server, sport, client, cport, SYN | ACK, s, c + 1, 60, 65535, 0));
                    out.add(TestPackets.tcp(t + 12 * MS, client, cport, server, sport, ACK, c + 1, s + 1, 64, HELLO));
                    int hello = c + 1 + HELLO.length;
                    switch (random.nextInt(4)) {
                        case 0 -> out.add(TestPackets.tcp(t + 20 * MS, server, sport, client, cport, ACK, s + 1, hello, 60, SERVER_HELLO));
                        case 1 -> out.add(TestPackets.tcp(t + 20 * MS, server, sport, client, cport, ACK, s + 1, hello, 60, ALERT));
                        case 2 -> out.add(TestPackets.tcp(t + 20 * MS, server, sport, client, cport, ACK, s + 1, hello, 60, BANNER));
                        default -> out.add(tcp(t + 13 * MS, server, sport, client, cport, RST, s + 1, 0, 64, 0, 0));
                    }
                }
                case 12 -> { // a DHCP lease from one of 12 servers (more than the table holds: rogues, evictions)
                    long mac = 0x020000100000L | random.nextInt(5000);
                    int xid = random.nextInt();
                    String srv = "192.0.2." + (200 + random.nextInt(12));
                    String ip = "192.0.2." + (1 + random.nextInt(199));
                    out.add(TestPackets.dhcp(t, 1, mac, xid, "0.0.0.0", "255.255.255.255", "0.0.0.0", "0.0.0.0",
                            "0.0.0.0", "0.0.0.0", -1, "0.0.0.0"));
                    out.add(TestPackets.dhcp(t + MS, 2, mac, xid, srv, "255.255.255.255", "0.0.0.0", ip, srv, "192.0.2.1",
                            600, "0.0.0.0"));
                    out.add(TestPackets.dhcp(t + 2 * MS, 3, mac, xid, "0.0.0.0", "255.255.255.255", "0.0.0.0", "0.0.0.0",
                            srv, "0.0.0.0", -1, "0.0.0.0"));
                    out.add(TestPackets.dhcp(t + 3 * MS, random.nextInt(4) == 0 ? 6 : 5, mac, xid, srv, "255.255.255.255",
                            "0.0.0.0", ip, srv, "192.0.2." + (1 + random.nextInt(3)), 600, "0.0.0.0"));
                    // the device asks for its gateway, which answers or not
                    out.add(TestPackets.arpRequest(t + 10 * MS, mac, ip, "192.0.2." + (1 + random.nextInt(3))));
                }
                case 13 -> { // DISCOVERs nobody answers (relayed or not), a renewal, a release
                    long mac = 0x020000200000L | random.nextInt(5000);
                    String relay = random.nextBoolean() ? "0.0.0.0" : "203.0.113.1";
                    for (long at : new long[] {0, 2 * SECOND, 4 * SECOND}) {
                        out.add(TestPackets.dhcp(t + at, 1, mac, 7, relay, "255.255.255.255", "0.0.0.0", "0.0.0.0",
                                "0.0.0.0", "0.0.0.0", -1, relay));
                    }
                    out.add(TestPackets.dhcp(t + 5 * SECOND, random.nextBoolean() ? 3 : 7, mac, 8, "192.0.2.50",
                            "192.0.2.200", "192.0.2.50", "0.0.0.0", "192.0.2.200", "0.0.0.0", -1, "0.0.0.0"));
                }
                case 17 -> { // a device on 169.254/16: a probe, an announcement, a packet
                    long mac = 0x020000300000L | random.nextInt(3000);
                    String ll = "169.254." + (1 + random.nextInt(254)) + "." + random.nextInt(256);
                    out.add(TestPackets.arp(t, 1, mac, "0.0.0.0", 0, ll));
                    out.add(TestPackets.arpRequest(t + SECOND, mac, ll, ll));
                    out.add(TestPackets.ipv4(t + 2 * SECOND, mac, ll, "169.254.255.255", 17));
                }
                default -> { // DNS: answered, NXDOMAIN, SERVFAIL, retransmitted and unanswered
                    String resolver = random.nextBoolean() ? "198.51.100.53" : "2001:db8::53";
                    String asker = resolver.indexOf(':') >= 0 ? "2001:db8:1::" + Integer.toHexString(cport) : client;
                    int id = random.nextInt(65_536);
                    String name = "host" + random.nextInt(100) + ".example";
                    int rcode = new int[] {0, 0, 3, 2, 5, -1}[random.nextInt(6)];
                    out.add(TestPackets.dnsQuery(t, asker, cport, resolver, id, name, 1));
                    if (rcode >= 0) {
                        out.add(TestPackets.dnsResponse(t + 5 * MS, resolver, asker, cport, id, name, 1, rcode,
                                rcode == 0 ? 2 : 0));
                    } else {
                        out.add(TestPackets.dnsQuery(t + SECOND, asker, cport, resolver, id, name, 1));
                    }
                }
            }
        }
        out.sort(Comparator.comparingLong(DecodedFrame::timeNanos)); // stable: each exchange keeps its order
        return out.subList(0, FRAMES).toArray(new DecodedFrame[0]);
    }

    private static DecodedFrame tcp(long time, String src, int srcPort, String dst, int dstPort, int flags, int seq,
                                    int ack, int ttl, int window, int payload) {
        return TestPackets.tcp(time, src, srcPort, dst, dstPort, flags, seq, ack, ttl, window, payload);
    }
}
