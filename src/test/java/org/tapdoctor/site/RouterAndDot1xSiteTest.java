package org.tapdoctor.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.tapdoctor.capture.CaptureFileReader;
import org.tapdoctor.engine.Engine;

/**
 * The {@code ipv6_routers} and {@code dot1x} parts of the site record ({@link RouterSite},
 * {@link Dot1xSite}) against site/facts.tsv (derived with tshark): every fact of those parts of
 * every site scenario, "absent" included; and a router re-advertising is no change.
 */
class RouterAndDot1xSiteTest {
    static final Path DIR = Path.of("src/test/resources/scenarios/site");

    record Fact(String file, String fact, String value) {
    }

    static List<Fact> facts() throws IOException {
        return Files.readAllLines(DIR.resolve("facts.tsv")).stream().skip(1).map(l -> l.split("\t"))
                .map(c -> new Fact(c[0], c[1], c[2])).toList();
    }

    static SiteRecord record(Path capture) throws Exception {
        Engine engine = new Engine();
        new CaptureFileReader().read(capture, engine);
        engine.finish();
        SiteRecord.Builder b = new SiteRecord.Builder(engine.tracker().lastTime());
        for (SiteSource s : engine.tracker().siteSources()) {
            s.addTo(b, engine.tracker().lastTime());
        }
        return b.build();
    }

    static String routers(SiteRecord r) {
        if (r.ipv6Routers().isEmpty()) {
            return "absent";
        }
        return r.ipv6Routers().stream().map(x -> x.ip() + " " + String.join(",", x.prefixes()) + " " + x.lifetimeS())
                .collect(Collectors.joining("; "));
    }

    @TestFactory
    Stream<DynamicTest> shouldGiveTheFactsOfTheRoutersAnd8021x() throws IOException {
        List<Fact> facts = facts().stream()
                .filter(f -> f.fact.equals("ipv6_routers") || f.fact.equals("dot1x") || f.fact.startsWith("dot1x.")
                        && !f.fact.equals("dot1x.unanswered"))
                .toList();
        assertTrue(facts.size() >= 20, "facts: " + facts.size());
        return facts.stream().map(f -> DynamicTest.dynamicTest(f.file + " " + f.fact, () -> {
            SiteRecord r = record(DIR.resolve(f.file));
            switch (f.fact) {
                case "ipv6_routers" -> assertEquals(f.value, routers(r));
                case "dot1x" -> {
                    assertEquals("absent", f.value);
                    assertNull(r.dot1x());
                }
                case "dot1x.authenticator" -> assertEquals(f.value, String.valueOf(r.dot1x() != null && r.dot1x().authenticator()));
                case "dot1x.clients.ok" -> assertEquals(f.value, String.valueOf(r.dot1x().ok()));
                case "dot1x.clients.failed" -> assertEquals(f.value, String.valueOf(r.dot1x().failed()));
                default -> throw new AssertionError("unknown fact " + f.fact);
            }
        }));
    }

    @Test
    void shouldNotChangeWhenTheRouterReAdvertises() throws Exception {
        Engine engine = new Engine();
        long[] changes = new long[2];
        new CaptureFileReader().read(DIR.resolve("ipv6_router.pcap"), (bytes, length, wire, time, link, side) -> {
            engine.onFrame(bytes, length, wire, time, link, side);
            long c = engine.tracker().siteSources().stream().filter(x -> x instanceof RouterSite).findFirst().orElseThrow()
                    .siteChanges();
            changes[0] = changes[0] == 0 ? c : changes[0];
            changes[1] = c;
        });
        assertTrue(changes[0] > 0);
        assertEquals(changes[0], changes[1], "3 RAs of one router, one prefix, one lifetime: one change (it appeared)");
    }
}
