package org.tapdoctor.service;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.tapdoctor.publish.mqtt.MqttSettings;
import org.tapdoctor.publish.mqtt.MqttSink;
import org.tapdoctor.publish.mqtt.NewestEntries;
import org.tapdoctor.publish.mqtt.Tls;
import org.tinylog.Logger;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tapdoctor watch --mqtt URL [--prefix tapdoctor/+] [--format text|jsonl]}: a small fleet
 * view. Subscribes to the status, diagnoses and drop reports of every box under the prefix and
 * prints them as they arrive; a diagnosis whose {@code id} was already printed (an at-least-once
 * redelivery) is skipped. Subscriptions are renewed on every reconnection (Paho does not). TLS and
 * the user come from the same {@code mqtt.*} keys as the service ({@code --config}, {@code --set}).
 * {@code jsonl}: one object per message, {@code {"topic":...,"message":{...}}}, nothing else on
 * stdout. Runs until interrupted, or until {@code --count} messages were printed. Exit code 1 when
 * the first connection fails (one line saying why), 2 for a configuration error.
 * {@code --save-evidence DIR} also subscribes to {@code <prefix>/evidence/+} and saves every pcap
 * that arrives in DIR, named as on the box ({@link WatchEvidence}), one line per file saved.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Print the live diagnoses and status of every box publishing to an MQTT broker.")
final class WatchCommand implements Callable<Integer> {
    private static final int DEDUP_IDS = 100_000;
    private static final JsonFactory JSON = new JsonFactory();

    enum Format { TEXT, JSONL }

    @Option(names = "--mqtt", paramLabel = "URL", description = "the broker, tcp:// or ssl:// (overrides 'mqtt.url')")
    String mqtt;

    @Option(names = "--prefix", paramLabel = "TOPIC", defaultValue = "tapdoctor/+",
            description = "the boxes' topic prefix; + matches any one level (default: ${DEFAULT-VALUE})")
    String prefix = "tapdoctor/+";

    @Option(names = "--format", defaultValue = "text", description = "text or jsonl (default: ${DEFAULT-VALUE})")
    Format format = Format.TEXT;

