package org.tapdoctor.service;

import java.util.LinkedHashMap;
import java.util.Map;

import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.publish.mqtt.MqttSink;
import org.tapdoctor.publish.mqtt.Synthetic;

/**
 * A box that only runs the MQTT sink, set up from configuration keys as the service does
 * ({@code CommandBoxMain KEY=VALUE...}), in its own JVM so that a test reads every log line it
 * writes: it publishes one critical diagnosis, prints {@code ready} once connected, and runs until
 * SIGTERM (then closes the sink, prints {@code commands: done D, ignored I, dropped N} and exits).
 */
public final class CommandBoxMain {
    public static void main(String[] args) throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String a : args) {
            keys.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        MqttSink sink = MqttSetup.start(Config.load(null, false, keys));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sink.close();
            System.out.println("commands: done " + sink.commandsDone() + ", ignored " + sink.commandsIgnored()
                    + ", dropped " + sink.commandsDropped());
            System.out.flush();
        }));
        if (!sink.awaitConnected(10_000)) {
            System.out.println("not connected: " + sink.lastError());
            System.exit(1);
        }
        sink.diagnosis(Synthetic.diagnosis(Kind.REFUSED, 1));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
