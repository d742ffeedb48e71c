package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.jr.ob.JSON;

import org.junit.jupiter.api.Test;
import org.tapdoctor.publish.Stats;

/**
 * The non-diagnosis payloads are valid JSON with every field Home Assistant's entities read
 * (discovery itself: DiscoveryTest); the event is built from the diagnosis's JSON alone.
 */
class PayloadsTest {

    @Test
    void shouldWriteStatusWithEveryFieldTheSensorsRead() throws Exception {
        Instant t0 = Instant.parse("2026-11-22T01:00:00Z");
        String json = Payloads.status(new Payloads.Status("box", "0.1", t0, t0.plusSeconds(90), "failure", t0.plusSeconds(5),
                "198.51.100.10:82 refused the connection", Map.of("eth0", "up 1G full"), 3, 1.25, 7, 2, 1, true, 12.345,
                48.7));
        Map<String, Object> m = JSON.std.mapFrom(json);
        for (String sensor : List.of("health", "failing_per_minute", "last_problem", "kernel_drops", "links_text", "state",
                "problem", "table_fill", "cpu_temperature")) {
            assertTrue(m.containsKey(sensor), sensor + " in " + json);
        }
        assertEquals(true, m.get("problem"));
        assertEquals(12.3, ((Number) m.get("table_fill")).doubleValue());
        assertEquals(48.7, ((Number) m.get("cpu_temperature")).doubleValue());
        String noCpu = Payloads.status(new Payloads.Status("box", "0.1", t0, t0, "ok", null, null, Map.of(), 0, 0, 0, 0, 0,
                false, 0, Double.NaN));
        assertFalse(JSON.std.mapFrom(noCpu).containsKey("cpu_temperature"), "absent where the box has no CPU zone: " + noCpu);
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

    @Test
    void shouldMakeTheEventFromTheDiagnosisJsonWithTheSummaryAndTheServerAsAttributes() throws Exception {
        String diagnosis = "{\"id\":\"box-1-7\",\"kind\":\"refused\",\"severity\":\"critical\",\"time\":\"2026-11-22T01:09:33.637Z\","
                + "\"client\":{\"ip\":\"192.0.2.10\",\"port\":56308},\"server\":{\"ip\":\"2001:db8::10\",\"port\":82},"
                + "\"side\":{\"client\":\"tapA\"},\"count\":2,\"evidence\":{\"failure\":\"refused\",\"ok_ports\":[80]},"
                + "\"summary\":\"it \\\"fails\\\"\",\"evidence_file\":\"x.pcap\",\"evidence_topic\":\"tapdoctor/box/evidence/box-1-7\"}";
        Map<String, Object> e = JSON.std.mapFrom(Payloads.event(diagnosis));
        assertEquals(Map.of("event_type", "refused", "id", "box-1-7", "severity", "critical", "time",
                "2026-11-22T01:09:33.637Z", "summary", "it \"fails\"", "server", "[2001:db8::10]:82", "client",
                "192.0.2.10:56308", "count", 2, "evidence_topic", "tapdoctor/box/evidence/box-1-7"), e);
    }
}
