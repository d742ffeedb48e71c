package org.tapdoctor.diagnose;

import org.tapdoctor.track.OpenTable;
import org.tapdoctor.track.Tables;

/**
 * A fixed map from a key of four words to an int (the stable index of an entry kept elsewhere):
 * an {@link OpenTable} of five words per slot, so that entries that other structures link to by
 * index (lists of a group, the least recently updated order) never move, while the index itself
 * removes by backward shift. Allocation-free; not thread-safe.
 */
final class KeyIndex extends OpenTable {
    private static final int K0 = 0, K1 = 1, K2 = 2, K3 = 3, VALUE = 4, STRIDE = 5;

    KeyIndex(int capacity) {
        super(capacity, STRIDE);
    }

    @Override
    protected int home(int b) {
        return homeOf(words[b + K0], words[b + K1], words[b + K2], words[b + K3]);
    }

    private int homeOf(long k0, long k1, long k2, long k3) {
        return Tables.hash(k0, k1, k2, k3, 0, mask);
    }

    private int slotOf(long k0, long k1, long k2, long k3) {
        final long[] w = words;
        for (int i = homeOf(k0, k1, k2, k3); inUse(i); i = (i + 1) & mask) {
            int b = base(i);
            if (w[b + K1] == k1 && w[b + K2] == k2 && w[b + K0] == k0 && w[b + K3] == k3) {
                return i;
            }
        }
        return -1;
    }

    /** The value of a key, or -1. */
    int get(long k0, long k1, long k2, long k3) {
        int i = slotOf(k0, k1, k2, k3);
        return i < 0 ? -1 : (int) words[base(i) + VALUE];
    }

    /** Adds a key that is absent; the caller keeps the index below its capacity. */
    void put(long k0, long k1, long k2, long k3, int value) {
        int i = occupy(homeOf(k0, k1, k2, k3));
        int b = base(i);
        words[b + K0] = k0;
        words[b + K1] = k1;
        words[b + K2] = k2;
        words[b + K3] = k3;
        words[b + VALUE] = value;
    }

    /** Removes a key (nothing when absent). */
    void delete(long k0, long k1, long k2, long k3) {
        int i = slotOf(k0, k1, k2, k3);
        if (i >= 0) {
            remove(i);
        }
    }
}
