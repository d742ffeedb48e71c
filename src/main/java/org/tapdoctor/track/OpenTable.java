package org.tapdoctor.track;

import java.util.Arrays;

/**
 * The layout every fixed table shares: each entry is {@code stride} words (longs) side by side in
 * one {@code long[]} allocated once, found by open addressing with linear probing at load factor
 * 0.5 ({@link Tables#slotsFor}), and removed by backward shift, which moves a whole entry with one
 * {@code System.arraycopy} (no tombstones, and no field that a removal could forget to move). A
 * bitmap of the slots in use lets sweeps skip empty slots without reading them.
 *
 * <p>A subclass lays out its key and fields in the words of a slot, says where an entry's home slot
 * is ({@link #home}), finds keys its own way (the hot path stays in the subclass, specialised to
 * its key) and decides what happens when it is full: an open table never grows.
 *
 * <pre>
 *  words: | slot 0: stride words | slot 1: stride words | ... | slot (slots - 1) |
 *  inUse: one bit per slot
 * </pre>
 *
 * <p>Caveats: not thread-safe (one owner thread); a slot index is valid until the next removal,
 * which may move entries of the same probe chain to lower slots.
 */
public abstract class OpenTable {
    /** The entries, {@link #stride} words each. */
    protected final long[] words;
    /** Words per slot. */
    protected final int stride;
    protected final int mask;
    protected final int capacity;
    private final long[] inUse;
    private int size;

    /**
     * @param capacity entries the table holds at most (the slots are twice that, rounded up to a power of two)
     * @param stride words per entry
     */
    protected OpenTable(int capacity, int stride) {
        this(capacity, stride, false);
    }

    /**
     * @param entriesApart the words hold {@code capacity + 1} entries, numbered apart from the slots,
     *     for a subclass that keeps its entries still and moves only a small index of them between
     *     slots ({@link ConnectionTable}); it then addresses its words itself, and must override
     *     {@link #remove} and {@link #clear}, which assume one entry per slot
     */
    protected OpenTable(int capacity, int stride, boolean entriesApart) {
        if (capacity <= 0 || stride <= 0) {
            throw new IllegalArgumentException("capacity and stride must be > 0: " + capacity + ", " + stride);
        }
        int slots = Tables.slotsFor(capacity);
        if ((long) slots * stride > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("table too large: " + capacity + " entries of " + stride + " words");
        }
        this.capacity = capacity;
        this.stride = stride;
        this.mask = slots - 1;
        this.words = new long[(entriesApart ? capacity + 1 : slots) * stride];
        this.inUse = new long[(slots + 63) >>> 6];
    }

    /** The home slot of the entry whose words start at {@code base}: its key's hash, masked. */
    protected abstract int home(int base);

    /** A slot was emptied by {@link #remove} (a subclass that keeps emptiness in its own words clears it here). */
    protected void vacated(int slot) {
    }

    /** An entry moved from one slot to another during {@link #remove} (a subclass's side arrays follow it here). */
    protected void moved(int from, int to) {
    }

    public final int capacity() {
        return capacity;
    }

    public final int size() {
        return size;
    }

    public final int slots() {
        return mask + 1;
    }

    /** The first word of slot {@code slot}. */
    protected final int base(int slot) {
        return slot * stride;
    }

    public final boolean inUse(int slot) {
        return (inUse[slot >>> 6] & (1L << slot)) != 0;
    }

    /**
     * The in-use bits of the 64 slots from {@code from} on: bit k is slot {@code (from + k) & mask},
     * wrapping around the end (a table of fewer than 64 slots repeats its slots). An eviction scan
     * walks the set bits of its window instead of testing every slot of it.
     */
    protected final long inUseFrom(int from) {
        final long[] bits = inUse;
        if (mask < 63) {
            long b = 0;
            for (int k = 63; k >= 0; k--) {
                b = (b << 1) | (inUse((from + k) & mask) ? 1 : 0);
            }
            return b;
        }
        // 64 slots or more: a whole number of bitmap words, as many as a power of two
        int w = from >>> 6, off = from & 63;
        long low = bits[w] >>> off;
        return off == 0 ? low : low | bits[(w + 1) & (bits.length - 1)] << (64 - off);
    }

