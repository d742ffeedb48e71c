package org.tapdoctor.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Clients;
import org.tapdoctor.diagnose.Diagnoses;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Evidence;
import org.tapdoctor.diagnose.RstOrigin;
import org.tapdoctor.diagnose.kinds.Refused;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.Kind;

class DiagnosisJsonTest {

    @Test
    void shouldWriteTheDesignExampleExactly() {
        Instant t = Instant.parse("2026-11-21T23:51:02.364Z");
        Diagnosis d = Diagnoses.of(Kind.REFUSED, new Endpoint("192.0.2.10", 38506), new Endpoint("198.51.100.10", 82),
                1, t, t, new Refused.Evidence(1, RstOrigin.judge(63, 63), new Clients(1, false)));
        assertEquals("{\"kind\":\"refused\",\"severity\":\"critical\",\"time\":\"2026-11-21T23:51:02.364Z\","
                + "\"client\":{\"ip\":\"192.0.2.10\",\"port\":38506},"
                + "\"server\":{\"ip\":\"198.51.100.10\",\"port\":82},"
                + "\"count\":1,\"first\":\"2026-11-21T23:51:02.364Z\",\"last\":\"2026-11-21T23:51:02.364Z\","
                + "\"evidence\":{\"syn\":1,\"rst_ttl\":63,\"server_ttl\":63,\"rst_from\":\"server\",\"clients\":1},"
                + "\"summary\":\"198.51.100.10:82 refused the connection: nothing listens there, or a firewall rejects it\"}",
                DiagnosisJson.toJson(d));
    }

    @Test
    void shouldOmitThePortOfHostLevelKindsAndAbsentEndpoints() {
        Instant t = Instant.ofEpochSecond(0, 1_999_999);
        Evidence ev = w -> {
            w.putStrings("macs", List.of("02:00:00:00:00:50", "02:00:00:00:00:51"));
            w.putCounts("nested", Map.of("a", 1));
        };
        Diagnosis d = Diagnoses.raw(Kind.DUPLICATE_IP, null, Endpoint.host("192.0.2.50"), 2, t, ev, "say \"quoted\"\n");
        assertEquals("{\"kind\":\"duplicate_ip\",\"severity\":\"critical\",\"time\":\"1970-01-01T00:00:00.001Z\","
                + "\"server\":{\"ip\":\"192.0.2.50\"},\"count\":2,\"first\":\"1970-01-01T00:00:00.001Z\","
                + "\"last\":\"1970-01-01T00:00:00.001Z\","
                + "\"evidence\":{\"macs\":[\"02:00:00:00:00:50\",\"02:00:00:00:00:51\"],\"nested\":{\"a\":1}},"
                + "\"summary\":\"say \\\"quoted\\\"\\n\"}", DiagnosisJson.toJson(d));
    }

    @Test
    void shouldWriteTheEvidenceFileAfterTheSummary() {
        Instant t = Instant.parse("2026-11-22T01:23:45Z");
        Diagnosis d = Diagnoses.raw(Kind.REFUSED, new Endpoint("192.0.2.10", 56308), new Endpoint("198.51.100.10", 82),
                1, t, Evidence.NONE, "refused").withEvidenceFile("20261122T012345Z-refused-198.51.100.10-82.pcap");
        assertEquals("{\"kind\":\"refused\",\"severity\":\"critical\",\"time\":\"2026-11-22T01:23:45.000Z\","
                + "\"client\":{\"ip\":\"192.0.2.10\",\"port\":56308},\"server\":{\"ip\":\"198.51.100.10\",\"port\":82},"
                + "\"count\":1,\"first\":\"2026-11-22T01:23:45.000Z\",\"last\":\"2026-11-22T01:23:45.000Z\","
                + "\"evidence\":{},\"summary\":\"refused\","
                + "\"evidence_file\":\"20261122T012345Z-refused-198.51.100.10-82.pcap\"}", DiagnosisJson.toJson(d));
    }

    @Test
    void shouldWriteADevicesMacAndItsAddressOnlyWhenItHasOne() {
        Instant t = Instant.parse("2026-11-22T01:23:45Z");
        Diagnosis bare = Diagnoses.raw(Kind.DUPLICATE_IP, Endpoint.device("02:00:00:00:00:26", null), null, 1, t,
                Evidence.NONE, "s");
        Diagnosis bound = Diagnoses.raw(Kind.DUPLICATE_IP, Endpoint.device("02:00:00:00:00:25", "192.0.2.25"), null, 1, t,
                Evidence.NONE, "s");
        assertEquals(true, DiagnosisJson.toJson(bare).contains("\"client\":{\"mac\":\"02:00:00:00:00:26\"}"));
        assertEquals(true, DiagnosisJson.toJson(bound).contains("\"client\":{\"ip\":\"192.0.2.25\",\"mac\":\"02:00:00:00:00:25\"}"));
        assertEquals("02:00:00:00:00:26", Endpoint.device("02:00:00:00:00:26", null).toString());
    }
}
