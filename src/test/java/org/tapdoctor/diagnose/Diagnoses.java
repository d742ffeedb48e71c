package org.tapdoctor.diagnose;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Diagnoses built by hand for the tests of what consumes them (JSON, panel, frames, MQTT). */
public final class Diagnoses {
    private Diagnoses() {
    }

    /** A diagnosis of {@code kind} with its typed evidence, its summary written by the kind. */
    @SuppressWarnings("unchecked")
    public static Diagnosis of(Kind kind, Endpoint client, Endpoint server, long count, Instant first, Instant last,
                               Evidence evidence) {
        KindRule<Evidence> rule = (KindRule<Evidence>) kind.rule();
        String key = kind.label() + " " + (server != null ? server : client != null ? "client " + client.ip() : "-");
        return rule.diagnosis(key, client, server, count, first, last, rule.evidenceType().cast(evidence));
    }

    /** A diagnosis with any evidence and summary (for consumers that only write it out). */
    public static Diagnosis raw(Kind kind, Endpoint client, Endpoint server, long count, Instant time, Evidence evidence,
                                String summary) {
        String key = kind.label() + " " + (server != null ? server : "-");
        return new Diagnosis(key, kind, time, client, server, count, time, time, evidence, summary, null, null);
    }

    /** Evidence read back from JSON (an object of the contract): only its fields, for generic checks. */
    public static Evidence parsed(Map<String, Object> fields) {
        Map<String, Object> copy = Collections.unmodifiableMap(new LinkedHashMap<>(fields == null ? Map.of() : fields));
        return new Evidence() {
            @Override
            public void write(EvidenceWriter w) {
                throw new UnsupportedOperationException("parsed evidence is read through asMap()");
            }

            @Override
            public Map<String, Object> asMap() {
                return copy;
            }
        };
    }
}
