package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.jr.ob.JSON;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site record live: make-site-scenarios.sh --live runs {@code tapdoctor run} on the tap's two
 * bridge ports while lldpd (LLDP with LLDP-MED and CDPv2 on the switch side), dnsmasq, radvd,
 * hostapd and the clients go through every site scenario. The service must print a site record
 * whose switch is the access switch heard on the network-side NIC, with its port and VLANs, and
 * its links; and every diagnosis it prints must be one the site expectations list for some
 * scenario (a healthy scenario gives none; nothing about the healthy server port). Root and the
 * script's tools are required: skipped with a message without them, a failure in CI.
 */
class SiteLiveIT {
    @Test
    @SuppressWarnings("unchecked")
    void shouldPrintTheSiteRecordLiveAndNoDiagnosisForTheHealthyScenarios(@TempDir Path out) throws Exception {
        LiveScripts.requirePrerequisites("SiteLiveIT", SiteScenarioCaptureIT.SCRIPT);
        Path jar = Path.of(System.getProperty("tapdoctor.jar", "target/tapdoctor.jar")).toAbsolutePath();
        Path log = out.resolve("script.log");
        Process p = new ProcessBuilder("bash", SiteScenarioCaptureIT.SCRIPT.toString(), "--live", out.toString(), "--",
                "java", "-Xmx256m", "-jar", jar.toString(), "run", "--interfaces", "tapA,tapB", "--client-side", "tapA",
                "--format", "jsonl", "--set", "report.interval=500ms", "--stats-interval", "2s")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("make-site-scenarios.sh --live did not finish in 10 min:\n" + ScenarioCaptureIT.tail(log));
        }
        assertEquals(0, p.exitValue(), "make-site-scenarios.sh --live failed:\n" + ScenarioCaptureIT.tail(log)
                + "\n--- service log:\n" + ScenarioCaptureIT.tail(out.resolve("live.log")));
        String serviceLog = Files.readString(out.resolve("live.log"));
        assertFalse(serviceLog.contains("Exception"), "the service logged an exception:\n" + serviceLog);

        List<Map<String, Object>> sites = new ArrayList<>();
        List<String> diagnoses = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("live.out"))) {
            if (LiveScripts.isSite(line)) {
                sites.add(JSON.std.mapFrom(line));
            } else {
                diagnoses.add(line);
            }
        }
        // the scenarios run one after another: lldpd sends LLDP and CDP (site_healthy), LLDP alone, CDP alone
        Map<String, Object> withSwitch = null, withCdp = null;
        for (Map<String, Object> s : sites) {
            Map<String, Object> x = (Map<String, Object>) s.get("switch");
            if (x != null && "lldp".equals(x.get("protocol"))) {
                withSwitch = s;
            } else if (x != null && "cdp".equals(x.get("protocol"))) {
                withCdp = s;
            }
        }
        assertTrue(withSwitch != null && withCdp != null, "no site record with an LLDP and a CDP switch among "
                + sites.size() + ":\n" + sites);
        Map<String, Object> cdp = (Map<String, Object>) withCdp.get("switch");
        assertEquals("sw-3f-access-01", cdp.get("name"), cdp.toString());
        assertEquals("GigabitEthernet1/0/12", cdp.get("port"), "lldpd sends the port description as CDP's port ID");
        assertEquals("192.0.2.3", cdp.get("management_ip"), cdp.toString());
        Map<String, Object> sw = (Map<String, Object>) withSwitch.get("switch");
        assertEquals("sw-3f-access-01", sw.get("name"), sw.toString());
        assertEquals("Gi1/0/12", sw.get("port"), sw.toString());
        assertEquals(10, ((Number) sw.get("vlan")).intValue(), sw.toString());
        assertEquals(20, ((Number) sw.get("voice_vlan")).intValue(), sw.toString());
        assertEquals("lldp", sw.get("protocol"), sw.toString());
        Map<String, Object> links = (Map<String, Object>) withSwitch.get("links");
        assertTrue(links != null && links.containsKey("tapA") && links.containsKey("tapB"), "links: " + links);
        assertEquals("ok", ((Map<String, Object>) withSwitch.get("checks")).get("switch"));

        Map<String, List<Expectations.Line>> expected = Expectations.read(SiteScenarioCaptureIT.EXPECTED);
        List<String> unexpected = new ArrayList<>();
        for (String d : diagnoses) {
            String kind = LiveScripts.field(d, "kind");
            boolean listed = expected.values().stream().flatMap(List::stream)
                    .anyMatch(l -> l.kind().replace("?", "").equals(kind)
                            && (l.server().equals("-") || d.contains("\"server\":{\"ip\":\"" + l.server() + "\"")));
            boolean boxHealth = List.of("link_up", "link_down", "link_speed", "capture_drops").contains(kind);
            if (!listed && !boxHealth) {
                unexpected.add(d);
            }
            assertFalse(d.contains("\"server\":{\"ip\":\"198.51.100.10\",\"port\":80}"), "the healthy server port: " + d);
        }
        assertEquals(List.of(), unexpected, "diagnoses no site scenario expects");
        System.out.println("SiteLiveIT: " + sites.size() + " site records, " + diagnoses.size() + " diagnoses; last switch "
                + sw);
    }
}
