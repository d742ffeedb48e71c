package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.service.CommandRun;

/**
 * Evidence through a 30 s broker outage: two sinks, one keeping what waits in memory (the default)
 * and one journaling it ({@code mqtt.buffer-dir}), are each handed a diagnosis with its own evidence
 * pcap every second while Mosquitto is stopped (SIGTERM) for 30 s, then restarted on the same port.
 * Every diagnosis and every pcap arrives (a persistent subscriber), each pcap byte-identical to its
 * file, none dropped, and the journal directory is empty once all is delivered.
 */
class EvidenceOutageIT {
    static final int COUNT = 30;

    @Test
    void shouldLoseNoEvidenceWhileTheBrokerIsDownFor30Seconds(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("replayed");
        CommandRun.Result r = CommandRun.run("replay", "--format", "jsonl", "--evidence", source.toString(),
                "src/test/resources/demo/site-visit.pcap");
        assertEquals(0, r.exit(), r.err());
        Map<String, byte[]> real = EvidenceMqttTest.files(source);
        List<byte[]> pcaps = new ArrayList<>(real.values());
        Path evidence = Files.createDirectories(dir.resolve("evidence"));
        for (int i = 0; i < COUNT; i++) {
            Files.write(evidence.resolve("outage-" + i + ".pcap"), pcaps.get(i % pcaps.size()));
        }
        Mosquitto broker = Mosquitto.start(dir.resolve("broker"));
        MqttSettings.EvidenceMessages ev = new MqttSettings.EvidenceMessages(evidence, 4 << 20, 16 << 20);
        MqttSink memory = MqttSink.start(MqttSettings.plain(broker.url(), "evm").withEvidence(ev)
                .withReconnectMax(Duration.ofSeconds(2)), "test");
        Path journal = dir.resolve("journal");
        MqttSink journaled = MqttSink.start(MqttSettings.plain(broker.url(), "evj").withEvidence(ev)
                .withBuffer(10_000, journal).withReconnectMax(Duration.ofSeconds(2)), "test");
        try (Subscriber sub = new Subscriber(broker.url(), "evidence-outage-sub", true, null, null, null,
                "tapdoctor/evm/#", "tapdoctor/evj/#")) {
            assertTrue(memory.awaitConnected(5_000) && journaled.awaitConnected(5_000));
            broker.stop();
            long stopped = System.currentTimeMillis();
            for (int i = 0; i < COUNT; i++) {
                Diagnosis d = Synthetic.refused(i).withEvidenceFile("outage-" + i + ".pcap");
                memory.diagnosis(d);
                journaled.diagnosis(d);
                Thread.sleep(1_000);
            }
            assertTrue(Files.list(journal.resolve("evidence")).count() >= COUNT - 1, "journaled while the broker is away");
            broker.start();
            System.err.println("evidence outage: broker down " + (System.currentTimeMillis() - stopped) + " ms");
            List<Subscriber.Message> ms = sub.await(l -> evidence(l, "evm").size() >= COUNT && evidence(l, "evj").size()
                    >= COUNT, 60_000);
            for (String box : List.of("evm", "evj")) {
                List<Subscriber.Message> got = evidence(ms, box);
                List<String> diagnoses = ms.stream().filter(m -> m.topic().startsWith("tapdoctor/" + box + "/diagnosis/"))
                        .map(Subscriber.Message::payload).toList();
                for (int i = 0; i < COUNT; i++) {
                    int n = i;
                    String diagnosis = diagnoses.stream().filter(p -> p.contains("\"summary\":\"synthetic diagnosis " + n
                            + "\"")).findFirst().orElseThrow(() -> new AssertionError(box + ": diagnosis " + n));
                    String id = diagnosis.substring(7, diagnosis.indexOf('"', 7));
                    Subscriber.Message pcap = got.stream().filter(m -> m.topic().endsWith("/evidence/" + id)).findFirst()
                            .orElseThrow(() -> new AssertionError(box + ": evidence of " + id));
                    assertArrayEquals(Files.readAllBytes(evidence.resolve("outage-" + n + ".pcap")), pcap.bytes(), box + " " + n);
                }
            }
            assertEquals(0, memory.evidenceDropped() + journaled.evidenceDropped());
            assertEquals(0, memory.dropped() + journaled.dropped());
            long end = System.currentTimeMillis() + 5_000;
            while (System.currentTimeMillis() < end && Files.list(journal.resolve("evidence")).count() > 0) {
                Thread.sleep(50);
            }
            assertEquals(0, Files.list(journal.resolve("evidence")).count(), "delivered: the journaled copies are gone");
        } finally {
            memory.close();
            journaled.close();
            broker.stop();
        }
    }

    static List<Subscriber.Message> evidence(List<Subscriber.Message> ms, String box) {
        List<Subscriber.Message> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Subscriber.Message m : ms) {
            if (m.topic().startsWith("tapdoctor/" + box + "/evidence/") && seen.add(m.topic())) {
                out.add(m);
            }
        }
        return out;
    }
}
