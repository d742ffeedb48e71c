package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.jr.ob.JSON;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.Tshark;
import org.tapdoctor.service.CommandRun;

/**
 * Evidence pcaps over a real Mosquitto: {@code replay --evidence DIR --mqtt} publishes each file of
 * DIR on {@code <prefix>/evidence/<diagnosis id>} (QoS 1, not retained), the diagnosis naming that
 * topic; what arrives is byte-identical to the file and opens in tshark with the same frames; and
 * {@code watch --save-evidence} (its own JVM) saves every one of them under the box's names.
 */
class EvidenceMqttTest {
    static final Path DEMO = Path.of("src/test/resources/demo/site-visit.pcap");

    static Map<String, byte[]> files(Path dir) throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".pcap")).toList()) {
                m.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    @Test
    void shouldPublishEveryEvidenceFileByteForByteAndLetWatchSaveThemAll(@TempDir Path dir) throws Exception {
        Tshark.require();
        Path evidence = dir.resolve("evidence");
        Path saved = dir.resolve("saved");
        try (Mosquitto broker = Mosquitto.start(dir.resolve("broker"));
             Subscriber sub = Subscriber.of(broker.url(), "tapdoctor/ev2/#")) {
            Process watch = watch(broker, saved, dir);
            try {
                CommandRun.Result r = CommandRun.run("replay", "--format", "jsonl", "--evidence", evidence.toString(),
                        "--mqtt", broker.url(), "--set", "device.id=ev2", DEMO.toString());
                assertEquals(0, r.exit(), r.err());
                Map<String, byte[]> onDisk = files(evidence);
                assertTrue(onDisk.size() >= 10, "the demo's evidence files: " + onDisk.keySet());
                List<Subscriber.Message> ms = sub.await(l -> l.stream().filter(m -> m.topic().contains("/evidence/")).count()
                        >= onDisk.size(), 20_000);
                int checked = 0;
                for (Subscriber.Message d : ms.stream().filter(m -> m.topic().contains("/diagnosis/")).toList()) {
                    Map<String, Object> json = JSON.std.mapFrom(d.payload());
                    String file = (String) json.get("evidence_file");
                    if (file == null) {
                        assertFalse(json.containsKey("evidence_topic"), "no file, no topic: " + d.payload());
                        continue;
                    }
                    String topic = "tapdoctor/ev2/evidence/" + json.get("id");
                    assertEquals(topic, json.get("evidence_topic"), "the diagnosis names the topic");
                    List<Subscriber.Message> pcaps = ms.stream().filter(m -> m.topic().equals(topic)).toList();
                    assertEquals(1, pcaps.size(), topic);
                    assertFalse(pcaps.get(0).retained());
                    assertArrayEquals(onDisk.get(file), pcaps.get(0).bytes(), file + " byte for byte");
                    assertTrue(ms.indexOf(d) < ms.indexOf(pcaps.get(0)), "the diagnosis comes first");
                    Path received = dir.resolve("received-" + file);
                    Files.write(received, pcaps.get(0).bytes());
                    List<String> frames = Tshark.fields(received, null, "frame.number", "frame.protocols");
                    assertEquals(records(onDisk.get(file)), frames.size(), "tshark reads every frame of " + file + ": " + frames);
                    assertTrue(frames.stream().allMatch(f -> f.contains("eth:")), "dissected as Ethernet frames: " + frames);
                    checked++;
                }
                assertEquals(onDisk.size(), checked, "every file on disk was published");

                long end = System.currentTimeMillis() + 20_000;
                while (System.currentTimeMillis() < end && files(saved).size() < onDisk.size()) {
                    Thread.sleep(100);
                }
                Map<String, byte[]> fromWatch = files(saved);
                assertEquals(onDisk.keySet(), fromWatch.keySet(), "watch saved every one under the box's name");
                for (String name : onDisk.keySet()) {
                    assertArrayEquals(onDisk.get(name), fromWatch.get(name), name);
                }
                try (Stream<Path> s = Files.list(saved)) {
                    assertEquals(onDisk.size(), s.count(), "and nothing else (no temporary file left)");
                }
            } finally {
                watch.destroy();
                watch.waitFor(10, TimeUnit.SECONDS);
            }
            List<String> lines = Files.readAllLines(dir.resolve("watch.out"));
            assertEquals(files(evidence).size(), lines.stream().filter(l -> l.startsWith("evidence of ev2-")).count(),
                    "one line per file saved: " + lines);
        }
    }

    /** {@code watch --save-evidence DIR} in its own JVM, returned once it has subscribed (it printed a status). */
    static Process watch(Mosquitto broker, Path saved, Path dir) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process watch = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                "org.tapdoctor.service.Main", "watch", "--mqtt", broker.url(), "--save-evidence", saved.toString())
                .redirectOutput(dir.resolve("watch.out").toFile()).redirectError(dir.resolve("watch.err").toFile()).start();
        MqttClient box = new MqttClient(broker.url(), "ready-box", new MemoryPersistence());
        box.connect();
        box.publish("tapdoctor/ready/status", "{\"state\":\"offline\"}".getBytes(StandardCharsets.UTF_8), 1, true);
        box.disconnect();
        box.close();
        long end = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < end && !Files.readString(dir.resolve("watch.out")).contains("tapdoctor/ready")) {
            assertTrue(watch.isAlive(), Files.readString(dir.resolve("watch.err")));
            Thread.sleep(100);
        }
        assertTrue(Files.readString(dir.resolve("watch.out")).contains("tapdoctor/ready offline"), "watch subscribed");
        return watch;
    }

    /** The records of a classic pcap (little-endian, as the box writes them). */
    static int records(byte[] pcap) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(pcap).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int n = 0;
        for (int at = 24; at + 16 <= pcap.length; at += 16 + b.getInt(at + 8)) {
            n++;
        }
        return n;
    }
}
