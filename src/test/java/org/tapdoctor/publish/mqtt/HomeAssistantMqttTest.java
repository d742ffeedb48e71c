package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.jr.ob.JSON;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.service.CommandRun;
import org.tapdoctor.service.Main;

/**
 * Home Assistant's side against a real Mosquitto: what a Home Assistant subscribing to the broker
 * would be given. The retained discovery is exactly {@link Discovery}'s (field-checked by
 * DiscoveryTest) and the same after a restart; turned off, it is emptied (removed); Home
 * Assistant's birth on {@code <discovery prefix>/status} makes the box publish it again; the event
 * entity and the problem sensor follow a replayed capture's diagnoses exactly; the problem sensor
 * turns off when the box's clock has moved 5 minutes on (a clock the test moves, no waiting).
 */
class HomeAssistantMqttTest {
    static final Path DEMO = Path.of("src/test/resources/demo/site-visit.pcap");

    static Map<String, String> retainedConfigs(Mosquitto broker, String discoveryPrefix, int atLeast) throws Exception {
        try (Subscriber late = Subscriber.of(broker.url(), discoveryPrefix + "/#")) {
            List<Subscriber.Message> ms = late.await(l -> l.size() >= atLeast, 5_000);
            Thread.sleep(300); // retained messages come at once: anything more would be here by now
            Map<String, String> m = new LinkedHashMap<>();
            for (Subscriber.Message x : late.messages()) {
                assertTrue(x.retained(), x.topic());
                m.put(x.topic(), x.payload());
            }
            return m;
        }
    }

    static Map<String, String> expected(String discoveryPrefix, String device) {
        return expected(discoveryPrefix, device, Main.version());
    }

