package org.tapdoctor.publish;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.EvidenceWriter;
import org.tapdoctor.diagnose.Placement;

/**
 * Writes a {@link Diagnosis} as the JSON object of DESIGN.md's contract, with Jackson's streaming
 * generator (no reflection, no string concatenation). Field names are lower snake case; times are
 * UTC ISO-8601 with milliseconds; {@code client}/{@code server} are omitted when the kind has
 * none, {@code port} when the diagnosis is about a host, and {@code evidence_file} (the name of the
 * pcap holding the diagnosis's frames, written after {@code summary}) when there is none. Thread-safe.
 */
public final class DiagnosisJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private DiagnosisJson() {
    }

    public static String toJson(Diagnosis d) {
        StringWriter w = new StringWriter(512);
        write(d, w);
        return w.toString();
    }

    /**
     * The same object with an {@code "id"} first: MQTT payloads carry one so that consumers can
     * drop the duplicates at-least-once delivery may bring.
     */
    public static String toJson(Diagnosis d, String id) {
        StringWriter w = new StringWriter(560);
        write(d, id, w);
        return w.toString();
    }

    public static void write(Diagnosis d, Writer out) {
        write(d, null, out);
    }

    private static void write(Diagnosis d, String id, Writer out) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            if (id != null) {
                g.writeStringField("id", id);
            }
            g.writeStringField("kind", d.kind().label());
            g.writeStringField("severity", d.severity().label());
            g.writeStringField("time", time(d.time()));
            endpoint(g, "client", d.client());
            endpoint(g, "server", d.server());
            placement(g, d.placement());
            g.writeNumberField("count", d.count());
            g.writeStringField("first", time(d.first()));
            g.writeStringField("last", time(d.last()));
            g.writeObjectFieldStart("evidence");
            d.evidence().write(new Fields(g));
            g.writeEndObject();
            g.writeStringField("summary", d.summary());
            if (d.evidenceFile() != null) {
                g.writeStringField("evidence_file", d.evidenceFile());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String time(Instant t) {
        return TIME.format(t);
    }

    private static void endpoint(JsonGenerator g, String name, Endpoint e) throws IOException {
        if (e == null) {
            return;
        }
        g.writeObjectFieldStart(name);
        if (e.mac() != null) {
            g.writeStringField("mac", e.mac());
        }
        if (e.ip() != null) {
            g.writeStringField("ip", e.ip());
        }
        if (e.hasPort()) {
            g.writeNumberField("port", e.port());
        }
        g.writeEndObject();
    }

    private static void placement(JsonGenerator g, Placement p) throws IOException {
        if (p == null) {
            return;
        }
        if (p.clientSide() != null || p.serverSide() != null) {
            g.writeObjectFieldStart("side");
            if (p.clientSide() != null) {
                g.writeStringField("client", p.clientSide());
            }
            if (p.serverSide() != null) {
                g.writeStringField("server", p.serverSide());
            }
            g.writeEndObject();
        }
        if (p.fault() != null) {
            g.writeStringField("fault", p.fault().label());
        }
    }

    /** The evidence's fields as JSON members, straight into the generator. */
    private static final class Fields implements EvidenceWriter {
        private final JsonGenerator g;

        Fields(JsonGenerator g) {
            this.g = g;
        }

        @Override
        public void put(String name, long value) {
            io(() -> g.writeNumberField(name, value));
        }

        @Override
        public void put(String name, int value) {
            io(() -> g.writeNumberField(name, value));
        }

        @Override
        public void put(String name, String value) {
            io(() -> g.writeStringField(name, value));
        }

        @Override
        public void put(String name, boolean value) {
            io(() -> g.writeBooleanField(name, value));
        }

        @Override
        public void putInts(String name, List<Integer> values) {
            io(() -> {
                g.writeArrayFieldStart(name);
                for (int v : values) {
                    g.writeNumber(v);
                }
                g.writeEndArray();
            });
        }

        @Override
        public void putStrings(String name, List<String> values) {
            io(() -> {
                g.writeArrayFieldStart(name);
                for (String v : values) {
                    g.writeString(v);
                }
                g.writeEndArray();
            });
        }

        @Override
        public void putCounts(String name, Map<String, ? extends Number> counts) {
            io(() -> {
                g.writeObjectFieldStart(name);
                for (Map.Entry<String, ? extends Number> e : counts.entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue().longValue());
                }
                g.writeEndObject();
            });
        }

        private interface Write {
            void run() throws IOException;
        }

        private static void io(Write w) {
            try {
                w.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
