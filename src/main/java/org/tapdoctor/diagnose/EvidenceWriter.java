package org.tapdoctor.diagnose;

import java.util.List;
import java.util.Map;

/**
 * Where an {@link Evidence} writes its fields, one call per field, in order. Integers stay
 * {@code int} or {@code long} as the record declares them (the JSON is the same either way; the
 * map form keeps the type, as golden files and tests compare it). Implementations: JSON
 * ({@code publish.DiagnosisJson}), a map ({@link ToMap}).
 */
public interface EvidenceWriter {
    void put(String name, long value);

    void put(String name, int value);

    void put(String name, String value);

    void put(String name, boolean value);

    void putInts(String name, List<Integer> values);

    void putStrings(String name, List<String> values);

    /** A small object of counters, e.g. {@code {"no_response":2}}. */
    void putCounts(String name, Map<String, ? extends Number> counts);

    /** Writes into a map, keeping each value's declared type. */
    final class ToMap implements EvidenceWriter {
        private final Map<String, Object> map;

        public ToMap(Map<String, Object> map) {
            this.map = map;
        }

        @Override public void put(String name, long value) { map.put(name, value); }
        @Override public void put(String name, int value) { map.put(name, value); }
        @Override public void put(String name, String value) { map.put(name, value); }
        @Override public void put(String name, boolean value) { map.put(name, value); }
        @Override public void putInts(String name, List<Integer> values) { map.put(name, List.copyOf(values)); }
        @Override public void putStrings(String name, List<String> values) { map.put(name, List.copyOf(values)); }
        @Override public void putCounts(String name, Map<String, ? extends Number> counts) {
            map.put(name, java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counts)));
        }
    }
}