    /** Takes the first free slot at or after {@code home} and counts it; the table must not be full. */
    protected final int occupy(int home) {
        int i = home;
        while (inUse(i)) {
            i = (i + 1) & mask;
        }
        mark(i, true);
        size++;
        return i;
    }

    /** Sets or clears the in-use bit of a slot without moving anything (for a subclass's own state changes). */
    protected final void mark(int slot, boolean used) {
        if (used) {
            inUse[slot >>> 6] |= 1L << slot;
        } else {
            inUse[slot >>> 6] &= ~(1L << slot);
        }
    }

    /**
     * Removes the entry at {@code slot}: the entries after it in its probe chain whose home slot is
     * not between the hole and themselves move back into the hole, one whole entry at a time.
     */
    public void remove(int slot) {
        if (!inUse(slot)) {
            return;
        }
        mark(slot, false);
        vacated(slot);
        size--;
        int hole = slot;
        for (int j = (slot + 1) & mask; inUse(j); j = (j + 1) & mask) {
            int k = home(base(j));
            boolean stays = hole <= j ? (hole < k && k <= j) : (hole < k || k <= j);
            if (!stays) {
                System.arraycopy(words, base(j), words, base(hole), stride);
                mark(hole, true);
                moved(j, hole);
                mark(j, false);
                vacated(j);
                hole = j;
            }
        }
    }

    /**
     * Empties {@code slot} and counts it out, moving nothing: for a subclass that does its own
     * backward shift ({@link #remove} with its side arrays, no virtual calls per moved entry).
     */
    protected final void release(int slot) {
        mark(slot, false);
        size--;
    }

    /** Empties the table. */
    public void clear() {
        for (int i = nextInUse(0); i < slots(); i = nextInUse(i + 1)) {
            vacated(i);
        }
        Arrays.fill(inUse, 0);
        size = 0;
    }

    /**
     * The first slot at or after {@code from} that is in use, or {@link #slots()} if none: a sweep
     * reads one bit per empty slot instead of its words.
     */
    public final int nextInUse(int from) {
        final long[] bits = inUse;
        final int n = mask + 1;
        if (from >= n) {
            return n;
        }
        int w = from >>> 6;
        long word = bits[w] & (-1L << (from & 63));
        while (word == 0) {
            if (++w == bits.length) {
                return n;
            }
            word = bits[w];
        }
        return Math.min((w << 6) + Long.numberOfTrailingZeros(word), n);
    }

    /**
     * The eviction victim near {@code home}: among the {@link Tables#EVICTION_SCAN} slots from it
     * (further if none of those is in use), the entry with the lowest {@code rank}, the least
     * recently seen among equals. Used by tables that evict as conntrack's early drop does.
     */
    protected final int victimNear(int home, Ranking ranking) {
        int victim = -1;
        int victimRank = Integer.MAX_VALUE;
        long victimSeen = Long.MAX_VALUE;
        int scanned = 0;
        for (int i = home; scanned <= mask; i = (i + 1) & mask, scanned++) {
            if (inUse(i)) {
                int rank = ranking.rank(i);
                long seen = ranking.lastSeen(i);
                if (rank < victimRank || (rank == victimRank && seen < victimSeen)) {
                    victim = i;
                    victimRank = rank;
                    victimSeen = seen;
                }
            }
            if (scanned >= Tables.EVICTION_SCAN && victim >= 0) {
                break;
            }
        }
        return victim;
    }

    /** What {@link #victimNear} asks of an entry; a table implements it itself, so nothing is allocated. */
    protected interface Ranking {
        /** Lower ranks are evicted first; by default all rank the same: the least recently seen goes first. */
        default int rank(int slot) {
            return 0;
        }

        long lastSeen(int slot);
    }
}
