package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service process that only runs the MQTT sink ({@link SinkMain}, its own JVM) is killed with
 * SIGKILL: the retained status becomes offline through the will; and diagnoses it journaled while
 * the broker was down survive the kill and are delivered by the next start.
 */
class MqttCrashIT {

    @Test
    void shouldTurnTheRetainedStatusOfflineThroughTheWillOnKill9(@TempDir Path dir) throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir);
             Subscriber sub = Subscriber.of(broker.url(), "tapdoctor/crash/status")) {
            Process p = sinkProcess(broker.url(), "crash", "-", 3);
            try {
                awaitLine(p, "ready");
                List<Subscriber.Message> ms = sub.await(l -> l.stream().anyMatch(m -> m.payload().contains("\"online\"")),
                        10_000);
                assertTrue(ms.stream().anyMatch(m -> m.payload().contains("\"state\":\"online\"")), ms.toString());
                kill9(p);
                ms = sub.await(l -> !l.isEmpty() && l.get(l.size() - 1).payload().equals(Payloads.OFFLINE), 10_000);
                assertEquals(Payloads.OFFLINE, ms.get(ms.size() - 1).payload(), "the will: " + ms);
            } finally {
                p.destroyForcibly();
            }
            try (Subscriber late = Subscriber.of(broker.url(), "tapdoctor/crash/status")) {
                List<Subscriber.Message> ms = late.await(l -> !l.isEmpty(), 5_000);
                assertTrue(ms.get(0).retained());
                assertEquals(Payloads.OFFLINE, ms.get(0).payload(), "retained offline for late subscribers");
            }
        }
    }

    @Test
    void shouldDeliverAfterARestartWhatWasJournaledBeforeAKill9(@TempDir Path dir) throws Exception {
        Path buffer = dir.resolve("buffer");
        Mosquitto broker = Mosquitto.start(dir.resolve("broker"));
        broker.stop();
        int count = 200;
        Process first = sinkProcess(broker.url(), "persist", buffer.toString(), count);
        try {
            assertEquals("journaled " + count, awaitLine(first, "journaled"));
            kill9(first);
        } finally {
            first.destroyForcibly();
        }
        broker.start();
        try (Subscriber sub = Subscriber.of(broker.url(), "tapdoctor/persist/diagnosis/#")) {
            Process second = sinkProcess(broker.url(), "persist", buffer.toString(), 0);
            try {
                List<Subscriber.Message> ms = sub.await(l -> MqttOutageIT.ids(l).size() >= count, 20_000);
                assertEquals(count, MqttOutageIT.ids(ms).size(), "every journaled diagnosis delivered after the restart");
                for (Subscriber.Message m : ms) {
                    assertTrue(m.payload().contains("\"id\":\"persist-"), m.payload());
                }
            } finally {
                kill9(second);
                second.destroyForcibly();
            }
        } finally {
            broker.stop();
        }
    }

    static Process sinkProcess(String url, String device, String bufferDir, int count) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                SinkMain.class.getName(), url, device, bufferDir, Integer.toString(count)));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static String awaitLine(Process p, String prefix) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IOException("the sink process ended before printing '" + prefix + "'");
    }

    static void kill9(Process p) throws Exception {
        Process k = new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).inheritIO().start();
        assertEquals(0, k.waitFor());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
    }
}
