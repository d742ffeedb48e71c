package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.jr.ob.JSON;

import org.junit.jupiter.api.Test;

/**
 * SiteLiveIT's judge without the namespaces: a row not published, a diagnosis no row claims, a
 * wrong evidence value, a site record that differs at a scenario's end each fail, row by row; an
 * optional row may be missing; the table itself parses and names only scenarios the script runs.
 */
class SiteLiveCheckTest {
    static final String DHCP_FAILURE = "{\"kind\":\"dhcp_failure\",\"time\":\"2026-12-02T16:18:07.947Z\",\"client\":{\"mac\":\"02:00:00:00:00:21\"},"
            + "\"fault\":\"beyond_tap\",\"count\":1,\"evidence\":{\"discovers\":3,\"offers\":0}}";
    static final String SITE = "{\"kind\":\"site\",\"time\":\"2026-12-02T16:18:00.000Z\",\"dhcp\":{\"server\":\"192.0.2.2\",\"offer_ms\":1,"
            + "\"dns\":[\"192.0.2.2\"]},\"ipv6_routers\":[{\"ip\":\"fe80::1\",\"prefixes\":[\"2001:db8:a::/64\"],\"lifetime_s\":1800}]}";
    static final long END = java.time.Instant.parse("2026-12-02T16:18:10Z").toEpochMilli();

    static List<String> check(List<SiteLiveIT.Row> rows, String... lines) throws Exception {
        List<Map<String, Object>> sites = new ArrayList<>(), diagnoses = new ArrayList<>();
        for (String l : lines) {
            (LiveScripts.isSite(l) ? sites : diagnoses).add(JSON.std.mapFrom(l));
        }
        Map<String, SiteLiveIT.Window> w = new java.util.HashMap<>();
        for (SiteLiveIT.Row r : rows) {
            w.put(r.scenario(), new SiteLiveIT.Window(r.scenario(), 1, END - 10_000, END));
        }
        return SiteLiveIT.check(rows, w, sites, diagnoses);
    }

    static SiteLiveIT.Row row(String kind, String server, String client, String evidence) {
        return new SiteLiveIT.Row("sc", kind, server, client, evidence, "-", "-");
    }

    @Test
    void shouldPassWhatTheRowsSayAndFailEachDeparture() throws Exception {
        SiteLiveIT.Row failure = row("dhcp_failure", "-", "02:00:00:00:00:21", "discovers=3;fault=beyond_tap;published=1");
        SiteLiveIT.Row site = row("site", "-", "-", "dhcp.server=192.0.2.2;dhcp.offer_ms<1000;dhcp.dns=192.0.2.2;"
                + "ipv6_routers[fe80::1].prefixes=2001:db8:a::/64;ipv6_routers[fe80::1].lifetime_s>1000");
        assertEquals(List.of(), check(List.of(failure, site), DHCP_FAILURE, SITE));

        List<String> missing = check(List.of(failure), SITE);
        assertTrue(missing.size() == 1 && missing.get(0).contains("not published"), missing.toString());
        assertEquals(List.of(), check(List.of(row("?dhcp_failure", "-", "02:00:00:00:00:21", "-")), SITE), "optional");

        List<String> unclaimed = check(List.of(), DHCP_FAILURE);
        assertTrue(unclaimed.size() == 1 && unclaimed.get(0).startsWith("no row claims dhcp_failure"), unclaimed.toString());

        List<String> evidence = check(List.of(row("dhcp_failure", "-", "02:00:00:00:00:21", "discovers=4;published=2")), DHCP_FAILURE);
        assertEquals(2, evidence.size(), evidence.toString());
        assertTrue(evidence.get(0).contains("discovers is 3, expected 4"), evidence.toString());

        List<String> record = check(List.of(row("site", "-", "-", "dhcp.server=192.0.2.9;dhcp.offer_ms<1;ipv6_routers[fe80::2].lifetime_s>0")), SITE);
        assertEquals(3, record.size(), record.toString());
        String late = SITE.replace("16:18:00.000Z", "16:18:11.000Z");
        List<String> after = check(List.of(site), late);
        assertTrue(after.size() == 1 && after.get(0).contains("no site record printed before"), after.toString());
    }

    @Test
    void shouldReadTheTableOfEveryScenarioTheScriptRuns() throws Exception {
        String script = java.nio.file.Files.readString(SiteScenarioCaptureIT.SCRIPT);
        List<SiteLiveIT.Row> rows = SiteLiveIT.read(SiteLiveIT.TABLE);
        for (SiteLiveIT.Row r : rows) {
            assertTrue(script.contains("\ncapture " + r.scenario() + " "), "no such scenario in the script: " + r);
            assertTrue(r.kind().equals("none") || r.kind().equals("site")
                    || org.tapdoctor.diagnose.Kind.ofLabel(r.diagnosisKind()) != null, "no such kind: " + r);
        }
        long scenarios = script.lines().filter(l -> l.startsWith("capture ")).count();
        assertEquals(scenarios, rows.stream().map(SiteLiveIT.Row::scenario).distinct().count(),
                "every scenario of make-site-scenarios.sh has its rows in " + SiteLiveIT.TABLE);
    }
}
