package org.tapdoctor.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.Kind;

class DiagnosisJsonTest {

    @Test
    void shouldWriteTheDesignExampleExactly() {
        Instant t = Instant.parse("2026-11-21T23:51:02.364Z");
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("syn", 1);
        ev.put("rst_ttl", 63);
        ev.put("server_ttl", 63);
        ev.put("rst_from", "server");
        Diagnosis d = new Diagnosis(Kind.REFUSED, t, new Endpoint("192.0.2.10", 38506), new Endpoint("198.51.100.10", 82),
                1, t, t, ev, "198.51.100.10:82 refused the connection: nothing listens there, or a firewall rejects it");
        assertEquals("{\"kind\":\"refused\",\"severity\":\"critical\",\"time\":\"2026-11-21T23:51:02.364Z\","
                + "\"client\":{\"ip\":\"192.0.2.10\",\"port\":38506},"
                + "\"server\":{\"ip\":\"198.51.100.10\",\"port\":82},"
                + "\"count\":1,\"first\":\"2026-11-21T23:51:02.364Z\",\"last\":\"2026-11-21T23:51:02.364Z\","
                + "\"evidence\":{\"syn\":1,\"rst_ttl\":63,\"server_ttl\":63,\"rst_from\":\"server\"},"
                + "\"summary\":\"198.51.100.10:82 refused the connection: nothing listens there, or a firewall rejects it\"}",
                DiagnosisJson.toJson(d));
    }

    @Test
    void shouldOmitThePortOfHostLevelKindsAndAbsentEndpoints() {
        Instant t = Instant.ofEpochSecond(0, 1_999_999);
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("macs", List.of("02:00:00:00:00:50", "02:00:00:00:00:51"));
        ev.put("nested", Map.of("a", true));
        Diagnosis d = new Diagnosis(Kind.DUPLICATE_IP, t, null, Endpoint.host("192.0.2.50"), 2, t, t, ev,
                "say \"quoted\"\n");
        assertEquals("{\"kind\":\"duplicate_ip\",\"severity\":\"critical\",\"time\":\"1970-01-01T00:00:00.001Z\","
                + "\"server\":{\"ip\":\"192.0.2.50\"},\"count\":2,\"first\":\"1970-01-01T00:00:00.001Z\","
                + "\"last\":\"1970-01-01T00:00:00.001Z\","
                + "\"evidence\":{\"macs\":[\"02:00:00:00:00:50\",\"02:00:00:00:00:51\"],\"nested\":{\"a\":true}},"
                + "\"summary\":\"say \\\"quoted\\\"\\n\"}", DiagnosisJson.toJson(d));
    }

    @Test
    void shouldWriteTheEvidenceFileAfterTheSummary() {
        Instant t = Instant.parse("2026-11-22T01:23:45Z");
        Diagnosis d = new Diagnosis(Kind.REFUSED, t, new Endpoint("192.0.2.10", 56308), new Endpoint("198.51.100.10", 82),
                1, t, t, Map.of(), "refused").withEvidenceFile("20261122T012345Z-refused-198.51.100.10-82.pcap");
        assertEquals("{\"kind\":\"refused\",\"severity\":\"critical\",\"time\":\"2026-11-22T01:23:45.000Z\","
                + "\"client\":{\"ip\":\"192.0.2.10\",\"port\":56308},\"server\":{\"ip\":\"198.51.100.10\",\"port\":82},"
                + "\"count\":1,\"first\":\"2026-11-22T01:23:45.000Z\",\"last\":\"2026-11-22T01:23:45.000Z\","
                + "\"evidence\":{},\"summary\":\"refused\","
                + "\"evidence_file\":\"20261122T012345Z-refused-198.51.100.10-82.pcap\"}", DiagnosisJson.toJson(d));
    }
}
