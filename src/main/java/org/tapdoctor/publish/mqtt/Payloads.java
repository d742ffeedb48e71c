package org.tapdoctor.publish.mqtt;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import org.tapdoctor.publish.DiagnosisJson;
import org.tapdoctor.publish.Stats;

/**
 * The JSON of the MQTT messages other than diagnoses: status, the will, stats, the drop report
 * and Home Assistant discovery. Field names are lower snake case, times UTC ISO-8601, as in the
 * diagnosis JSON. Stateless and thread-safe.
 */
public final class Payloads {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** The last will, and what a clean shutdown publishes: retained on {@code <prefix>/status}. */
    public static final String OFFLINE = "{\"state\":\"offline\"}";

    private Payloads() {
    }

    /**
     * What {@code <prefix>/status} says while the box is up.
     *
     * @param health {@code ok}, {@code warning} or {@code failure}: the worst severity published in the last 5 minutes
     * @param links NIC name to its state ({@code up 1G full}, {@code down}, ...), from the last stats
     * @param failingPerMinute failed handshakes per minute over the last stats interval
     */
    public record Status(String device, String version, Instant started, Instant time, String health,
                         Instant lastDiagnosis, String lastProblem, Map<String, String> links, long kernelDrops,
                         double failingPerMinute, long diagnoses, long buffered, long dropped) {
    }

    public static String status(Status s) {
        return json(g -> {
            g.writeStringField("state", "online");
            g.writeStringField("device", s.device);
            g.writeStringField("version", s.version);
            g.writeStringField("started", DiagnosisJson.time(s.started));
            g.writeStringField("time", DiagnosisJson.time(s.time));
            g.writeNumberField("uptime_s", Math.max(0, s.time.getEpochSecond() - s.started.getEpochSecond()));
            g.writeStringField("health", s.health);
            g.writeFieldName("last_diagnosis");
            if (s.lastDiagnosis == null) {
                g.writeNull();
            } else {
                g.writeString(DiagnosisJson.time(s.lastDiagnosis));
            }
            g.writeStringField("last_problem", s.lastProblem == null ? "" : s.lastProblem);
            g.writeObjectFieldStart("links");
            for (Map.Entry<String, String> l : s.links.entrySet()) {
                g.writeStringField(l.getKey(), l.getValue());
            }
            g.writeEndObject();
            List<String> text = new ArrayList<>();
            s.links.forEach((k, v) -> text.add(k + " " + v));
            g.writeStringField("links_text", String.join(", ", text));
            g.writeNumberField("kernel_drops", s.kernelDrops);
            g.writeNumberField("failing_per_minute", Math.round(s.failingPerMinute * 10) / 10.0);
            g.writeNumberField("diagnoses", s.diagnoses);
            g.writeNumberField("buffered", s.buffered);
            g.writeNumberField("dropped", s.dropped);
        });
    }

    public static String stats(Stats s) {
        return json(g -> {
            g.writeStringField("time", DiagnosisJson.time(s.time()));
            g.writeArrayFieldStart("nics");
            for (Stats.Nic n : s.nics()) {
                g.writeStartObject();
                g.writeStringField("name", n.name());
                g.writeStringField("link", n.link());
                g.writeNumberField("frames", n.frames());
                g.writeNumberField("kernel_drops", n.kernelDrops());
                g.writeNumberField("interface_drops", n.interfaceDrops());
                g.writeNumberField("ring_drops", n.ringDrops());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("handshakes_ok", s.handshakesOk());
            g.writeNumberField("handshakes_failed", s.handshakesFailed());
            g.writeNumberField("connections", s.connections());
            g.writeNumberField("connection_capacity", s.connectionCapacity());
            g.writeNumberField("evictions", s.evictions());
            g.writeNumberField("decode_errors", s.decodeErrors());
            g.writeNumberField("diagnoses", s.diagnoses());
        });
    }

    /** {@code <prefix>/dropped}: diagnoses the bounded outbox had to drop while the broker was away. */
    public static String dropped(long sinceLastReport, long total, Instant time) {
        return json(g -> {
            g.writeNumberField("dropped", sinceLastReport);
            g.writeNumberField("total", total);
            g.writeStringField("time", DiagnosisJson.time(time));
        });
    }

    /** One Home Assistant discovery message: its topic and retained config payload. */
    public record Discovery(String topic, String payload) {
    }

    /**
     * Home Assistant MQTT discovery: one sensor per fact of the status message, all grouped under
     * one device and available while the status says {@code online}. Topics
     * {@code homeassistant/sensor/<node>/<object>/config}.
     */
    public static List<Discovery> homeAssistant(String deviceId, String prefix, String version) {
        String node = "tapdoctor_" + deviceId.replaceAll("[^A-Za-z0-9_-]", "_");
        String stateTopic = prefix + "/status";
        record Sensor(String object, String name, String template, String unit, String stateClass, String icon) {
        }
        List<Sensor> sensors = List.of(
                new Sensor("health", "State", "{{ value_json.health }}", null, null, "mdi:lan-check"),
                new Sensor("failing_per_minute", "Failing handshakes per minute", "{{ value_json.failing_per_minute }}",
                        "/min", "measurement", "mdi:lan-disconnect"),
                new Sensor("last_problem", "Last problem", "{{ value_json.last_problem }}", null, null, "mdi:alert"),
                new Sensor("kernel_drops", "Kernel drops", "{{ value_json.kernel_drops }}", "packets", "total_increasing",
                        "mdi:package-down"),
                new Sensor("links", "Links", "{{ value_json.links_text }}", null, null, "mdi:ethernet"));
        List<Discovery> out = new ArrayList<>();
        for (Sensor s : sensors) {
            String payload = json(g -> {
                g.writeStringField("name", s.name);
                g.writeStringField("unique_id", node + "_" + s.object);
                g.writeStringField("object_id", node + "_" + s.object);
                g.writeStringField("state_topic", stateTopic);
                g.writeStringField("value_template", s.template);
                if (s.unit != null) {
                    g.writeStringField("unit_of_measurement", s.unit);
                }
                if (s.stateClass != null) {
                    g.writeStringField("state_class", s.stateClass);
                }
                g.writeStringField("icon", s.icon);
                g.writeArrayFieldStart("availability");
                g.writeStartObject();
                g.writeStringField("topic", stateTopic);
                g.writeStringField("value_template", "{{ value_json.state }}");
                g.writeStringField("payload_available", "online");
                g.writeStringField("payload_not_available", "offline");
                g.writeEndObject();
                g.writeEndArray();
                g.writeObjectFieldStart("device");
                g.writeArrayFieldStart("identifiers");
                g.writeString(node);
                g.writeEndArray();
                g.writeStringField("name", "tapdoctor " + deviceId);
                g.writeStringField("manufacturer", "tapdoctor");
                g.writeStringField("model", "in-line TCP connection doctor");
                g.writeStringField("sw_version", version);
                g.writeEndObject();
            });
            out.add(new Discovery("homeassistant/sensor/" + node + "/" + s.object + "/config", payload));
        }
        return out;
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String json(Body body) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    static Map<String, String> links(Stats s) {
        Map<String, String> m = new LinkedHashMap<>();
        if (s != null) {
            s.nics().forEach(n -> m.put(n.name(), n.link()));
        }
        return m;
    }
}
