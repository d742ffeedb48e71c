package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.publish.mqtt.Mosquitto;
import org.tapdoctor.publish.mqtt.MqttSettings;
import org.tapdoctor.publish.mqtt.MqttSink;
import org.tapdoctor.publish.mqtt.Subscriber;

/**
 * Junk on a box's cmd/ topics, against a real Mosquitto with the shipped ACL (MqttCommandsTest's
 * broker): a box in its own JVM ({@link CommandBoxMain}, mqtt.commands=true) finds a retained ack
 * when it subscribes and is sent text, an empty object, 64 KiB, an empty payload, an unknown
 * command, an evidence request without an id, a field
 * that is not a command's; each is ignored with exactly one log line saying why, no answer, and
 * nothing done (the retained ack did not acknowledge the box's critical problem); then a flood of
 * 300 more that reaches it in one burst (the box is SIGSTOPped while they are published): every one is
 * read and counted, none dropped, the log stays at 10 lines a minute, and the box still answers the
 * real command queued behind them and stops cleanly.
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
            BufferedReader out = new BufferedReader(new InputStreamReader(box.getInputStream(), StandardCharsets.UTF_8));
            try {
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

                // the box stopped (SIGSTOP) while the flood and a real command behind it are published: they wait on
                // the broker and in the socket, and reach the box as one burst when it goes on
                signal(box, "STOP");
                try {
                    for (int i = 0; i < FLOOD; i++) {
                        observer.publish(p + "ack", "junk " + i);
                    }
                    alice.publish(p + "status", "{\"correlation_id\":\"flooded\"}");
                } finally {
                    signal(box, "CONT");
                }
                answer = MqttCommandsTest.response(alice.await(l -> MqttCommandsTest.response(l, "flooded") != null, 10_000),
                        "flooded");
                assertTrue(answer != null && answer.get("ok").equals(true), "the command behind the flood answered: " + answer);
                assertEquals(10, ignoredLines(dir).size(), "at most 10 lines a minute: " + ignoredLines(dir).size());
                assertTrue(box.isAlive());
            } finally {
                signal(box, "TERM"); // not destroy(), which closes the pipe the box's last line comes through
                if (!box.waitFor(20, TimeUnit.SECONDS)) {
                    box.destroyForcibly();
                    throw new AssertionError("the box did not stop on SIGTERM in 20 s");
                }
            }
            assertEquals(143, box.exitValue(), "stopped by SIGTERM");
            String counted = out.readLine(); // done counts every ready-N the test sent, answered or not
            assertTrue(counted != null && counted.matches("commands: done \\d+, ignored " + (8 + FLOOD) + ", dropped 0"),
                    "every junk message read and counted, none dropped for want of room: " + counted);
            assertTrue(Files.readString(dir.resolve("box.err")).lines().noneMatch(l -> l.contains("ERROR")),
                    Files.readString(dir.resolve("box.err")));
        }
    }

    @Test
    void shouldReadEveryMessageOfABurstThatArrivesWhileThePublisherIsBusy(@TempDir Path dir) throws Exception {
        Mosquitto.require();
        HeldClock clock = new HeldClock();
        try (Mosquitto broker = MqttCommandsTest.startBroker(dir);
             Subscriber alice = Subscriber.as(broker.url(), "alice", MqttCommandsTest.PASSWORD + "alice", "tapdoctor/pi4-lab/#");
             Subscriber observer = Subscriber.as(broker.url(), "observer", MqttCommandsTest.PASSWORD + "observer",
                     "nothing/here")) {
            MqttSettings s = MqttSetup.settings(Config.load(null, false, Map.of("device.id", "pi4-lab", "mqtt.url", broker.url(),
                    "mqtt.username", "pi4-lab", "mqtt.password-file", dir.resolve("password-pi4-lab").toString(),
                    "mqtt.commands", "true")));
            MqttSink sink = MqttSink.start(s, "test", clock, dir.resolve("no-thermal-zones"));
            try {
                assertTrue(sink.awaitConnected(5_000), "connected: " + sink.lastError());
                MqttCommandsTest.ready(alice, "pi4-lab");
                String p = "tapdoctor/pi4-lab/cmd/";
                // the publisher held in its clock (as by a slow journal write on an SD card) while a burst arrives:
                // more than its places for arrivals, and a real command behind them
                clock.hold();
                try {
                    for (int i = 0; i < BURST; i++) {
                        observer.publish(p + "ack", "junk " + i);
                    }
                    alice.publish(p + "status", "{\"correlation_id\":\"behind\"}");
                } finally {
                    clock.release();
                }
                Map<String, Object> answer = MqttCommandsTest.response(
                        alice.await(l -> MqttCommandsTest.response(l, "behind") != null, 10_000), "behind");
                assertTrue(answer != null && answer.get("ok").equals(true), "the command behind the burst answered: " + answer);
                assertEquals(0, sink.commandsDropped(), "none dropped for want of room");
                assertEquals(BURST, sink.commandsIgnored(), "every junk message read and ignored, in order before the command");
            } finally {
                sink.close();
            }
        }
    }

    /** Three times the box's 64 places for arrivals, few enough to be published well inside the 1 s Paho's thread waits. */
    private static final int BURST = 192;

    /** The system clock, except that while held every other thread that reads it waits. */
    private static final class HeldClock implements InstantSource {
        private final Thread owner = Thread.currentThread();
        private volatile boolean held;
        private volatile boolean waiting;

        void hold() throws InterruptedException {
            held = true;
            long end = System.currentTimeMillis() + 5_000;
            while (!waiting) {
                if (System.currentTimeMillis() > end) {
                    throw new AssertionError("the publisher never read the clock");
                }
                Thread.sleep(1);
            }
        }

        void release() {
            held = false;
        }

        @Override
        public Instant instant() {
            while (held && Thread.currentThread() != owner) {
                waiting = true;
                LockSupport.parkNanos(1_000_000L);
            }
            return Instant.now();
        }
    }

    /** Far more than the box's 64 places for arrivals. */
    private static final int FLOOD = 300;

    private static void signal(Process p, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor());
    }

    static List<String> ignoredLines(Path dir) throws Exception {
        return Files.readAllLines(dir.resolve("box.err")).stream().filter(l -> l.contains("mqtt: ignored")).toList();
    }
}
