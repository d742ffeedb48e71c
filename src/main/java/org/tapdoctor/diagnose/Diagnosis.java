package org.tapdoctor.diagnose;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One problem tapdoctor found, with its evidence: the object of DESIGN.md's JSON contract.
 * Repeated identical problems are one diagnosis with a {@code count} and first/last times.
 * Immutable and thread-safe (the evidence map is an unmodifiable copy in insertion order).
 *
 * @param kind what kind of problem
 * @param time when it was decided (the time of the last evidence)
 * @param client the client side, or null when the kind has none (host_down, table_full)
 * @param server the address the diagnosis is about, or null (table_full)
 * @param count how many attempts or events were aggregated, at least 1
 * @param first time of the first occurrence
 * @param last time of the last occurrence
 * @param evidence what was seen, keys in lower snake case; values are numbers, strings, booleans or lists
 * @param summary one line in plain words
 * @param placement sides and fault direction, live only; null when unknown
 * @param evidenceFile name (no directory) of the pcap holding this diagnosis's frames, or null when none was written
 */
public record Diagnosis(Kind kind, Instant time, Endpoint client, Endpoint server, long count,
                        Instant first, Instant last, Map<String, Object> evidence, String summary,
                        Placement placement, String evidenceFile) {

    /** A diagnosis without placement (replayed captures have no sides) and without an evidence file. */
    public Diagnosis(Kind kind, Instant time, Endpoint client, Endpoint server, long count, Instant first, Instant last,
                     Map<String, Object> evidence, String summary) {
        this(kind, time, client, server, count, first, last, evidence, summary, null, null);
    }

    /** A diagnosis without an evidence file. */
    public Diagnosis(Kind kind, Instant time, Endpoint client, Endpoint server, long count, Instant first, Instant last,
                     Map<String, Object> evidence, String summary, Placement placement) {
        this(kind, time, client, server, count, first, last, evidence, summary, placement, null);
    }

    /** The same diagnosis placed on the box's sides. */
    public Diagnosis withPlacement(Placement p) {
        return new Diagnosis(kind, time, client, server, count, first, last, evidence, summary, p, evidenceFile);
    }

    /** The same diagnosis with the name of the pcap that holds its frames. */
    public Diagnosis withEvidenceFile(String fileName) {
        return new Diagnosis(kind, time, client, server, count, first, last, evidence, summary, placement, fileName);
    }

    public Diagnosis {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        Objects.requireNonNull(summary, "summary");
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + count);
        }
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(evidence, "evidence")));
    }

    public Severity severity() {
        return kind.severity();
    }
}
