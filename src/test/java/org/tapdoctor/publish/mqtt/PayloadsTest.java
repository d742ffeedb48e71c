package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.jr.ob.JSON;

import org.junit.jupiter.api.Test;
import org.tapdoctor.publish.Stats;

/**
 * The non-diagnosis payloads are valid JSON; Home Assistant discovery carries the fields its MQTT
 * sensor schema requires or the box would not appear as one device with available sensors:
 * name, state_topic, unique_id, device (identifiers, name), availability (topic, templates).
 */
class PayloadsTest {

    @Test
    @SuppressWarnings("unchecked")
    void shouldGiveHomeAssistantSensorsOfOneDeviceWithTheRequiredFields() throws Exception {
        List<Payloads.Discovery> ds = Payloads.homeAssistant("pi-4.lab", "tapdoctor/pi-4.lab", "1.0");
        assertEquals(List.of("health", "failing_per_minute", "last_problem", "kernel_drops", "links"),
                ds.stream().map(d -> d.topic().split("/")[3]).toList());
        for (Payloads.Discovery d : ds) {
            assertTrue(d.topic().startsWith("homeassistant/sensor/tapdoctor_pi-4_lab/"), d.topic());
            Map<String, Object> m = JSON.std.mapFrom(d.payload());
            assertTrue(m.get("name") instanceof String);
            assertEquals("tapdoctor/pi-4.lab/status", m.get("state_topic"));
            assertTrue(((String) m.get("unique_id")).startsWith("tapdoctor_pi-4_lab_"));
            assertTrue(((String) m.get("value_template")).startsWith("{{ value_json."));
            Map<String, Object> device = (Map<String, Object>) m.get("device");
            assertEquals(List.of("tapdoctor_pi-4_lab"), device.get("identifiers"));
            assertEquals("tapdoctor pi-4.lab", device.get("name"));
            Map<String, Object> availability = ((List<Map<String, Object>>) m.get("availability")).get(0);
            assertEquals("tapdoctor/pi-4.lab/status", availability.get("topic"));
            assertEquals("online", availability.get("payload_available"));
            assertEquals("offline", availability.get("payload_not_available"));
        }
        assertEquals(5, ds.stream().map(d -> d.topic()).distinct().count());
    }

    @Test
    void shouldWriteStatusWithEveryFieldTheSensorsRead() throws Exception {
        Instant t0 = Instant.parse("2026-11-22T01:00:00Z");
        String json = Payloads.status(new Payloads.Status("box", "0.1", t0, t0.plusSeconds(90), "failure", t0.plusSeconds(5),
                "198.51.100.10:82 refused the connection", Map.of("eth0", "up 1G full"), 3, 1.25, 7, 2, 1));
        Map<String, Object> m = JSON.std.mapFrom(json);
        for (String sensor : List.of("health", "failing_per_minute", "last_problem", "kernel_drops", "links_text", "state")) {
            assertTrue(m.containsKey(sensor), sensor + " in " + json);
        }
        assertEquals(90, m.get("uptime_s"));
        assertEquals("eth0 up 1G full", m.get("links_text"));
        assertEquals("2026-11-22T01:00:05.000Z", m.get("last_diagnosis"));
        assertEquals(Map.of(), JSON.std.mapFrom(Payloads.OFFLINE).entrySet().stream().filter(e -> !e.getKey().equals("state"))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        Map<String, Object> stats = JSON.std.mapFrom(Payloads.stats(new Stats(t0, List.of(new Stats.Nic("eth0", "up", 10, 1, 0,
                0)), 5, 1, 2, 16, 0, 0, 1)));
        assertEquals(5, stats.get("handshakes_ok"));
        assertEquals(1, ((List<?>) stats.get("nics")).size());
    }
}