    @Option(names = "--config", paramLabel = "FILE", description = "read mqtt.* keys (TLS, user) from this file")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "overrides a configuration key (mqtt.*)")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--count", paramLabel = "N", description = "exit after printing N messages")
    long count;

    @Option(names = "--save-evidence", paramLabel = "DIR",
            description = "save the evidence pcaps the boxes publish in DIR, named as on the box")
    Path saveEvidence;

    private WatchEvidence evidence;

    private final Map<String, Boolean> seen = new NewestEntries<>(DEDUP_IDS);

    @Override
    public Integer call() throws Exception {
        Map<String, String> o = new LinkedHashMap<>(set);
        if (mqtt != null) {
            o.put("mqtt.url", mqtt);
        }
        MqttSettings s;
        MqttConnectOptions options = new MqttConnectOptions();
        try {
            Config cfg = Config.load(config, config != null, o);
            s = MqttSetup.settings(cfg);
            if (s == null) {
                System.err.println("tapdoctor: watch needs --mqtt URL (or mqtt.url in --config)");
                return 2;
            }
            if (s.tls()) {
                options.setSocketFactory(Tls.socketFactory(s.caFile(), s.certFile(), s.keyFile()));
            }
        } catch (Config.ConfigException e) {
            System.err.println("tapdoctor: " + e.getMessage());
            return 2;
        } catch (Tls.TlsException e) {
            System.err.println("tapdoctor: TLS settings: " + e.getMessage());
            return 2;
        }
        if (prefix.contains("#") || prefix.endsWith("/")) {
            System.err.println("tapdoctor: --prefix: bad value '" + prefix + "' (expected a topic prefix; + matches one level)");
            return 2;
        }
        if (saveEvidence != null) {
            try {
                evidence = new WatchEvidence(saveEvidence);
            } catch (IOException e) {
                System.err.println("tapdoctor: --save-evidence: cannot use '" + saveEvidence + "': " + e);
                return 2;
            }
        }
        options.setCleanSession(true);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay((int) Math.max(1000, s.reconnectMax().toMillis()));
        options.setKeepAliveInterval((int) Math.max(1, s.keepAlive().toSeconds()));
        if (s.username() != null) {
            options.setUserName(s.username());
        }
        if (s.password() != null) {
            options.setPassword(s.password());
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        CountDownLatch done = new CountDownLatch(1);
        String clientId = "tapdoctor-watch-" + UUID.randomUUID().toString().substring(0, 8);
        MqttAsyncClient client = new MqttAsyncClient(s.serverUri(), clientId, new MemoryPersistence());
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                try {
                    if (evidence != null) {
                        client.subscribe(new String[] {prefix + "/status", prefix + "/diagnosis/#", prefix + "/dropped",
                            prefix + "/evidence/+"}, new int[] {1, 1, 1, 1});
                    } else {
                        client.subscribe(new String[] {prefix + "/status", prefix + "/diagnosis/#", prefix + "/dropped"},
                                new int[] {1, 1, 1});
                    }
                    if (reconnect) {
                        Logger.info("watch: connected to {} again", serverURI);
                    }
                } catch (MqttException e) {
                    Logger.error("watch: cannot subscribe: {}", MqttSink.describe(e));
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
                Logger.warn("watch: connection lost: {}; reconnecting", MqttSink.describe(cause));
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                boolean reached = topic.contains("/evidence/") ? savedCounted(out, topic, message.getPayload())
                        : printCounted(out, topic, new String(message.getPayload(), StandardCharsets.UTF_8));
                if (reached) {
                    done.countDown();
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        try {
            client.connect(options).waitForCompletion(20_000);
        } catch (MqttException e) {
            System.err.println("tapdoctor: watch: cannot connect to " + s.serverUri() + ": " + MqttSink.describe(e));
            client.close(true);
            return 1;
        }
        Thread hook = new Thread(() -> {
            Main.shuttingDown = true;
            done.countDown();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        done.await();
        try {
            client.disconnect(1_000).waitForCompletion(2_000);
            client.close(true);
        } catch (MqttException e) {
            Logger.debug("watch: disconnect: {}", MqttSink.describe(e));
        }
        if (evidence != null) {
            for (WatchEvidence.Saved saved : evidence.flush()) {
                printSaved(out, saved);
            }
        }
        if (!Main.shuttingDown) {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        return 0;
    }

    /** Saves an evidence pcap (now or once its diagnosis names it); true when {@code --count} was reached. */
    private synchronized boolean savedCounted(PrintStream out, String topic, byte[] pcap) {
        try {
            return printedSaved(out, evidence.evidence(topic, pcap));
        } catch (IOException e) {
            Logger.error("watch: cannot save the evidence of {} in {}: {}", topic, saveEvidence, e.toString());
            return false;
        }
    }

    private boolean printedSaved(PrintStream out, java.util.List<WatchEvidence.Saved> saved) {
        boolean reached = false;
        for (WatchEvidence.Saved s : saved) {
            if (!s.duplicate() && (count == 0 || printed < count)) {
                printSaved(out, s);
                reached |= count > 0 && ++printed >= count;
            }
        }
        return reached;
    }

    private void printSaved(PrintStream out, WatchEvidence.Saved s) {
        if (s.duplicate()) {
            return;
        }
        if (format == Format.JSONL) {
            StringWriter w = new StringWriter(160);
            try (JsonGenerator g = JSON.createGenerator(w)) {
                g.writeStartObject();
                g.writeStringField("evidence", s.id());
                g.writeStringField("saved", s.file().toString());
                g.writeNumberField("bytes", s.bytes());
                g.writeEndObject();
            } catch (IOException e) {
                return;
            }
            out.println(w);
        } else {
            out.println("evidence of " + s.id() + " saved: " + s.file() + " (" + s.bytes() + " bytes)");
        }
    }

    private long printed;

    /** Prints unless {@code --count} was reached; true when this message (or a pcap it let be saved) reached it. */
    private synchronized boolean printCounted(PrintStream out, String topic, String payload) {
        if (count > 0 && printed >= count) {
            return false;
        }
        boolean reached = print(out, topic, payload) && count > 0 && ++printed >= count;
        if (evidence != null && topic.contains("/diagnosis/")) {
            Map<String, Object> m = parse(payload);
            if (m != null && m.get("id") instanceof String id && m.get("evidence_file") instanceof String file) {
                try {
                    reached |= printedSaved(out, evidence.diagnosis(id, file));
                } catch (IOException e) {
                    Logger.error("watch: cannot save the evidence of {} in {}: {}", id, saveEvidence, e.toString());
                }
            }
        }
        return reached;
    }

    /** Prints one message; false when it was skipped (a duplicate, or not JSON). */
    synchronized boolean print(PrintStream out, String topic, String payload) {
        Map<String, Object> m = parse(payload);
        if (m == null) {
            Logger.warn("watch: {}: not a JSON object, skipped", topic);
            return false;
        }
        int at = topic.indexOf("/diagnosis/");
        boolean diagnosis = at >= 0;
        if (diagnosis && m.get("id") instanceof String id && seen.put(id, Boolean.TRUE) != null) {
            return false;
        }
        if (format == Format.JSONL) {
            StringWriter w = new StringWriter(payload.length() + topic.length() + 32);
            try (JsonGenerator g = JSON.createGenerator(w)) {
                g.writeStartObject();
                g.writeStringField("topic", topic);
                g.writeFieldName("message");
                g.writeRawValue(payload);
                g.writeEndObject();
            } catch (IOException e) {
                return false;
            }
            out.println(w);
            return true;
        }
        String box = diagnosis ? topic.substring(0, at) : topic.substring(0, topic.lastIndexOf('/'));
        if (diagnosis) {
            String sev = String.valueOf(m.get("severity")).toUpperCase(java.util.Locale.ROOT);
            Object n = m.get("count");
            out.println(m.get("time") + " " + box + " " + String.format("%-8s", sev) + " " + m.get("kind")
                    + (n instanceof Number c && c.longValue() > 1 ? " x" + c : "") + ": " + m.get("summary"));
        } else if (topic.endsWith("/status")) {
            if ("online".equals(m.get("state"))) {
                out.println(m.get("time") + " " + box + " online " + m.get("version") + ", health " + m.get("health")
                        + ", up " + m.get("uptime_s") + " s, links " + m.get("links_text") + ", diagnoses "
                        + m.get("diagnoses") + ", buffered " + m.get("buffered") + ", dropped " + m.get("dropped")
                        + (m.get("last_diagnosis") != null ? ", last " + m.get("last_diagnosis") : ""));
            } else {
                out.println(box + " " + m.get("state"));
            }
        } else {
            out.println(m.get("time") + " " + box + " dropped " + m.get("dropped") + " diagnoses while the broker was away ("
                    + m.get("total") + " in all)");
        }
        return true;
    }

    /** A flat view of a JSON object (nested values as their JSON text is not needed: they are skipped). */
    static Map<String, Object> parse(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (v) {
                    case VALUE_STRING -> m.put(name, p.getText());
                    case VALUE_NUMBER_INT -> m.put(name, p.getLongValue());
                    case VALUE_NUMBER_FLOAT -> m.put(name, p.getDoubleValue());
                    case VALUE_TRUE, VALUE_FALSE -> m.put(name, p.getBooleanValue());
                    case VALUE_NULL -> m.put(name, null);
                    default -> {
                        p.skipChildren();
                        m.put(name, "");
                    }
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
            return m;
        } catch (IOException e) {
            return null;
        }
    }
}
