package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.publish.mqtt.Mosquitto;
import org.tapdoctor.publish.mqtt.Subscriber;

/**
 * {@code replay --mqtt} against a real Mosquitto: a subscriber receives exactly the diagnoses the
 * console prints, each on {@code <prefix>/diagnosis/<kind>}, as valid JSON with a unique id, plus
 * the retained status; bad MQTT settings stop the command with exit 2 and a line naming the key.
 */
class MqttReplayTest {
    static final Path DEMO = Path.of("src/test/resources/demo/site-visit.pcap");

    @Test
    void shouldPublishExactlyTheDiagnosesTheConsolePrints(@TempDir Path dir) throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir);
             Subscriber sub = Subscriber.of(broker.url(), "tapdoctor/#")) {
            ReplayCommandTest.Run r = ReplayCommandTest.run("replay", "--format", "jsonl", "--mqtt", broker.url(),
                    "--set", "device.id=site1", DEMO.toString());
            assertEquals(0, r.exit(), r.err());
            // the diagnoses the console printed (the site record's own line is not one)
            List<String> console = r.out().lines().filter(l -> !l.startsWith("{\"kind\":\"site\"")).toList();
            assertTrue(console.size() >= 10, r.out());
            List<Subscriber.Message> all = sub.await(ms -> ms.stream().filter(m -> m.topic().contains("/diagnosis/"))
                    .count() >= console.size() && ms.stream().anyMatch(m -> m.payload().contains("offline")), 10_000);
            List<Subscriber.Message> diagnoses = all.stream().filter(m -> m.topic().contains("/diagnosis/")).toList();
            Set<String> ids = new HashSet<>();
            Set<String> withoutIds = new HashSet<>();
            for (Subscriber.Message m : diagnoses) {
                Map<String, Object> json = WatchCommand.parse(m.payload());
                assertNotNull(json, "valid JSON object: " + m.payload());
                assertEquals("tapdoctor/site1/diagnosis/" + json.get("kind"), m.topic());
                String id = (String) json.get("id");
                assertTrue(id.startsWith("site1-"), id);
                assertTrue(ids.add(id), "unique id " + id);
                assertTrue(m.payload().startsWith("{\"id\":\"" + id + "\","), m.payload());
                withoutIds.add("{" + m.payload().substring(m.payload().indexOf(',') + 1));
            }
            assertEquals(new HashSet<>(console), withoutIds, "the same diagnoses as the console");
            assertEquals(console.size(), diagnoses.size());

            List<Subscriber.Message> status = all.stream().filter(m -> m.topic().equals("tapdoctor/site1/status")).toList();
            Map<String, Object> online = WatchCommand.parse(status.get(0).payload());
            assertEquals("online", online.get("state"), status.get(0).payload());
            assertEquals("site1", online.get("device"));
            assertNotNull(online.get("version"));
            assertEquals("{\"state\":\"offline\"}", status.get(status.size() - 1).payload(), "a clean exit says offline");
        }
        // The status is retained: a late subscriber gets it at once.
    }

    @Test
    void shouldKeepTheStatusRetainedForLateSubscribers(@TempDir Path dir) throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir)) {
            ReplayCommandTest.Run r = ReplayCommandTest.run("replay", "--format", "jsonl", "--mqtt", broker.url(),
                    "--set", "device.id=late", "--set", "mqtt.homeassistant=true", DEMO.toString());
            assertEquals(0, r.exit(), r.err());
            try (Subscriber sub = Subscriber.of(broker.url(), "tapdoctor/late/status", "homeassistant/#")) {
                List<Subscriber.Message> ms = sub.await(l -> l.size() >= 17, 5_000);
                Subscriber.Message status = ms.stream().filter(m -> m.topic().endsWith("/status")).findFirst().orElseThrow();
                assertTrue(status.retained());
                assertEquals("{\"state\":\"offline\"}", status.payload());
                List<Subscriber.Message> discovery = ms.stream().filter(m -> m.topic().startsWith("homeassistant/")).toList();
                assertTrue(discovery.size() >= 16, discovery.toString()); // + the CPU temperature where there is one
                for (Subscriber.Message m : discovery) {
                    assertTrue(m.retained());
                    assertTrue(m.topic().matches("homeassistant/(sensor|binary_sensor|event|device_automation)/tapdoctor_late/"
                            + "[a-z0-9_]+/config"), m.topic());
                    assertTrue(m.payload().contains("\"identifiers\":[\"tapdoctor_late\"]"), m.payload());
                }
            }
        }
    }

    @Test
    void shouldStopWithExit2NamingTheKeyForBadSettings(@TempDir Path dir) throws Exception {
        ReplayCommandTest.Run r = ReplayCommandTest.run("replay", "--mqtt", "http://broker:80", DEMO.toString());
        assertEquals(2, r.exit());
        assertEquals("tapdoctor: command line: key 'mqtt.url': bad value 'http://broker:80' (expected tcp://host[:port] "
                + "or ssl://host[:port], or empty (no MQTT))", r.err().strip());
        r = ReplayCommandTest.run("replay", "--mqtt", "ssl://broker:8883", DEMO.toString());
        assertEquals(2, r.exit());
        assertEquals("tapdoctor: defaults: key 'mqtt.ca-file': required with an ssl:// mqtt.url (ssl://broker:8883)",
                r.err().strip());
        r = ReplayCommandTest.run("replay", "--mqtt", "ssl://broker:8883", "--set", "mqtt.ca-file=" + dir.resolve("no.pem"),
                DEMO.toString());
        assertEquals(2, r.exit());
        assertEquals("tapdoctor: defaults: key 'mqtt.ca-file': no such file '" + dir.resolve("no.pem") + "'", r.err().strip());
        r = ReplayCommandTest.run("replay", "--mqtt", "tcp://broker", "--set", "mqtt.username=u", "--set",
                "mqtt.password-file=/no/such/pw", DEMO.toString());
        assertEquals(2, r.exit());
        assertEquals("tapdoctor: defaults: key 'mqtt.password-file': no such file '/no/such/pw'", r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void shouldFailWithOneLineWhenTheBrokerIsUnreachable() throws Exception {
        int port = org.tapdoctor.publish.mqtt.MosquittoPorts.free();
        ReplayCommandTest.Run r = ReplayCommandTest.run("replay", "--format", "jsonl", "--mqtt", "tcp://127.0.0.1:" + port,
                DEMO.toString());
        assertEquals(1, r.exit());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("tapdoctor:")).collect(Collectors.toList());
        assertEquals(1, errors.size(), r.err());
        assertTrue(errors.get(0).contains("diagnoses not delivered: connection refused"), errors.get(0));
        assertFalse(r.out().isEmpty(), "the console still prints");
    }
}
