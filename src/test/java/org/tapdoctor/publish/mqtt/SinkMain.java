package org.tapdoctor.publish.mqtt;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A service process that only runs the MQTT sink, for the crash tests (run in its own JVM and
 * killed with SIGKILL): {@code SinkMain URL DEVICE BUFFER_DIR|- COUNT}. Publishes COUNT synthetic
 * diagnoses, prints {@code journaled N} (with a buffer directory) or {@code published N} once they
 * are on disk or delivered, then {@code ready}, and waits to be killed.
 */
public final class SinkMain {
    public static void main(String[] args) throws Exception {
        MqttSettings s = MqttSettings.plain(args[0], args[1]).withBuffer(10_000, args[2].equals("-") ? null : Path.of(args[2]))
                .withReconnectMax(Duration.ofSeconds(1));
        s = s.withKeepAlive(Duration.ofSeconds(2));
        int count = Integer.parseInt(args[3]);
        MqttSink sink = MqttSink.start(s, "test");
        for (int i = 0; i < count; i++) {
            sink.diagnosis(Synthetic.refused(i));
        }
        if (s.bufferDir() != null) {
            while (sink.journaled() < count) {
                Thread.sleep(10);
            }
            System.out.println("journaled " + sink.journaled());
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
