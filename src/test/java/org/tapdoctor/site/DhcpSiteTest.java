package org.tapdoctor.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.tapdoctor.capture.CaptureFileReader;
import org.tapdoctor.engine.Engine;

/**
 * The {@code dhcp} and {@code gateway} parts of the site record ({@link DhcpSite}) after each site
 * scenario, against the facts tshark gives (src/test/resources/scenarios/site/facts.tsv:
 * {@code dhcp.server}, {@code offer_ms}, {@code leases}, {@code router}, {@code dns},
 * {@code lease_s}, {@code gateway.*}; {@code absent}: the part or field is not in the record).
 */
class DhcpSiteTest {
    static final Path DIR = Path.of("src/test/resources/scenarios/site");
    static final List<String> FACTS = List.of("dhcp", "dhcp.server", "dhcp.offer_ms", "dhcp.leases", "dhcp.router",
            "dhcp.dns", "dhcp.lease_s", "gateway.ip", "gateway.mac", "gateway.learned_from", "gateway.answers_arp");

    /** file -> fact -> value, for the facts of the dhcp and gateway parts. */
    static Map<String, Map<String, String>> facts() throws IOException {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DIR.resolve("facts.tsv")).stream().skip(1).toList()) {
            String[] c = line.split("\t", -1);
            if (FACTS.contains(c[1])) {
                out.computeIfAbsent(c[0], k -> new LinkedHashMap<>()).put(c[1], c[2]);
            }
        }
        return out;
    }

    static SiteRecord record(Path capture) throws Exception {
        Engine engine = new Engine();
        new CaptureFileReader().read(capture, engine);
        engine.finish();
        long now = engine.tracker().lastTime();
        SiteRecord.Builder b = new SiteRecord.Builder(now);
        for (SiteSource s : engine.tracker().siteSources()) {
            s.addTo(b, now);
        }
        return b.build();
    }

    @Test
    void shouldHaveFactsForTheDhcpScenarios() throws IOException {
        Map<String, Map<String, String>> f = facts();
        for (String file : List.of("dhcp_healthy.pcap", "dhcp_ignored.pcap", "dhcp_nak_stale.pcap", "dhcp_rogue.pcap",
                "gateway_gone.pcap", "site_healthy.pcap", "no_address.pcap")) {
            assertTrue(f.containsKey(file), "facts.tsv has dhcp or gateway facts of " + file);
        }
    }

    @TestFactory
    Stream<DynamicTest> shouldGiveTheDhcpAndGatewayFactsOfEveryScenario() throws IOException {
        return facts().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            SiteRecord r = record(DIR.resolve(e.getKey()));
            for (Map.Entry<String, String> fact : e.getValue().entrySet()) {
                check(e.getKey(), fact.getKey(), fact.getValue(), r);
            }
        }));
    }

    private static void check(String file, String fact, String value, SiteRecord r) {
        String what = file + ": " + fact;
        boolean absent = value.equals("absent");
        if (fact.equals("dhcp")) {
            assertTrue(absent ? r.dhcp() == null : r.dhcp() != null, what + " " + value + ", record " + r.dhcp());
            return;
        }
        if (fact.startsWith("dhcp.")) {
            SiteRecord.Dhcp d = r.dhcp();
            if (absent && fact.equals("dhcp.server")) {
                assertNull(d, what);
                return;
            }
            assertNotNull(d, what + ": no dhcp part");
            switch (fact) {
                case "dhcp.server" -> assertEquals(value, d.server(), what);
                case "dhcp.offer_ms" -> inRange(what, value, d.offerMs());
                case "dhcp.leases" -> assertEquals(Integer.parseInt(value), d.leases(), what);
                case "dhcp.router" -> assertEquals(value, d.router(), what);
                case "dhcp.dns" -> assertEquals(Arrays.asList(value.split("[ ,]+")), d.dns(), what);
                case "dhcp.lease_s" -> assertEquals(Long.parseLong(value), d.leaseS(), what);
                default -> throw new AssertionError(fact);
            }
            return;
        }
        SiteRecord.Gateway g = r.gateway();
        if (absent && fact.equals("gateway.ip")) {
            assertNull(g, what);
            return;
        }
        assertNotNull(g, what + ": no gateway part");
        switch (fact) {
            case "gateway.ip" -> assertEquals(value, g.ip(), what);
            case "gateway.mac" -> assertEquals(absent ? null : value, g.mac(), what);
            case "gateway.learned_from" -> assertEquals(value, g.learnedFrom(), what);
            case "gateway.answers_arp" -> assertEquals(Boolean.parseBoolean(value), g.answersArp(), what);
            default -> throw new AssertionError(fact);
        }
    }

    /** {@code 1-10} (inclusive) or one number. */
    private static void inRange(String what, String range, long v) {
        String[] p = range.split("-");
        long lo = Long.parseLong(p[0]), hi = Long.parseLong(p[p.length - 1]);
        assertTrue(v >= lo && v <= hi, what + " = " + v + ", expected " + range);
    }

    @Test
    void shouldMoveItsChangesOnlyWhenWhatAPersonReadsChanges() throws Exception {
        Engine engine = new Engine();
        new CaptureFileReader().read(DIR.resolve("dhcp_rogue.pcap"), engine);
        SiteSource dhcp = engine.tracker().siteSources().stream().filter(x -> x instanceof DhcpSite).findFirst().orElseThrow();
        long changes = dhcp.siteChanges();
        assertTrue(changes >= 2, "a server and a gateway appeared: " + changes);
        engine.finish();
        assertEquals(changes, dhcp.siteChanges(), "the end of the capture changes nothing");
    }
}
