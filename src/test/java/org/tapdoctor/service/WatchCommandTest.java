package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.publish.mqtt.Mosquitto;

/**
 * {@code watch} in its own JVM against a real Mosquitto: prints the status and the diagnoses of
 * every box under the prefix as JSON lines, and a diagnosis redelivered with the same id once.
 */
class WatchCommandTest {

    @Test
    void shouldPrintStatusAndDiagnosesOfEveryBoxOnceById(@TempDir Path dir) throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir)) {
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process watch = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                    "org.tapdoctor.service.Main", "watch", "--mqtt", broker.url(), "--format", "jsonl", "--count", "3")
                    .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile()).start();
            MqttClient box = new MqttClient(broker.url(), "fake-box", new MemoryPersistence());
            box.connect();
            String d = "{\"id\":\"b1-x-1\",\"kind\":\"refused\",\"severity\":\"critical\",\"summary\":\"s\"}";
            box.publish("tapdoctor/b1/status", "{\"state\":\"online\",\"device\":\"b1\"}".getBytes(StandardCharsets.UTF_8),
                    1, true);
            long end = System.currentTimeMillis() + 20_000;
            while (watch.isAlive() && System.currentTimeMillis() < end) {
                // until watch has subscribed, diagnoses are lost: repeat them (the id makes repeats harmless)
                box.publish("tapdoctor/b1/diagnosis/refused", d.getBytes(StandardCharsets.UTF_8), 1, false);
                box.publish("tapdoctor/b2/diagnosis/refused", d.replace("b1-", "b2-").getBytes(StandardCharsets.UTF_8), 1,
                        false);
                Thread.sleep(300);
            }
            assertTrue(watch.waitFor(5, TimeUnit.SECONDS));
            box.disconnect();
            box.close();
            assertEquals(0, watch.exitValue(), Files.readString(dir.resolve("err")));
            List<String> lines = Files.readAllLines(dir.resolve("out"));
            assertEquals(3, lines.size(), lines.toString());
            assertEquals(1, lines.stream().filter(l -> l.contains("\"b1-x-1\"")).count(), "one print per id: " + lines);
            assertEquals(1, lines.stream().filter(l -> l.contains("\"b2-x-1\"")).count(), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.equals("{\"topic\":\"tapdoctor/b1/status\",\"message\":"
                    + "{\"state\":\"online\",\"device\":\"b1\"}}")), lines.toString());
        }
    }
}
