package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tapdoctor.capture.CaptureFilter;
import org.tapdoctor.capture.PcapFileSource;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.diagnose.Sides;
import org.tapdoctor.engine.Engine;

/**
 * The issue-11 kinds on the scenarios made with the kernel's stacks (src/test/scenarios/
 * make-misread.sh), read whole and through the live capture filter (which drops the client's
 * final ACK): each capture gives its kind, and its healthy traffic beside it stays silent.
 */
class MisreadKindsTest {
    static final Path DIR = MisreadHealthyTest.DIR;
    /** The scenarios' client is on tapA. */
    static final Sides PLACE = new Sides(List.of("tapA", "tapB"));

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

    /** The diagnoses as "kind server" lines, sorted. */
    private static List<String> kinds(List<Diagnosis> ds) {
        return ds.stream().map(d -> d.kind().label() + " " + d.server()).sorted().toList();
    }

    private static Diagnosis of(List<Diagnosis> ds, String server) {
        return ds.stream().filter(d -> d.server().toString().equals(server)).findFirst().orElseThrow();
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
    void shouldReportTheRoutingLoopAsTimeExceededFromTheRouter(boolean throughTheFilter) throws Exception {
        // The SYNs circled rtr/rtr2 until their TTL (hop limit) ran out at rtr2, which answered:
        // somebody answered, so never no_response; the reporter is a router, not the server.
        List<Diagnosis> ds = read("routing_loop.pcap", throughTheFilter);
        assertEquals(List.of("unreachable 203.0.113.70:80", "unreachable [2001:db8:e::70]:80"), kinds(ds),
                Expectations.lines(ds));
        Diagnosis v4 = of(ds, "203.0.113.70:80");
        assertEquals("time-exceeded", v4.evidence().get("icmp"));
        assertEquals(11, v4.evidence().get("icmp_type"));
        assertEquals(0, v4.evidence().get("icmp_code"));
        assertEquals("203.0.113.2", v4.evidence().get("reported_by"));
        assertEquals(64, v4.evidence().get("syn_ttl"), "the client's SYN left with Linux's 64");
        assertEquals(Fault.MIDDLEBOX, PLACE.place(v4, 0).placement().fault());
        assertEquals("203.0.113.70:80 unreachable: 203.0.113.2 answered with ICMP time-exceeded: the SYN left the tap "
                + "with TTL 64 and died on the way, a routing loop", v4.summary());
        Diagnosis v6 = of(ds, "[2001:db8:e::70]:80");
        assertEquals("time-exceeded", v6.evidence().get("icmp"));
        assertEquals(3, v6.evidence().get("icmp_type"));
        assertEquals("2001:db8:12::2", v6.evidence().get("reported_by"));
        assertEquals(Fault.MIDDLEBOX, PLACE.place(v6, 0).placement().fault());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldReportTheParameterProblemWithItsPointer(boolean throughTheFilter) throws Exception {
        // rtr2 rejects the SYN's full timestamp option (v4 12/0, pointer 23); rtr the unknown
        // hop-by-hop option of the v6 SYN (4/2, pointer 42). Through the live filter the v6 SYN
        // (behind its extension header) does not pass: the ICMPv6 error alone proves it was sent.
        List<Diagnosis> ds = read("parameter_problem.pcap", throughTheFilter);
        assertEquals(List.of("unreachable 203.0.113.130:9001", "unreachable [2001:db8:f::130]:9001"), kinds(ds),
                Expectations.lines(ds));
        Diagnosis v4 = of(ds, "203.0.113.130:9001");
        assertEquals("parameter-problem", v4.evidence().get("icmp"));
        assertEquals(12, v4.evidence().get("icmp_type"));
        assertEquals(0, v4.evidence().get("icmp_code"));
        assertEquals(23, v4.evidence().get("icmp_pointer"));
        assertEquals("203.0.113.2", v4.evidence().get("reported_by"));
        assertEquals(Fault.MIDDLEBOX, PLACE.place(v4, 0).placement().fault());
        Diagnosis v6 = of(ds, "[2001:db8:f::130]:9001");
        assertEquals("parameter-problem", v6.evidence().get("icmp"));
        assertEquals(4, v6.evidence().get("icmp_type"));
        assertEquals(2, v6.evidence().get("icmp_code"));
        assertEquals(42, v6.evidence().get("icmp_pointer"));
        assertEquals("2001:db8:a::1", v6.evidence().get("reported_by"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldNotJudgeTcpTracerouteProbes(boolean throughTheFilter) throws Exception {
        // hping3 -T toward srv1:80: a TTL 1 SYN answered by time exceeded from rtr, TTL 2 SYNs
        // answered by srv1 and reset by the client's kernel. Probes, not attempts.
        List<Diagnosis> ds = read("healthy_tcp_traceroute.pcap", throughTheFilter);
        assertEquals(List.of(), ds, Expectations.lines(ds));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldReportTheServerWhoseAcceptQueueIsFull(boolean throughTheFilter) throws Exception {
        // srv1:8001, backlog 4, never accepts: 5 clients' ACK and 41-byte request crossed the tap,
        // the server retransmitted its SYN/ACK ~1 s and ~3 s later; a later SYN got nothing (the full
        // queue drops it). Not no_response, not no_final_ack (which blamed the client side live);
        // srv1:80 worked meanwhile and stays silent.
        List<Diagnosis> ds = read("server_overloaded.pcap", throughTheFilter);
        assertEquals(List.of("server_overloaded 198.51.100.10:8001"), kinds(ds), Expectations.lines(ds));
        Diagnosis d = ds.get(0);
        assertEquals(5L, d.evidence().get("synack_after_ack"));
        assertEquals(10L, d.evidence().get("synack_retransmissions"));
        assertEquals(1L, d.evidence().get("syn_unanswered"));
        assertEquals(41L, d.evidence().get("client_bytes"));
        assertEquals(Fault.BEYOND_TAP, PLACE.place(d, 0).placement().fault());
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
