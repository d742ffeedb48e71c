package org.tapdoctor.diagnose;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What was seen, as a typed value: each kind's evidence is a record that writes its own fields,
 * in order, through an {@link EvidenceWriter} (the JSON of the contract, the text form, a map).
 * The field names are declared once, in the record's {@link #write} (or in the shared part that
 * writes them: {@link Clients}, {@link RstOrigin}, {@link IcmpReport}); nothing downstream reads
 * evidence by string key, except {@link #get}, which exists for generic readers (tests, goldens).
 */
public interface Evidence {
    /** Writes the fields in their order; a field absent from this evidence is not written. */
    void write(EvidenceWriter w);

    /** The fields as a map in writing order: numbers as {@code Integer} or {@code Long} as written, lists, maps. */
    default Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        write(new EvidenceWriter.ToMap(m));
        return Collections.unmodifiableMap(m);
    }

    /** One field by its JSON name, or null: for generic readers (tests, golden files), not for rules. */
    default Object get(String name) {
        return asMap().get(name);
    }

    /** SYNs counted in this evidence (what folded lines sum), 0 when it counts none. */
    default long synCount() {
        return 0;
    }

    /** What a line folding many ports of one host keeps of its earliest diagnosis (section 2, "Folding"). */
    default void writeKeptByHostFold(EvidenceWriter w) {
    }

    /** What a line folding one client's failures toward many servers keeps of its earliest diagnosis. */
    default void writeKeptByClientFold(EvidenceWriter w) {
    }

    /** Whether the evidence writes no field at all. */
    default boolean isEmpty() {
        return asMap().isEmpty();
    }

    /** Evidence with no field. */
    Evidence NONE = w -> { };
}
