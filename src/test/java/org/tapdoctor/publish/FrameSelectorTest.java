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
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.engine.Engine;
import org.tapdoctor.wire.DecodeResult;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.FrameDecoder;
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
            "duplicate_ip.pcap; DUPLICATE_IP; 1 2 3 4 5 6"})
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
}
