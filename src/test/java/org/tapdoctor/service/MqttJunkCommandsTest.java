package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.publish.mqtt.Mosquitto;
import org.tapdoctor.publish.mqtt.Subscriber;

/**
 * Junk on a box's cmd/ topics, against a real Mosquitto with the shipped ACL (MqttCommandsTest's
 * broker): a box in its own JVM ({@link CommandBoxMain}, mqtt.commands=true) finds a retained ack
 * when it subscribes and is sent text, an empty object, 64 KiB, an empty payload, an unknown
 * command, an evidence request without an id, a field
 * that is not a command's; each is ignored with exactly one log line saying why, no answer, and
 * nothing done (the retained ack did not acknowledge the box's critical problem); then a flood of
 * 300 more: the log stays at 10 lines a minute, and the box still answers a real command and stops
 * cleanly.
 */
class MqttJunkCommandsTest {

    @Test
    void shouldIgnoreJunkAndOversizedCommandsWithOneLineEachAndKeepRunning(@TempDir Path dir) throws Exception {
        Mosquitto.require();
        try (Mosquitto broker = MqttCommandsTest.startBroker(dir);
             Subscriber alice = Subscriber.as(broker.url(), "alice", MqttCommandsTest.PASSWORD + "alice", "tapdoctor/pi4-lab/#");
             Subscriber observer = Subscriber.as(broker.url(), "observer", MqttCommandsTest.PASSWORD + "observer",
                     "nothing/here")) {
            String p = "tapdoctor/pi4-lab/cmd/";
            // retained before the box subscribes: it comes to the box as a retained message, as it would at
            // every reconnection (a live subscriber gets a retained publish with the flag cleared, as MQTT says)
            alice.publish(p + "ack", "{\"correlation_id\":\"retained\"}".getBytes(StandardCharsets.UTF_8), true);
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process box = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                    CommandBoxMain.class.getName(), "device.id=pi4-lab", "mqtt.url=" + broker.url(), "mqtt.username=pi4-lab",
                    "mqtt.password-file=" + dir.resolve("password-pi4-lab"), "mqtt.commands=true")
                    .redirectError(dir.resolve("box.err").toFile()).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(box.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("ready", out.readLine(), Files.readString(dir.resolve("box.err")));
                MqttCommandsTest.ready(alice, "pi4-lab");
                alice.await(l -> MqttCommandsTest.lastStatus(l).contains("\"problem\":true"), 5_000);
                alice.publish(p + "ack", "ack");
                alice.publish(p + "ack", "{}");
                alice.publish(p + "status", "{\"correlation_id\":\"big\",\"pad\":\"" + "x".repeat(64 * 1024) + "\"}");
                alice.publish(p + "ack", new byte[0], true); // clears the retained one; the box sees an empty payload
                observer.publish(p + "reboot", "{\"correlation_id\":\"r\"}");
                alice.publish(p + "evidence", "{\"correlation_id\":\"e\"}");
                alice.publish(p + "status", "{\"correlation_id\":\"s\",\"config\":\"x\"}");
                Map<String, Object> answer = MqttCommandsTest.answered(alice, "pi4-lab", "status", "{\"correlation_id\":\"after\"}",
                        "after");
                assertEquals(true, answer.get("ok"));
                List<String> ignored = ignoredLines(dir);
                assertEquals(8, ignored.size(), "one line per junk message: " + ignored);
                for (String why : List.of("not a JSON object", "correlation_id missing", "bytes, over 1024",
                        "a retained command", "unknown command 'reboot'", "evidence needs an \"id\"", "unexpected field")) {
                    assertTrue(ignored.stream().anyMatch(l -> l.contains(why)), why + " in " + ignored);
                }
                List<String> answered = new ArrayList<>();
                alice.messages().stream().filter(m -> m.topic().endsWith("/cmd/response"))
                        .forEach(m -> answered.add(m.payload().substring(0, m.payload().indexOf(',') + 1)));
                assertTrue(answered.stream().allMatch(a -> a.contains("ready-") || a.contains("\"after\"")), answered.toString());
                assertTrue(MqttCommandsTest.lastStatus(alice.messages()).contains("\"problem\":true"),
                        "neither the retained ack nor the junk acknowledged anything");

                for (int i = 0; i < 300; i++) {
                    observer.publish(p + "ack", "junk " + i);
                }
                answer = MqttCommandsTest.answered(alice, "pi4-lab", "status", "{\"correlation_id\":\"flooded\"}", "flooded");
                assertEquals(true, answer.get("ok"), "still answering after the flood");
                assertEquals(10, ignoredLines(dir).size(), "at most 10 lines a minute: " + ignoredLines(dir).size());
                assertTrue(box.isAlive());
            } finally {
                box.destroy(); // SIGTERM
                assertTrue(box.waitFor(20, TimeUnit.SECONDS));
            }
            assertEquals(143, box.exitValue(), "stopped by SIGTERM");
            assertTrue(Files.readString(dir.resolve("box.err")).lines().noneMatch(l -> l.contains("ERROR")),
                    Files.readString(dir.resolve("box.err")));
        }
    }

    static List<String> ignoredLines(Path dir) throws Exception {
        return Files.readAllLines(dir.resolve("box.err")).stream().filter(l -> l.contains("mqtt: ignored")).toList();
    }
}
