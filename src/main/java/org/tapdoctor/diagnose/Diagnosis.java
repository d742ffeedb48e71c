package org.tapdoctor.diagnose;

import java.time.Instant;
import java.util.Objects;

/**
 * One problem tapdoctor found, with its evidence: the object of DESIGN.md's JSON contract.
 * Repeated identical problems are one diagnosis with a {@code count} and first/last times; as a
 * problem recurs, newer diagnoses with the same {@link #key} replace the older. Immutable and
 * thread-safe.
 *
 * @param key what makes two diagnoses the same problem (kind, server and the kind's own key); not in the JSON
 * @param kind what kind of problem
 * @param time when it was decided (the time of the last evidence)
 * @param client the client side, or null when the kind has none (host_down, table_full)
 * @param server the address the diagnosis is about, or null (table_full)
 * @param count how many attempts or events were aggregated, at least 1
 * @param first time of the first occurrence
 * @param last time of the last occurrence
 * @param evidence what was seen: the kind's typed evidence, or a fold of several
 * @param summary one line in plain words
 * @param placement sides and fault direction, live only; null when unknown
 * @param evidenceFile name (no directory) of the pcap holding this diagnosis's frames, or null when none was written
 */
public record Diagnosis(String key, Kind kind, Instant time, Endpoint client, Endpoint server, long count,
                        Instant first, Instant last, Evidence evidence, String summary,
                        Placement placement, String evidenceFile) {

    public Diagnosis {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(summary, "summary");
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + count);
        }
    }

    /** The same diagnosis placed on the box's sides. */
    public Diagnosis withPlacement(Placement p) {
        return new Diagnosis(key, kind, time, client, server, count, first, last, evidence, summary, p, evidenceFile);
    }

    /** The same diagnosis with the name of the pcap that holds its frames. */
    public Diagnosis withEvidenceFile(String fileName) {
        return new Diagnosis(key, kind, time, client, server, count, first, last, evidence, summary, placement, fileName);
    }

    public Severity severity() {
        return kind.severity();
    }

    /** Same problem, same figures: what a repeated publication would say again (time, placement and file aside). */
    public boolean sameAs(Diagnosis o) {
        return o != null && key.equals(o.key) && count == o.count && first.equals(o.first) && last.equals(o.last)
                && Objects.equals(client, o.client) && Objects.equals(server, o.server) && summary.equals(o.summary)
                && evidence.asMap().equals(o.evidence.asMap());
    }
}
