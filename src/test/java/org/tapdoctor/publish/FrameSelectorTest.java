package org.tapdoctor.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.tapdoctor.capture.CaptureFileReader;
import org.tapdoctor.diagnose.Clients;
import org.tapdoctor.diagnose.Diagnoses;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.RstOrigin;
import org.tapdoctor.diagnose.kinds.LinkState;
import org.tapdoctor.diagnose.kinds.Refused;
import org.tapdoctor.diagnose.kinds.TableFull;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.engine.Engine;
import org.tapdoctor.wire.DecodeResult;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.FrameDecoder;
import org.tapdoctor.wire.SitePackets;
import org.tapdoctor.wire.TestPackets;

/**
 * The frames each kind selects, on the committed scenario captures (frame numbers as Wireshark
 * numbers them, from 1) and on single frames.
 */
class FrameSelectorTest {
    private static final Path SCENARIOS = Path.of("src/test/resources/scenarios");
    private static final long EPOCH = 1_795_219_200_000_000_000L;
    private static final long MS = 1_000_000L;

    /** Frame numbers of {@code file} selected for its only diagnosis of {@code kind}. */
    private static List<Integer> selected(String file, Kind kind) throws Exception {
        Path path = SCENARIOS.resolve(file);
        Engine engine = new Engine();
        new CaptureFileReader().read(path, engine);
        engine.finish();
        List<Diagnosis> ds = engine.diagnoses().stream().filter(d -> d.kind() == kind).toList();
        assertEquals(1, ds.size(), ds.toString());
        FrameSelector s = FrameSelector.of(ds.get(0), EvidenceWriter.AFTER_LAST_NANOS);
        FrameDecoder decoder = new FrameDecoder();
        DecodedFrame f = new DecodedFrame();
        List<Integer> numbers = new ArrayList<>();
        int[] n = {0};
        new CaptureFileReader().read(path, (frame, length, wire, time, link, side) -> {
            n[0]++;
            if (decoder.decode(frame, 0, length, link, f) == DecodeResult.OK) {
                f.timeNanos(time);
                if (s.matches(f)) {
                    numbers.add(n[0]);
                }
            }
        });
        return numbers;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            r.add(i);
        }
        return r;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = ';', value = {
            "refused.pcap; REFUSED; 1 2",
            "no_response.pcap; NO_RESPONSE; 1 2 3",
            "admin_prohibited.pcap; UNREACHABLE; 1 2",
            "port_blocked.pcap; PORT_BLOCKED; 21 22",
            "dns_nxdomain.pcap; DNS_FAILURE; 1 2",
            "dns_noanswer.pcap; DNS_FAILURE; 1 2 3",
            "host_down.pcap; HOST_DOWN; 1 2 3",
            "duplicate_ip.pcap; DUPLICATE_IP; 1 2 3 4 5 6",
            // the site kinds: a device's own frames by its MAC (EAPOL, DHCP chaddr, ARP, ND)
            "site/dot1x_failure.pcap; DOT1X_FAILURE; 3 4 5 6 7 8 15 16 17 18 19 20",
            "site/dot1x_no_supplicant.pcap; DOT1X_NO_SUPPLICANT; 1 2 3 4 5 6 7",
            "site/dhcp_ignored.pcap; DHCP_FAILURE; 5 6 7",
            "site/no_address.pcap; NO_ADDRESS; 1 4 9 10 13",
            "site/dhcp_rogue.pcap; DHCP_ROGUE_SERVER; 9 10",
            "site/ipv6_dad_conflict.pcap; DUPLICATE_IP; 2 3",
            "site/ipv6_rogue_router.pcap; IPV6_ROGUE_ROUTER; 4 5 6 12",
            "site/gateway_gone.pcap; HOST_DOWN; 27 28 29"})
    void shouldSelectExactlyTheFramesOfTheDiagnosis(String file, Kind kind, String frames) throws Exception {
        List<Integer> expected = java.util.Arrays.stream(frames.split(" ")).map(Integer::valueOf).toList();
        assertEquals(expected, selected(file, kind));
    }

    @Test
    void shouldSelectEveryAttemptToAnUnreachableHostAndTheIcmpQuotingThem() throws Exception {
        assertEquals(range(21, 32), selected("host_gone.pcap", Kind.HOST_UNREACHABLE));
    }

    @Test
    void shouldSelectTheWholeConnectionOfAZeroWindowButNotItsNeighbourDiscovery() throws Exception {
        List<Integer> got = selected("zero_window.pcap", Kind.ZERO_WINDOW);
        assertEquals(1, got.get(0));
        assertFalse(got.contains(15) || got.contains(16) || got.contains(17) || got.contains(18), got.toString());
        assertTrue(got.containsAll(range(1, 14)) && got.containsAll(range(19, 30)), got.toString());
    }

    /** A TCP segment with TTL 64, window 65535, no payload. */
    private static DecodedFrame tcp(long time, String src, int sport, String dst, int dport, int flags, int seq, int ack) {
        return TestPackets.tcp(time, src, sport, dst, dport, flags, seq, ack, 64, 65535, 0);
    }

    private static Diagnosis refused(long count, int clients) {
        Instant t = Instant.ofEpochSecond(0, EPOCH);
        return Diagnoses.of(Kind.REFUSED, new Endpoint("192.0.2.10", 40000), new Endpoint("198.51.100.10", 82), count,
                t, t.plusMillis(100), new Refused.Evidence(count, RstOrigin.judge(64, -1), new Clients(clients, false)));
    }

    @Test
    void shouldMatchTheFourTupleBothWaysAndIcmpQuotingIt() {
        FrameSelector s = FrameSelector.of(refused(1, 1), EvidenceWriter.AFTER_LAST_NANOS);
        int rst = DecodedFrame.RST | DecodedFrame.ACK;
        assertTrue(s.matches(tcp(EPOCH, "192.0.2.10", 40000, "198.51.100.10", 82, DecodedFrame.SYN, 1, 0)));
        assertTrue(s.matches(tcp(EPOCH + MS, "198.51.100.10", 82, "192.0.2.10", 40000, rst, 0, 2)));
        assertTrue(s.matches(TestPackets.icmpUnreachable(EPOCH + MS, "203.0.113.1", 13, "192.0.2.10", 40000,
                "198.51.100.10", 82)));
        assertFalse(s.matches(tcp(EPOCH, "192.0.2.10", 40001, "198.51.100.10", 82, DecodedFrame.SYN, 1, 0)));
        assertFalse(s.matches(tcp(EPOCH, "192.0.2.11", 40000, "198.51.100.10", 82, DecodedFrame.SYN, 1, 0)));
        assertFalse(s.matches(tcp(EPOCH, "192.0.2.10", 40000, "198.51.100.10", 83, DecodedFrame.SYN, 1, 0)));
        assertFalse(s.matches(TestPackets.icmpUnreachable(EPOCH + MS, "203.0.113.1", 13, "192.0.2.10", 40001,
                "198.51.100.10", 82)));
        // outside the time window: before first, or after last plus the grace
        assertFalse(s.matches(tcp(EPOCH - 10 * MS, "192.0.2.10", 40000, "198.51.100.10", 82, DecodedFrame.SYN, 1, 0)));
        assertFalse(s.matches(tcp(EPOCH + 100 * MS + EvidenceWriter.AFTER_LAST_NANOS + 1, "192.0.2.10", 40000,
                "198.51.100.10", 82, DecodedFrame.SYN, 1, 0)));
    }

    @Test
    void shouldWidenToEveryClientPortAndPeerWhenAggregated() {
        FrameSelector oneClient = FrameSelector.of(refused(3, 1), EvidenceWriter.AFTER_LAST_NANOS);
        FrameSelector manyClients = FrameSelector.of(refused(3, 2), EvidenceWriter.AFTER_LAST_NANOS);
        DecodedFrame otherPort = tcp(EPOCH, "192.0.2.10", 40001, "198.51.100.10", 82, DecodedFrame.SYN, 1, 0);
        DecodedFrame otherClient = tcp(EPOCH, "192.0.2.11", 40001, "198.51.100.10", 82, DecodedFrame.SYN, 1, 0);
        assertTrue(oneClient.matches(otherPort));
        assertFalse(oneClient.matches(otherClient));
        assertTrue(manyClients.matches(otherClient));
        assertFalse(manyClients.matches(tcp(EPOCH, "192.0.2.11", 40001, "198.51.100.10", 80, DecodedFrame.SYN, 1, 0)));
    }

    @Test
    void shouldSelectNothingForTheBoxsOwnHealth() {
        Instant t = Instant.ofEpochSecond(0, EPOCH);
        assertNull(FrameSelector.of(Diagnoses.of(Kind.TABLE_FULL, null, null, 1, t, t,
                new TableFull.Evidence("connections", 16, 3, 3, -1)), EvidenceWriter.AFTER_LAST_NANOS));
        assertNull(FrameSelector.of(Diagnoses.of(Kind.LINK_DOWN, null, null, 1, t, t, new LinkState("eth1", "down")),
                EvidenceWriter.AFTER_LAST_NANOS));
    }

    private static final long DEVICE = 0x0200_0000_0026L, OTHER = 0x0200_0000_0027L, SWITCH = 0x0200_0000_bb01L;
    private static final long PAE_GROUP = 0x0180_C200_0003L;

    private static FrameSelector device(int frames) {
        Instant t = Instant.ofEpochSecond(0, EPOCH);
        Diagnosis d = Diagnoses.of(Kind.DOT1X_NO_SUPPLICANT, Endpoint.device("02:00:00:00:00:26", null), null, 1, t,
                t.plusSeconds(9), new org.tapdoctor.diagnose.kinds.Dot1xNoSupplicant.Evidence(3, "02:00:00:00:bb:01"));
        FrameSelection s = FrameSelection.device("02:00:00:00:00:26", frames).sinceStart();
        return FrameSelector.of(d, s, EvidenceWriter.AFTER_LAST_NANOS);
    }

    private static DecodedFrame dhcp(long time, int type, long chaddr) {
        return TestPackets.dhcp(time, type, chaddr, 7, "0.0.0.0", "255.255.255.255", "0.0.0.0", "0.0.0.0", "0.0.0.0",
                "0.0.0.0", -1, "0.0.0.0");
    }

    @Test
    void shouldSelectADevicesEapolBothWaysButNotAnotherDevicesNorTheGroupsRequests() {
        FrameSelector s = device(FrameSelection.EAPOL);
        assertTrue(s.matches(SitePackets.eap(EPOCH, SWITCH, DEVICE, 1, 1, null))); // Request/Identity to it
        assertTrue(s.matches(SitePackets.eap(EPOCH, DEVICE, PAE_GROUP, 2, 1, "x"))); // its Response to the group
        assertTrue(s.matches(SitePackets.eapolStart(EPOCH - 3_600_000 * MS, DEVICE))); // from the start
        assertFalse(s.matches(SitePackets.eap(EPOCH, SWITCH, OTHER, 1, 1, null)));
        assertFalse(s.matches(SitePackets.eap(EPOCH, SWITCH, PAE_GROUP, 1, 1, null)));
        assertFalse(s.matches(dhcp(EPOCH, 1, DEVICE)), "its DHCP: not asked for");
        assertFalse(s.matches(TestPackets.arpRequest(EPOCH, DEVICE, "169.254.77.10", "169.254.77.10")));
        assertFalse(s.matches(TestPackets.ipv4(EPOCH, DEVICE, "192.0.2.26", "192.0.2.1", 17)), "no IP frame");
    }

    @Test
    void shouldSelectADevicesDhcpByChaddrArpByMacAndNdBySource() {
        FrameSelector s = device(FrameSelection.DHCP | FrameSelection.ARP | FrameSelection.ND);
        assertTrue(s.matches(dhcp(EPOCH, 1, DEVICE)));
        assertTrue(s.matches(dhcp(EPOCH, 2, DEVICE)), "an OFFER to it (sent by the server's MAC)");
        assertFalse(s.matches(dhcp(EPOCH, 1, OTHER)));
        assertTrue(s.matches(TestPackets.arpRequest(EPOCH, DEVICE, "0.0.0.0", "169.254.77.10")));
        assertTrue(s.matches(TestPackets.arpReply(EPOCH, SWITCH, "192.0.2.1", DEVICE, "192.0.2.26")));
        assertFalse(s.matches(TestPackets.arpRequest(EPOCH, OTHER, "192.0.2.27", "192.0.2.1")));
        assertTrue(s.matches(SitePackets.ns(EPOCH, DEVICE, "::", "2001:db8:a::50")));
        assertFalse(s.matches(SitePackets.ns(EPOCH, OTHER, "::", "2001:db8:a::50")));
        assertFalse(s.matches(SitePackets.eap(EPOCH, SWITCH, DEVICE, 1, 1, null)), "its EAPOL: not asked for");
    }

    @Test
    void shouldRefuseADeviceSelectionWithoutFramesOrFramesWithoutADevice() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FrameSelection.device("02:00:00:00:00:26", 0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new FrameSelection(null, null, -1, null, -1, -1, null, false, null, FrameSelection.EAPOL));
    }
}
