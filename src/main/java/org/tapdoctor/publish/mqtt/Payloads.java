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
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import org.tapdoctor.publish.DiagnosisJson;
import org.tapdoctor.publish.SiteJson;
import org.tapdoctor.site.SiteRecord;
import org.tapdoctor.publish.Stats;

/**
 * The JSON of the MQTT messages other than diagnoses: status, the will, stats, the drop report,
 * the Home Assistant event and the command responses (discovery: {@link Discovery}). Field names are lower snake case, times UTC ISO-8601, as in the
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
     * @param problem a critical diagnosis is current (health {@code failure}): Home Assistant's problem sensor
     * @param tableFill the connection table's fill in percent, from the last stats (0 before any)
     * @param cpuTemperature the SoC's temperature in degrees Celsius; NaN: not known here (the field is left out)
     */
    public record Status(String device, String version, Instant started, Instant time, String health,
                         Instant lastDiagnosis, String lastProblem, Map<String, String> links, long kernelDrops,
                         double failingPerMinute, long diagnoses, long buffered, long dropped, boolean problem,
                         double tableFill, double cpuTemperature, SiteRecord.Checks checks) {
        /** A status without the site's checklist (no site record yet). */
        public Status(String device, String version, Instant started, Instant time, String health,
                      Instant lastDiagnosis, String lastProblem, Map<String, String> links, long kernelDrops,
                      double failingPerMinute, long diagnoses, long buffered, long dropped, boolean problem,
                      double tableFill, double cpuTemperature) {
            this(device, version, started, time, health, lastDiagnosis, lastProblem, links, kernelDrops, failingPerMinute,
                    diagnoses, buffered, dropped, problem, tableFill, cpuTemperature, null);
        }
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
            g.writeBooleanField("problem", s.problem);
            g.writeNumberField("table_fill", Math.round(s.tableFill * 10) / 10.0);
            if (!Double.isNaN(s.cpuTemperature)) {
                g.writeNumberField("cpu_temperature", s.cpuTemperature);
            }
            if (s.checks != null) { // the site's checklist, LNK SW DHCP GW DNS: ok, ?, fail
                SiteJson.writeChecks(g, "site_checks", s.checks);
            }
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

    /**
     * {@code <prefix>/event}, what fires Home Assistant's diagnosis event entity: the diagnosis's
     * kind as {@code event_type}, then (its attributes) {@code id}, {@code severity}, {@code time},
     * {@code summary}, {@code server} and {@code client} as {@code ip:port} text ({@code [v6]:port}),
     * {@code count} and {@code evidence_topic} when the diagnosis has them. Read from the diagnosis's
     * JSON (the contract's top-level fields only), so journaled diagnoses give the same event.
     */
    public static String event(String diagnosisJson) {
        Map<String, Object> d = topLevel(diagnosisJson);
        return json(g -> {
            g.writeStringField("event_type", String.valueOf(d.get("kind")));
            for (String f : List.of("id", "severity", "time", "summary", "server", "client", "count", "evidence_topic")) {
                Object v = d.get(f);
                if (v instanceof Long n) {
                    g.writeNumberField(f, n);
                } else if (v != null) {
                    g.writeStringField(f, v.toString());
                }
            }
        });
    }

    /**
     * The top-level fields of a diagnosis's JSON: strings, whole numbers, and the endpoints
     * ({@code client}, {@code server}) as {@code ip:port} text; other nested values are skipped.
     */
    static Map<String, Object> topLevel(String json) {
        Map<String, Object> m = new LinkedHashMap<>();
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return m;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_STRING) {
                    m.put(name, p.getText());
                } else if (v == JsonToken.VALUE_NUMBER_INT) {
                    m.put(name, p.getLongValue());
                } else if (v == JsonToken.START_OBJECT && (name.equals("client") || name.equals("server"))) {
                    m.put(name, endpoint(p));
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            // a torn payload gives what was read
        }
        return m;
    }

    private static String endpoint(JsonParser p) throws IOException {
        String ip = null;
        String mac = null;
        Long port = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            if (f.equals("ip") && v == JsonToken.VALUE_STRING) {
                ip = p.getText();
            } else if (f.equals("mac") && v == JsonToken.VALUE_STRING) {
                mac = p.getText();
            } else if (f.equals("port") && v == JsonToken.VALUE_NUMBER_INT) {
                port = p.getLongValue();
            } else {
                p.skipChildren();
            }
        }
        if (ip == null) {
            return mac; // a device known by its MAC alone
        }
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        return port == null ? ip : host + ":" + port;
    }

    /**
     * {@code <prefix>/cmd/response}: the request's {@code correlation_id}, the command, whether it
     * was done, and what it did or why not; {@code fields} adds command-specific values (strings or numbers).
     */
    public static String response(String correlationId, String command, boolean ok, String message,
                                  Map<String, Object> fields, Instant time) {
        return json(g -> {
            g.writeStringField("correlation_id", correlationId);
            g.writeStringField("command", command);
            g.writeBooleanField("ok", ok);
            g.writeStringField(ok ? "result" : "error", message);
            for (Map.Entry<String, Object> f : fields.entrySet()) {
                if (f.getValue() instanceof Number n) {
                    g.writeNumberField(f.getKey(), n.longValue());
                } else {
                    g.writeStringField(f.getKey(), String.valueOf(f.getValue()));
                }
            }
            g.writeStringField("time", DiagnosisJson.time(time));
        });
    }

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** One JSON object written by {@code body}. */
    static String json(Body body) {
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
