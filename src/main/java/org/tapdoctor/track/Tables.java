package org.tapdoctor.track;

/**
 * Shared arithmetic of the open-addressing tables: power-of-two sizing at a fixed maximum load,
 * and hashing of primitive keys. Tables hold at most {@code capacity} entries in
 * {@code slotsFor(capacity)} slots, so probe chains stay short and a full table is detected
 * before it degrades.
 */
public final class Tables {
    /** Slots per entry of capacity: load factor 0.5. */
    private static final int SLOTS_PER_ENTRY = 2;
    /** How far an eviction looks from the key's home slot for a victim (as conntrack's early drop). */
    public static final int EVICTION_SCAN = 32;

    private Tables() {
    }

    public static int slotsFor(int capacity) {
        long wanted = (long) capacity * SLOTS_PER_ENTRY;
        if (wanted > (1 << 30)) {
            throw new IllegalArgumentException("table capacity too large: " + capacity);
        }
        return Integer.highestOneBit((int) Math.max(wanted - 1, 1)) << 1;
    }

    private static final long P1 = 0x9E3779B185EBCA87L, P2 = 0xC2B2AE3D27D4EB4FL, P3 = 0x165667B19E3779F9L,
            P4 = 0x85EBCA77C2B2AE63L, P5 = 0x27D4EB2F165667C5L;

    /** A 64-bit finaliser (from SplitMix64) folding key words into a well-spread hash. */
    public static long mix(long h) {
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }

    /**
     * Hashes key words: each word times its own odd constant (the xxHash64 primes; multiplying by
     * an odd number loses no bit), summed, then one {@link #mix}. The products are independent, so
     * this costs about one finaliser of latency, where mixing the words in one after the other cost
     * one finaliser per word; the finaliser spreads every bit of the sum over the slot index.
     */
    public static int hash(long a, long b, long c, long d, long e, int mask) {
        return hash32(a, b, c, d, e) & mask;
    }

    /** {@link #hash(long, long, long, long, long, int)} before the mask: a table that keeps it per entry compares it first. */
    public static int hash32(long a, long b, long c, long d, long e) {
        long h = a * P1 + b * P2 + c * P3 + d * P4 + e * P5;
        return (int) mix(h);
    }

    public static int hash(long a, long b, long c, int mask) {
        long h = a * P1 + b * P2 + c * P3;
        return (int) mix(h) & mask;
    }
}
