package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.jr.ob.JSON;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.service.CommandRun;

/**
 * The site record over a real Mosquitto: {@code replay --mqtt} of the LLDP+CDP site scenario
 * leaves the record retained on {@code <prefix>/site}, the same object the console printed last,
 * its checklist in the status ({@code site_checks}), and Home Assistant's site sensors (switch,
 * port, VLAN) render from it with Jinja2 as Home Assistant would.
 */
class SiteMqttTest {
    static final Path SITE = Path.of("src/test/resources/scenarios/site/switch_lldp.pcap");

    @Test
    void shouldRetainTheSiteRecordAndPutItsChecklistInTheStatus(@TempDir Path dir) throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir);
             Subscriber all = Subscriber.of(broker.url(), "tapdoctor/sw1/status")) {
            CommandRun.Result r = CommandRun.run("replay", "--format", "jsonl", "--mqtt", broker.url(), "--set",
                    "device.id=sw1", "--set", "mqtt.homeassistant=true", SITE.toString());
            assertEquals(0, r.exit(), r.err());
            List<String> sites = r.out().lines().filter(l -> l.startsWith("{\"kind\":\"site\"")).toList();
            assertEquals(1, sites.size(), "one switch, re-sent: one record\n" + r.out());
            assertEquals(sites.size(), r.out().lines().count(), "a healthy capture: no diagnosis\n" + r.out());
            String site, status;
            try (Subscriber late = Subscriber.of(broker.url(), "tapdoctor/sw1/site", "tapdoctor/sw1/status")) {
                List<Subscriber.Message> ms = late.await(l -> l.stream().anyMatch(m -> m.topic().endsWith("/site")), 5_000);
                site = ms.stream().filter(m -> m.topic().endsWith("/site")).findFirst().orElseThrow().payload();
                assertTrue(ms.stream().filter(m -> m.topic().endsWith("/site")).allMatch(Subscriber.Message::retained));
                Thread.sleep(300); // retained messages come at once
                status = late.messages().stream().filter(m -> m.topic().endsWith("/status")).reduce((a, b) -> b)
                        .orElseThrow().payload();
            }
            assertEquals(sites.get(0), site, "the console's last site line, retained");
            assertTrue(site.contains("\"switch\":{\"name\":\"sw-3f-access-01\",\"chassis_id\":\"02:00:00:00:bb:01\","
                    + "\"port\":\"Gi1/0/12\""), site);
            assertTrue(status.contains("offline"), "a clean exit: offline retained last: " + status);
            List<String> online = all.await(l -> l.stream().anyMatch(m -> m.payload().contains("offline")), 5_000).stream()
                    .map(Subscriber.Message::payload).filter(p -> p.contains("\"site_checks\"")).toList();
            assertTrue(!online.isEmpty() && online.get(online.size() - 1).contains("\"site_checks\":{\"link\":\"?\","
                    + "\"switch\":\"ok\",\"dhcp\":\"?\",\"gateway\":\"?\",\"dns\":\"?\"}"), "status with the checklist: " + online);

            Map<String, String> templates = new java.util.LinkedHashMap<>();
            for (Discovery.Message m : Discovery.messages("homeassistant", "sw1", "tapdoctor/sw1", "1", false)) {
                Object t = m.payload().isEmpty() ? null : JSON.std.mapFrom(m.payload()).get("value_template");
                if (t != null) {
                    templates.put(m.topic().split("/")[3], (String) t);
                }
            }
            List<String[]> cases = new ArrayList<>();
            for (String sensor : List.of("site_switch", "site_port", "site_vlan", "site_dhcp_server", "site_gateway")) {
                cases.add(new String[] {templates.get(sensor), site});
            }
            assertEquals(List.of("sw-3f-access-01", "Gi1/0/12", "10", "None", "None"),
                    HomeAssistantTemplatesTest.render(dir, cases), "no DHCP or gateway in this capture: unknown");
        }
    }

    @Test
    void shouldPutTheChecklistInTheStatus() {
        String json = Payloads.status(new Payloads.Status("box", "1", HomeAssistantTemplatesTest.T0,
                HomeAssistantTemplatesTest.T0, "ok", null, null, Map.of(), 0, 0, 0, 0, 0, false, 0, Double.NaN,
                new org.tapdoctor.site.SiteRecord.Checks(org.tapdoctor.site.SiteRecord.Check.OK,
                        org.tapdoctor.site.SiteRecord.Check.OK, org.tapdoctor.site.SiteRecord.Check.FAIL,
                        org.tapdoctor.site.SiteRecord.Check.UNKNOWN, org.tapdoctor.site.SiteRecord.Check.OK)));
        assertTrue(json.endsWith(",\"site_checks\":{\"link\":\"ok\",\"switch\":\"ok\",\"dhcp\":\"fail\",\"gateway\":\"?\","
                + "\"dns\":\"ok\"}}"), json);
    }
}
