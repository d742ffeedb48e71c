package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.service.WatchParse;

/**
 * A broker outage: the sink produces a diagnosis every 100 ms for 40 s while Mosquitto is
 * stopped (SIGTERM) for 33 s of them, then restarted on the same port. Every diagnosis arrives
 * (counted by id), none twice after dropping duplicates by id, the status comes back online, and
 * the producing thread never waited: no call to {@code diagnosis()} after the first few (class
 * loading) took a second, while waiting on the network would be the sink's 10 s connection
 * timeout or a blocked publish. (Not a timing budget: a bound a GC pause or a loaded machine
 * cannot reach, far below what waiting on the broker costs; 50 ms failed at load 8.)
 */
class MqttOutageIT {

    @Test
    void shouldDeliverEveryDiagnosisProducedWhileTheBrokerWasAway(@TempDir Path dir) throws Exception {
        Mosquitto broker = Mosquitto.start(dir);
        MqttSettings s = MqttSettings.plain(broker.url(), "outage").withReconnectMax(Duration.ofSeconds(2));
        try (Subscriber sub = new Subscriber(broker.url(), "outage-sub", true, null, null, null, "tapdoctor/outage/#")) {
            MqttSink sink = MqttSink.start(s, "test");
            assertTrue(sink.awaitConnected(5_000));
            int produced = 0;
            long slowest = 0;
            long start = System.currentTimeMillis();
            boolean stopped = false, restarted = false;
            while (System.currentTimeMillis() - start < 40_000) {
                long elapsed = System.currentTimeMillis() - start;
                if (!stopped && elapsed >= 3_000) {
                    broker.stop();
                    stopped = true;
                }
                if (!restarted && elapsed >= 36_000) {
                    broker.start();
                    restarted = true;
                }
                Kind kind = produced % 3 == 0 ? Kind.NO_RESPONSE : produced % 3 == 1 ? Kind.REFUSED : Kind.DNS_FAILURE;
                long t0 = System.nanoTime();
                sink.diagnosis(Synthetic.diagnosis(kind, produced++));
                if (produced > 5) { // after warm-up: the first calls load and compile the JSON writer
                    slowest = Math.max(slowest, System.nanoTime() - t0);
                }
                Thread.sleep(100);
            }
            int total = produced;
            List<Subscriber.Message> ms = sub.await(l -> ids(l).size() >= total, 30_000);
            Set<String> ids = ids(ms);
            long received = ms.stream().filter(m -> m.topic().contains("/diagnosis/")).count();
            System.err.println("outage: produced " + total + ", received " + received + " messages, " + ids.size()
                    + " distinct ids, " + (received - ids.size()) + " duplicates; slowest diagnosis() call "
                    + slowest / 1000 + " us; dropped " + sink.dropped());
            assertEquals(total, ids.size(), "every diagnosis arrives");
            for (int i = 0; i < total; i++) {
                int n = i;
                assertTrue(ms.stream().anyMatch(m -> m.payload().contains("\"summary\":\"synthetic diagnosis " + n + "\"")),
                        "diagnosis " + n);
            }
            assertEquals(0, sink.dropped());
            assertTrue(slowest < 1_000_000_000L, "the producer never waits on the network: " + slowest + " ns");
            List<Subscriber.Message> status = ms.stream().filter(m -> m.topic().equals("tapdoctor/outage/status")).toList();
            assertTrue(status.stream().anyMatch(m -> m.payload().equals(Payloads.OFFLINE)),
                    "Mosquitto published the will when it stopped");
            Map<String, Object> last = WatchParse.parse(status.get(status.size() - 1).payload());
            assertEquals("online", last.get("state"), "status back online");
            sink.close();
        } finally {
            broker.stop();
        }
    }

    static Set<String> ids(List<Subscriber.Message> ms) {
        Set<String> ids = new HashSet<>();
        for (Subscriber.Message m : ms) {
            if (m.topic().contains("/diagnosis/")) {
                ids.add((String) WatchParse.parse(m.payload()).get("id"));
            }
        }
        return ids;
    }
}
