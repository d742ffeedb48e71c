package org.tapdoctor.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.tapdoctor.diagnose.Clients;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.RstOrigin;
import org.tapdoctor.diagnose.kinds.Refused;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.publish.mqtt.MqttSettings;
import org.tapdoctor.publish.mqtt.MqttSink;

/**
 * Not JMH: a whole-path measurement of the MQTT sink against a real broker (src/bench/mqtt-bench.sh
 * starts one). {@code MqttBench URL [burst] [rate] [seconds] [buffer-dir|-] [ha]}; {@code ha} turns Home
 * Assistant on, so every diagnosis is also an event on {@code <prefix>/event} (two messages to acknowledge):
 * <ol>
 * <li>burst: {@code burst} diagnoses handed to {@link MqttSink#diagnosis} as fast as one thread
 *   can, QoS 1; throughput = diagnoses / (last arrival at a QoS 1 subscriber - first call).</li>
 * <li>paced: {@code rate} diagnoses per second for {@code seconds}; latency = arrival at the
 *   subscriber - the {@code diagnosis()} call (same JVM, one monotonic clock): median, p99, max.</li>
 * </ol>
 */
public final class MqttBench {
    private static final Refused REFUSED = (Refused) Kind.REFUSED.rule();

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int burst = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        java.nio.file.Path dir = args.length > 4 && !args[4].equals("-") ? java.nio.file.Path.of(args[4]) : null;
        homeAssistant = args.length > 5 && args[5].equals("ha");
        run(url, "warmup", 20_000, 0, 0, dir == null ? null : dir.resolve("w"));
        run(url, "burst", burst, 0, 0, dir == null ? null : dir.resolve("b"));
        run(url, "paced", rate * seconds, rate, seconds, dir == null ? null : dir.resolve("p"));
    }

    private static boolean homeAssistant;

    private static void run(String url, String name, int n, int rate, int seconds, java.nio.file.Path dir) throws Exception {
        long[] sent = new long[n];
        long[] arrived = new long[n];
        AtomicLong received = new AtomicLong();
        String device = "bench-" + name;
        MqttAsyncClient sub = new MqttAsyncClient(url, "bench-sub-" + name, new MemoryPersistence());
        sub.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                System.err.println("subscriber lost: " + cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                long now = System.nanoTime();
                String p = new String(m.getPayload(), 0, Math.min(80, m.getPayload().length), StandardCharsets.UTF_8);
                String id = p.substring(7, p.indexOf('"', 7)); // {"id":"<device>-<start>-<seq>",
                int seq = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
                if (arrived[seq] == 0) {
                    arrived[seq] = now;
                    received.incrementAndGet();
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMaxInflight(1000);
        sub.connect(o).waitForCompletion();
        sub.subscribe("tapdoctor/" + device + "/diagnosis/#", 1).waitForCompletion();

        MqttSink sink = MqttSink.start(MqttSettings.plain(url, device).withBuffer(Math.max(n, 1), dir).withHomeAssistant(
                homeAssistant ? MqttSettings.HomeAssistant.ON : MqttSettings.HomeAssistant.OFF), "bench");
        if (!sink.awaitConnected(5_000)) {
            throw new IllegalStateException("cannot connect: " + sink.lastError());
        }
        Diagnosis[] ds = new Diagnosis[n];
        for (int i = 0; i < n; i++) {
            Instant t = Instant.ofEpochMilli(1_790_000_000_000L + i);
            ds[i] = REFUSED.diagnosis("refused 198.51.100.10:82", new Endpoint("192.0.2.10", 40000 + (i % 20000)),
                    new Endpoint("198.51.100.10", 82), 1, t, t,
                    new Refused.Evidence(1, RstOrigin.judge(63, 63), new Clients(1, false)));
        }
        long maxCall = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (rate > 0) {
                long due = t0 + (long) i * 1_000_000_000L / rate;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(Math.min(wait, 200_000));
                }
            }
            long c = System.nanoTime();
            sent[i] = c;
            sink.diagnosis(ds[i]);
            maxCall = Math.max(maxCall, System.nanoTime() - c);
        }
        long callsDone = System.nanoTime();
        long end = System.currentTimeMillis() + 60_000;
        while (received.get() < n && System.currentTimeMillis() < end) {
            Thread.sleep(5);
        }
        long last = 0;
        long[] lat = new long[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (arrived[i] != 0) {
                last = Math.max(last, arrived[i]);
                lat[k++] = arrived[i] - sent[i];
            }
        }
        lat = Arrays.copyOf(lat, k);
        Arrays.sort(lat);
        double secs = (last - t0) / 1e9;
        System.out.printf("%-6s %7d diagnoses, received %7d in %6.2f s = %8.0f /s (calls took %.2f s, slowest call %.2f ms); "
                        + "latency call->subscriber median %.2f ms, p99 %.2f ms, max %.2f ms%n",
                name, n, received.get(), secs, received.get() / secs, (callsDone - t0) / 1e9, maxCall / 1e6,
                pct(lat, 0.5), pct(lat, 0.99), lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6);
        sink.close();
        sub.disconnect().waitForCompletion();
        sub.close();
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }
}