    static Map<String, String> expected(String discoveryPrefix, String device, String version) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Discovery.Message d : Discovery.messages(discoveryPrefix, device, "tapdoctor/" + device, version,
                CpuTemperature.system().available())) {
            if (!d.payload().isEmpty()) { // an empty retained message is no retained message
                m.put(d.topic(), d.payload());
            }
        }
        return m;
    }

    @Test
    void shouldKeepTheSameDiscoveryAcrossRestartsAndEmptyItWhenTurnedOff(@TempDir Path dir) throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir)) {
            Map<String, String> expected = expected("homeassistant", "ha1");
            CommandRun.Result r = CommandRun.run("replay", "--format", "jsonl", "--mqtt", broker.url(), "--set", "device.id=ha1",
                    "--set", "mqtt.homeassistant=true", DEMO.toString());
            assertEquals(0, r.exit(), r.err());
            Map<String, String> first = retainedConfigs(broker, "homeassistant", expected.size());
            assertEquals(expected, first, "exactly the field-checked discovery, retained");

            r = CommandRun.run("replay", "--format", "jsonl", "--mqtt", broker.url(), "--set", "device.id=ha1", "--set",
                    "mqtt.homeassistant=true", DEMO.toString());
            assertEquals(0, r.exit(), r.err());
            Map<String, String> second = retainedConfigs(broker, "homeassistant", expected.size());
            assertEquals(first, second, "a restart gives the same unique ids, identifiers and payloads");
            for (String payload : second.values()) {
                assertTrue(payload.contains("\"identifiers\":[\"tapdoctor_ha1\"]"), payload);
            }

            try (Subscriber live = Subscriber.of(broker.url(), "homeassistant/#")) {
                live.await(l -> l.size() >= expected.size(), 5_000);
                live.clear();
                r = CommandRun.run("replay", "--format", "jsonl", "--mqtt", broker.url(), "--set", "device.id=ha1", DEMO.toString());
                assertEquals(0, r.exit(), r.err());
                List<Subscriber.Message> removal = live.await(l -> l.size() >= expected.size() + 1, 5_000);
                for (String topic : Discovery.removal("homeassistant", "ha1").stream().map(Discovery.Message::topic).toList()) {
                    assertTrue(removal.stream().anyMatch(m -> m.topic().equals(topic) && m.payload().isEmpty()),
                            "emptied: " + topic);
                }
            }
            assertEquals(Map.of(), retainedConfigs(broker, "homeassistant", 0), "the box is gone from Home Assistant");

            r = CommandRun.run("replay", "--format", "jsonl", "--mqtt", broker.url(), "--set", "device.id=ha1", "--set",
                    "mqtt.homeassistant=true", "--set", "mqtt.discovery-prefix=ha-site3", DEMO.toString());
            assertEquals(0, r.exit(), r.err());
            assertEquals(expected("ha-site3", "ha1"), retainedConfigs(broker, "ha-site3", expected.size()));
        }
    }

    @Test
    void shouldPublishDiscoveryAndStatesAgainWhenHomeAssistantSaysItIsOnline(@TempDir Path dir) throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir);
             Subscriber ha = Subscriber.of(broker.url(), "ha/#", "tapdoctor/birth/status", "tapdoctor/birth/site")) {
            MqttSink sink = MqttSink.start(MqttSettings.plain(broker.url(), "birth")
                    .withHomeAssistant(new MqttSettings.HomeAssistant(true, "ha")), "test");
            try {
                assertTrue(sink.awaitConnected(5_000));
                sink.site(HomeAssistantTemplatesTest.SITE);
                int configs = expected("ha", "birth", "test").size();
                // Every message of a round, the empty one removing an absent CPU temperature
                // included: waiting for the configs only, that one's successor could come after clear().
                int round = Discovery.messages("ha", "birth", "tapdoctor/birth", "test",
                        CpuTemperature.system().available()).size();
                ha.await(l -> count(l, "ha/") >= round && count(l, "tapdoctor/birth/site") >= 1, 5_000);
                ha.clear();
                ha.publish("ha/status", "offline"); // Home Assistant going away asks for nothing
                ha.publish("ha/status", "online");  // its birth message, as its MQTT integration sends it
                List<Subscriber.Message> again = ha.await(l -> count(l, "ha/") >= round + 2
                        && count(l, "tapdoctor/birth/status") >= 1 && count(l, "tapdoctor/birth/site") >= 1, 5_000);
                Map<String, String> republished = new LinkedHashMap<>();
                List<Subscriber.Message> configMessages = again.stream().filter(m -> m.topic().startsWith("ha/")
                        && m.topic().endsWith("/config") && !m.payload().isEmpty()).toList();
                configMessages.forEach(m -> republished.put(m.topic(), m.payload()));
                assertEquals(expected("ha", "birth", "test"), republished, "every config again");
                assertEquals(configs, configMessages.size(), "once");
                assertEquals(HomeAssistantTemplatesTest.SITE, again.stream().filter(m -> m.topic().endsWith("/site"))
                        .findFirst().orElseThrow().payload(), "and the states the entities read");
            } finally {
                sink.close();
            }
        }
    }

    static long count(List<Subscriber.Message> ms, String topicStart) {
        return ms.stream().filter(m -> m.topic().startsWith(topicStart)).count();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldFireTheEventAndTheProblemSensorExactlyAsTheReplayedDiagnoses(@TempDir Path dir) throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir);
             Subscriber sub = Subscriber.of(broker.url(), "tapdoctor/ev1/#")) {
            CommandRun.Result r = CommandRun.run("replay", "--format", "jsonl", "--mqtt", broker.url(), "--set",
                    "device.id=ev1", "--set", "mqtt.homeassistant=true", DEMO.toString());
            assertEquals(0, r.exit(), r.err());
            // the diagnoses the console printed (the site record's own line is not one)
            List<String> console = r.out().lines().filter(l -> !l.startsWith("{\"kind\":\"site\"")).toList();
            List<Subscriber.Message> all = sub.await(l -> count(l, "tapdoctor/ev1/event") >= console.size()
                    && l.stream().anyMatch(m -> m.payload().equals(Payloads.OFFLINE)), 10_000);
            List<Map<String, Object>> diagnoses = new ArrayList<>();
            List<Map<String, Object>> events = new ArrayList<>();
            for (Subscriber.Message m : all) {
                if (m.topic().contains("/diagnosis/")) {
                    diagnoses.add(JSON.std.mapFrom(m.payload()));
                } else if (m.topic().equals("tapdoctor/ev1/event")) {
                    assertFalse(m.retained(), "Home Assistant discards replayed retained events");
                    events.add(JSON.std.mapFrom(m.payload()));
                }
            }
            assertEquals(console.size(), diagnoses.size());
            assertEquals(console.size(), events.size(), "one event per diagnosis");
            for (int i = 0; i < console.size(); i++) {
                Map<String, Object> d = JSON.std.mapFrom(console.get(i));
                Map<String, Object> e = events.get(i);
                assertEquals(d.get("kind"), e.get("event_type"), "in the console's order: " + i);
                assertTrue(Discovery.eventTypes().contains((String) e.get("event_type")));
                assertEquals(d.get("summary"), e.get("summary"));
                Map<String, Object> server = (Map<String, Object>) d.get("server");
                String ip = (String) server.get("ip");
                String host = ip.contains(":") ? "[" + ip + "]" : ip;
                assertEquals(server.get("port") == null ? ip : host + ":" + server.get("port"), e.get("server"));
                assertEquals(diagnoses.get(i).get("id"), e.get("id"));
            }

            // the problem sensor: off until the first critical diagnosis is on the broker, then on
            int firstCritical = -1;
            List<Boolean> problem = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                Subscriber.Message m = all.get(i);
                if (firstCritical < 0 && m.topic().contains("/diagnosis/") && m.payload().contains("\"severity\":\"critical\"")) {
                    firstCritical = i;
                }
                if (m.topic().equals("tapdoctor/ev1/status") && m.payload().contains("\"online\"")) {
                    boolean on = (Boolean) JSON.std.mapFrom(m.payload()).get("problem");
                    problem.add(on);
                    assertEquals(firstCritical >= 0 && i > firstCritical, on, "status " + i + ": " + m.payload());
                }
            }
            assertTrue(firstCritical >= 0);
            assertEquals(List.of(false, true), problem.stream().distinct().toList(), "off, then on: " + problem);
        }
    }

    @Test
    void shouldTurnTheProblemOffFiveMinutesOfTheBoxsClockAfterTheCriticalDiagnosis(@TempDir Path dir) throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-22T01:00:00Z"));
        try (Mosquitto broker = Mosquitto.start(dir);
             Subscriber sub = Subscriber.of(broker.url(), "tapdoctor/clk/status")) {
            MqttSink sink = MqttSink.start(MqttSettings.plain(broker.url(), "clk").withHomeAssistant(
                    MqttSettings.HomeAssistant.ON).withReconnectMax(Duration.ofSeconds(1)), "test", clock, dir.resolve("none"));
            try {
                sub.await(l -> last(l).contains("\"problem\":false"), 5_000);
                sink.diagnosis(Synthetic.diagnosis(Kind.REFUSED, 1));
                assertTrue(last(sub.await(l -> last(l).contains("\"problem\":true"), 5_000)).contains("\"health\":\"failure\""));
                clock.advance(SinkHealth.WINDOW_MILLIS - 1_000);
                sink.diagnosis(Synthetic.diagnosis(Kind.DNS_FAILURE, 2));
                sub.clear();
                clock.advance(1_000);
                String after = last(sub.await(l -> last(l).contains("\"health\":\"warning\""), 5_000));
                assertTrue(after.contains("\"problem\":false"), "the critical one's 5 minutes are over: " + after);
                assertTrue(after.contains("\"uptime_s\":300,"), "uptime from the same clock: " + after);
            } finally {
                sink.close();
            }
        }
    }

    static String last(List<Subscriber.Message> ms) {
        return ms.isEmpty() ? "" : ms.get(ms.size() - 1).payload();
    }
}
