package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tapdoctor.capture.CaptureFilter;
import org.tapdoctor.capture.PcapFileSource;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.engine.Engine;

/**
 * The issue-11 kinds on the scenarios made with the kernel's stacks (src/test/scenarios/
 * make-misread.sh), read whole and through the live capture filter (which drops the client's
 * final ACK): each capture gives its kind, and its healthy traffic beside it stays silent.
 */
class MisreadKindsTest {
    static final Path DIR = MisreadHealthyTest.DIR;

    private static List<Diagnosis> read(String file, boolean throughTheFilter) throws Exception {
        if (!throughTheFilter) {
            return Expectations.replay(DIR.resolve(file));
        }
        Engine engine = new Engine();
        PcapFileSource.replay(DIR.resolve(file), engine, CaptureFilter.expression());
        engine.finish();
        return engine.diagnoses();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldReportTheConnectThatWaitedForASynRetransmission(boolean throughTheFilter) throws Exception {
        // The first SYN to srv2:8082 dropped beyond the tap (nft), its retransmission answered;
        // srv2:80 answered its first SYN and must stay silent.
        List<Diagnosis> ds = read("slow_connect.pcap", throughTheFilter);
        assertEquals(1, ds.size(), Expectations.lines(ds));
        Diagnosis d = ds.get(0);
        assertEquals("slow_connect 198.51.100.20:8082", d.kind().label() + " " + d.server());
        assertEquals(2L, d.evidence().get("syn"));
        long delay = (Long) d.evidence().get("delay_ms");
        // Linux's initial SYN retransmission timeout is 1 s: the connect took it and a LAN round trip.
        assertEquals(true, delay >= 1000 && delay < 1100, "delay_ms " + delay);
    }

    /**
     * Path MTU (issue 11 item 5): each capture gives exactly its expected.tsv lines, replayed and
     * through the live filter. mtu_icmp: the ICMP errors pass the filter (all ICMP errors do).
     * mtu_blackhole: its data segments and ACKs do not pass the default filter, so through it the
     * black hole is silent (a miss, not a false alarm) unless the filter keeps full-size segments
     * ({@code capture.path-mtu}, CaptureFilter.expression(true)).
     */
    @ParameterizedTest
    @ValueSource(strings = {"mtu_icmp.pcap", "mtu_blackhole.pcap", "healthy_download.pcap"})
    void shouldReportPathMtuProblemsAsExpected(String file) throws Exception {
        List<Expectations.Line> expected = Expectations.read(DIR.resolve("expected.tsv")).get(file);
        Expectations.check(expected, read(file, false));
        Expectations.check(expected, readThroughPathMtuFilter(file));
        List<Diagnosis> live = read(file, true);
        Expectations.check(file.equals("mtu_blackhole.pcap") ? List.of() : expected, live);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldNameTheLinkAndTheRouterOfAFragmentationNeeded(boolean throughTheFilter) throws Exception {
        List<Diagnosis> ds = read("mtu_icmp.pcap", throughTheFilter);
        assertEquals(2, ds.size(), Expectations.lines(ds));
        for (Diagnosis d : ds) {
            assertEquals("mtu_problem", d.kind().label());
            assertEquals(1400L, ((Number) d.evidence().get("next_hop_mtu")).longValue());
            assertEquals("middlebox", d.kind().rule().fault(d).label());
        }
    }

    private static List<Diagnosis> readThroughPathMtuFilter(String file) throws Exception {
        Engine engine = new Engine();
        PcapFileSource.replay(DIR.resolve(file), engine, CaptureFilter.expression(true));
        engine.finish();
        return engine.diagnoses();
    }
}
