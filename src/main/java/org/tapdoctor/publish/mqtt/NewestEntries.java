package org.tapdoctor.publish.mqtt;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that keeps only its newest {@code capacity} entries (by insertion): the bound on what the
 * sink and {@code watch} remember of ids they have seen. Not thread-safe, as LinkedHashMap.
 */
public final class NewestEntries<K, V> extends LinkedHashMap<K, V> {
    private static final long serialVersionUID = 1L;
    private final int capacity;

    public NewestEntries(int capacity) {
        super(Math.min(capacity, 1024), 0.75f, false);
        this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
    }
}
