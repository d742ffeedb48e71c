package org.tapdoctor.track;

/**
 * TCP attempts and connections, keyed by their 4-tuple, in one {@code long[]} allocated once, a
 * fixed stride of {@value #STRIDE} words per entry, found through slots: open addressing with linear
 * probing and removal by backward shift (no tombstones), in the manner of Agrona's maps, but it
 * never grows. A slot holds the number of its entry, not the entry: the backward shift moves that
 * number and the side arrays below (25 bytes), the entries' words stay where they are, and an
 * evicted entry's words are the next insert's (a free list). Under a flood every new SYN evicts,
 * and moving whole entries had the shift read and write the cache lines of entries nothing else
 * touched; it also halves the words, one entry per connection instead of one per slot. When
 * {@link #capacity()} entries are in use, an insert first evicts the least valuable entry near the
 * key's home slot (see {@link #insert}).
 *
 * <p>The key is stored in a canonical orientation (endpoint A sorts before endpoint B), so a
 * segment in either direction finds its entry with one probe sequence; {@link #clientIsA(int)}
 * records which endpoint is the client. All other fields are plain per-slot values that the
 * {@link TcpTracker} reads and writes by slot index; a slot index is valid until the next insert
 * or remove.
 *
 * <h2>Layout of an entry</h2>
 * The entry at slot {@code i} is the words {@code [e * STRIDE, (e + 1) * STRIDE)} with {@code e} its
 * number ({@link #slotBase}); an empty slot reads entry {@code capacity}, which no slot holds and
 * nothing writes ({@link #writeBase}), so its state is {@link #EMPTY}. What a probe reads comes first
 * (the key and the state, 40 bytes, so usually one cache line), then the fields every segment
 * touches, then those of the handshake:
 * <pre>
 *  word  field
 *   0    aHi           endpoint A address, high 64 bits (IPv4: mapped, see IpAddresses)
 *   1    aLo           endpoint A address, low 64 bits
 *   2    bHi           endpoint B address, high 64 bits
 *   3    bLo           endpoint B address, low 64 bits
 *   4    META          63       56 55     48 47       40 39     32 31                    0
 *                     +----------+---------+-----------+---------+-----------------------+
 *                     |clientSide|  flags  |  outcome  |  state  | aPort << 16 | bPort   |
 *                     +----------+---------+-----------+---------+-----------------------+
 *                      signed    F_* bits   0 = none,   EMPTY is
 *                      byte                 else        0
 *                                           ordinal + 1
 *   5    lastSyn
 *   6    ISNS          clientIsn in bits 0-31, serverIsn in bits 32-63
 *   7    lastSynAck
 *   8    firstSyn
 *   9    firstSynAck
 *  10    established
 *  11    zeroSince (client)
 *  12    zeroSince (server)
 *  13    COUNTS        synCount 0-15, synAckCount 16-31, zeroSegments client 32-47, server 48-63
 *  14    OPTS_TTLS     clientOptions 0-22, serverOptions 23-45, serverTtl + 1 46-54, lastTtl + 1 55-63
 *  15-17 PMTU (client)  the path-MTU watch of the data the client sends ({@link PathMtu}): three words
 *  18-20 PMTU (server)  the same for the data the server sends
 * </pre>
 * Beside the words, five arrays of one element per slot hold the entry's number and what a probe,
 * an eviction and a move read of every entry they pass, so that they pass an entry without touching
 * its cache lines (an entry is 168 bytes: under a flood every new SYN misses, and an eviction
 * weighs 33 entries):
 * <pre>
 *  entryOf  int    the number of the slot's entry in the words
 *  hashes   int    the key's 32-bit hash ({@link Tables#hash32}); its home slot is hash &amp; mask
 *  seen     long   lastSeen
 *  dues     long   a time the entry is not due before (see {@link #dueBound}), as of its last write
 *  ranks    byte   the eviction rank, derived from the state and {@link #F_REAL_CLIENT} ({@link #rankOf})
 * </pre>
 * They move with their entry ({@link #moved}).
 * Times are whole words, so {@link #NONE} round-trips. The four counters are unsigned 16-bit and
 * saturate at 65,535 (a value set above it reads back as 65,535; below 0, as 0). TTLs are stored
 * plus one in 9 bits: -1 (none) and 0..255 round-trip (values outside -1..510 are clamped). The
 * options are the 23-bit summaries {@link TcpTracker} builds (bits above 22 must be zero).
 * {@link #clientSide(int)} is kept as a signed byte, as before. A removed entry's words are left as
 * they were until an insert takes them and writes every word. A bitmap of the slots in use
 * (one bit per slot, 16 KB at the default capacity) lets a sweep ({@link #nextInUse}) skip empty
 * slots without reading their cache lines; it is kept equal to "state is not EMPTY".
 *
 * <p>Caveats: not thread-safe (owned by the capture thread); slot indexes move on removal.
 */
public final class ConnectionTable extends OpenTable {
    /** Words (longs) per entry. */
    private static final int STRIDE = 21;
    /** Heap bytes per slot: the five side arrays (entry number, hash, lastSeen, due, rank), exactly. */
    private static final int BYTES_PER_SLOT = 4 + 4 + 8 + 8 + 1;
    /** Heap bytes per entry: its words and its place on the free list. */
    private static final int BYTES_PER_ENTRY = STRIDE * 8 + 4;
    /** Marker for "no time recorded". */
    public static final long NONE = Long.MIN_VALUE;

    /** {@code Outcome.values()} copies the array on every call: read the outcomes from one copy. */
    private static final Outcome[] OUTCOMES = Outcome.values();

    public static final byte EMPTY = 0, SYN_SENT = 1, SYN_ACK_SEEN = 2, ESTABLISHED = 3, CONCLUDED = 4, MIDSTREAM = 5;

    // flag bits
    public static final int F_CLIENT_IS_A = 1, F_CLIENT_DATA = 2, F_SERVER_DATA = 4, F_CLIENT_FIN = 8,
            F_SERVER_FIN = 16, F_SERVER_TTL_RECORDED = 32,
            /** The attempt is a real host's: its client completed handshakes before, or it retransmitted its SYN. */
            F_REAL_CLIENT = 64,
            /** The client retransmitted its SYN before the first SYN/ACK came (slow_connect's condition). */
            F_SYN_RETRIED = 128;

    // word offsets within a slot
    private static final int A_HI = 0, A_LO = 1, B_HI = 2, B_LO = 3, META = 4, LAST_SYN = 5,
            ISNS = 6, LAST_SYN_ACK = 7, FIRST_SYN = 8, FIRST_SYN_ACK = 9, ESTABLISHED_AT = 10,
            ZERO_SINCE_CLIENT = 11, ZERO_SINCE_SERVER = 12, COUNTS = 13, OPTS_TTLS = 14;
    /** The path-MTU watch's words: {@link PathMtu#WORDS} for each sending side, the client's first. */
    private static final int PMTU_CLIENT = 15, PMTU_SERVER = PMTU_CLIENT + PathMtu.WORDS;

    // META: ports in bits 0-31, then one byte each
    private static final int STATE_SHIFT = 32, OUTCOME_SHIFT = 40, FLAGS_SHIFT = 48, SIDE_SHIFT = 56;
    private static final long BYTE = 0xFFL;
    private static final long STATE_BITS = BYTE << STATE_SHIFT;
    private static final long PORTS_AND_STATE = 0xFFFF_FFFFL | STATE_BITS;
    // COUNTS: four unsigned 16-bit counters
    private static final int SYN_COUNT_SHIFT = 0, SYN_ACK_COUNT_SHIFT = 16, ZERO_CLIENT_SHIFT = 32,
            ZERO_SERVER_SHIFT = 48;
    private static final int COUNT_MAX = 0xFFFF;
    // OPTS_TTLS: two 23-bit option summaries, two 9-bit TTLs stored plus one
    private static final int OPTIONS_BITS = 23, CLIENT_OPTIONS_SHIFT = 0, SERVER_OPTIONS_SHIFT = 23;
    private static final long OPTIONS_MASK = (1L << OPTIONS_BITS) - 1;
    private static final int SERVER_TTL_SHIFT = 46, LAST_TTL_SHIFT = 55;
    private static final long TTL_MASK = 0x1FF;
    private static final int TTL_MAX = (int) TTL_MASK - 1;
    /** OPTS_TTLS of a reset slot: no options, both TTLs -1 (stored as 0). */
    private static final long OPTS_TTLS_RESET = 0L;

    private long evictions;
    private long evictedUnanswered;

    /** Per slot: the number of its entry in the words ({@link #emptyEntry} when not in use). */
    private final int[] entryOf;
    /** The entry whose words an empty slot reads: never written, so its state is {@link #EMPTY}. */
    private final int emptyEntry;
    /** Entry numbers not in use, a stack: an eviction's entry is the next insert's. */
    private final int[] freeEntries;
    private int freeCount;

    /** Per slot: the key's hash, lastSeen, a time its entry is not due before, and the eviction rank (see the class comment). */
    private final int[] hashes;
    private final long[] seen;
    private final long[] dues;
    private final byte[] ranks;

    /**
     * Per block of 64 slots (one word of the in-use bitmap), a time no entry of the block is due
     * before: the sweep ({@link TcpTracker#expire}) skips a block whose bound is later than its
     * {@code now}, so an entry is read when something may happen to it, not on every sweep. Kept a
     * lower bound by every write that can make an entry due earlier (its state, the times the
     * timeouts count from, an insert, a move); the sweep sets it exactly for the blocks it reads.
     * One word per 64 slots: 16 KB at the default capacity, as much as the in-use bitmap (neither
     * is in {@link #BYTES_PER_SLOT}).
     */
    private final long[] blockDue;
    /** The timeouts the sweep applies ({@link #timeouts}); until set, 0 (a bound that is only earlier). */
    private long synTimeout, synAckTimeout, idleTimeout, linger;

    private boolean foundSrcIsA;

    public ConnectionTable(int capacity) {
        super(capacity, STRIDE, true);
        emptyEntry = capacity;
        entryOf = new int[slots()];
        freeEntries = new int[capacity];
        hashes = new int[slots()];
        seen = new long[slots()];
        dues = new long[slots()];
        ranks = new byte[slots()];
        blockDue = new long[(slots() + 63) >>> 6];
        emptyAll();
    }

    /** Heap bytes of a table of {@code capacity} entries, exactly as the constructor allocates them (the two bitmaps of 16 KB at the default capacity aside). */
    public static long bytesFor(int capacity) {
        return (long) Tables.slotsFor(capacity) * BYTES_PER_SLOT + (long) (capacity + 1) * BYTES_PER_ENTRY;
    }

    /** No slot holds an entry, every entry number is free (the lowest taken first), no block is due. */
    private void emptyAll() {
        java.util.Arrays.fill(entryOf, emptyEntry);
        for (int k = 0; k < capacity; k++) {
            freeEntries[k] = capacity - 1 - k;
        }
        freeCount = capacity;
        java.util.Arrays.fill(blockDue, Long.MAX_VALUE);
    }

    /** The timeouts of {@link TcpTracker#expire}, so that {@link #dueBound} can tell when an entry falls due. */
    public void timeouts(long synTimeoutNanos, long synAckTimeoutNanos, long idleTimeoutNanos, long lingerNanos) {
        synTimeout = synTimeoutNanos;
        synAckTimeout = synAckTimeoutNanos;
        idleTimeout = idleTimeoutNanos;
        linger = lingerNanos;
        // The bounds so far were set with other timeouts: read every block at the next sweep.
        java.util.Arrays.fill(blockDue, Long.MIN_VALUE);
    }

    /**
     * The time at which the sweep acts on the entry at slot {@code i} (concludes or drops it), by
     * the same tests as {@link TcpTracker#expire}: {@code now - t >= timeout} is {@code now >= t +
     * timeout} for frame times (non-negative, far from overflow). A SYN or SYN/ACK time not yet
     * recorded ({@link #NONE}) is never due, as {@code now - NONE} is negative there.
     */
    public long due(int i) {
        final int b = slotBase(i);
        final long[] s = words;
        switch (stateOf(s[b + META])) {
            case SYN_SENT: {
                long t = s[b + LAST_SYN];
                return t == NONE ? Long.MAX_VALUE : t + synTimeout;
            }
            case SYN_ACK_SEEN: {
                long t = s[b + LAST_SYN_ACK];
                return t == NONE ? Long.MAX_VALUE : t + synAckTimeout;
            }
            case ESTABLISHED:
            case MIDSTREAM:
                return seen[i] + idleTimeout;
            case CONCLUDED:
                return Math.max(seen[i], s[b + LAST_SYN]) + linger;
            default:
                return Long.MAX_VALUE;
        }
    }

    /** No entry of the 64-slot block holding {@code slot} is due before this time. */
    public long dueBound(int slot) {
        return blockDue[slot >>> 6];
    }

    /** Sets the bound of the block holding {@code slot} exactly, from the entries it holds now. */
    public void recomputeDue(int slot) {
        final int from = slot & ~63, to = Math.min(from + 64, slots());
        long d = Long.MAX_VALUE;
        for (int i = nextInUse(from); i < to; i = nextInUse(i + 1)) {
            long due = due(i);
            dues[i] = due;
            d = Math.min(d, due);
        }
        blockDue[slot >>> 6] = d;
    }

    /** The entry at slot {@code i} may now be due earlier than its block's bound says: lower the bound. */
    private void noteDue(int i) {
        keepDue(i, due(i));
    }

    /** Keeps {@code due} as slot {@code i}'s, and lowers its block's bound to it if it is earlier. */
    private void keepDue(int i, long due) {
        dues[i] = due;
        if (due < blockDue[i >>> 6]) {
            blockDue[i >>> 6] = due;
        }
    }

    /**
     * {@link OpenTable#remove}, the same backward shift, but what moves is the entry's number and
     * the side arrays, 25 bytes, not its 168 bytes of words: under a flood every new SYN evicts, and
     * the shift then read and wrote the lines of the entries it moved, which nothing else touched.
     * The entry's number goes back on the free list, its words are left as they were.
     */
    @Override
    public void remove(int slot) {
        if (!inUse(slot)) {
            return;
        }
        release(slot);
        freeEntries[freeCount++] = entryOf[slot];
        entryOf[slot] = emptyEntry;
        final int mask = this.mask;
        final int[] hs = hashes;
        int hole = slot;
        for (int j = (slot + 1) & mask; inUse(j); j = (j + 1) & mask) {
            int k = hs[j] & mask;
            boolean stays = hole <= j ? (hole < k && k <= j) : (hole < k || k <= j);
            if (!stays) {
                entryOf[hole] = entryOf[j];
                mark(hole, true);
                moved(j, hole);
                mark(j, false);
                entryOf[j] = emptyEntry;
                hole = j;
            }
        }
    }

    /** The side arrays follow the entry; its due time comes along too, not read again from its words. */
    @Override
    protected void moved(int from, int to) {
        hashes[to] = hashes[from];
        seen[to] = seen[from];
        ranks[to] = ranks[from];
        keepDue(to, dues[from]);
    }

    @Override
    public void clear() {
        super.clear();
        emptyAll();
    }

    @Override
    protected int home(int b) {
        final long[] s = words;
        return Tables.hash(s[b + A_HI], s[b + A_LO], s[b + B_HI], s[b + B_LO], (int) s[b + META], mask);
    }

    public long evictions() {
        return evictions;
    }

    /** Evicted entries that were attempts nobody had answered yet (their outcome is lost). */
    public long evictedUnanswered() {
        return evictedUnanswered;
    }

    private static boolean aFirst(long xHi, long xLo, int xPort, long yHi, long yLo, int yPort) {
        int c = Long.compareUnsigned(xHi, yHi);
        if (c == 0) {
            c = Long.compareUnsigned(xLo, yLo);
        }
        return c < 0 || (c == 0 && xPort <= yPort);
    }

    /** The first word of the entry at slot {@code i} (of {@link #emptyEntry} when the slot is not in use). */
    private int slotBase(int i) {
        return entryOf[i] * STRIDE;
    }

    /**
     * {@link #slotBase} for a write: an empty slot reads the one entry no slot holds, and a write
     * there would make every empty slot read what it wrote (tests run with assertions on).
     */
    private int writeBase(int i) {
        assert inUse(i) : "a write to slot " + i + ", which is empty";
        return slotBase(i);
    }

    private static byte stateOf(long meta) {
        return (byte) (meta >>> STATE_SHIFT);
    }

    /**
     * Finds the entry of a segment from (sHi,sLo,sPort) to (dHi,dLo,dPort), in either orientation.
     * @return the slot, or -1; on success {@link #foundSrcIsA()} tells the orientation
     */
    public int find(long sHi, long sLo, int sPort, long dHi, long dLo, int dPort) {
        boolean srcIsA = aFirst(sHi, sLo, sPort, dHi, dLo, dPort);
        long hA, lA, hB, lB;
        int p;
        if (srcIsA) {
            hA = sHi; lA = sLo; hB = dHi; lB = dLo; p = (sPort << 16) | dPort;
        } else {
            hA = dHi; lA = dLo; hB = sHi; lB = sLo; p = (dPort << 16) | sPort;
        }
        foundSrcIsA = srcIsA;
        final long[] s = this.words;
        final int[] hs = this.hashes;
        final int mask = this.mask;
        final int h = Tables.hash32(hA, lA, hB, lB, p);
        // The chain ends at a slot not in use (the bitmap: "state is not EMPTY"); the hashes reject
        // almost every other entry of the chain without reading its words.
        for (int i = h & mask; inUse(i); i = (i + 1) & mask) {
            if (hs[i] == h) {
                final int b = entryOf[i] * STRIDE;
                // One test of the whole key (&, not &&): the JIT drops a branch never taken while it
                // profiled, and the first full-hash collision then sent this code back to the
                // interpreter once per comparison it had dropped.
                if (((int) s[b + META] == p) & (s[b + A_LO] == lA) & (s[b + B_LO] == lB) & (s[b + A_HI] == hA)
                        & (s[b + B_HI] == hB)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Orientation of the last successful {@link #find} or {@link #insert}: is the segment's source endpoint A? */
    public boolean foundSrcIsA() {
        return foundSrcIsA;
    }

    /**
     * Inserts a new entry for a segment from (sHi,sLo,sPort) to (dHi,dLo,dPort), which must not be
     * present. When the table holds {@link #capacity()} entries, first evicts one: among the
     * {@link Tables#EVICTION_SCAN} slots from the key's home, a concluded (already reported) entry,
     * else the attempt nobody answered that was seen least recently, else the least recently seen
     * entry (conntrack's early drop does the same with unassured entries).
     * @return the new slot, with state {@link #EMPTY} set to {@code newState} and all values reset
     */
    public int insert(long sHi, long sLo, int sPort, long dHi, long dLo, int dPort, byte newState, long now) {
        boolean srcIsA = aFirst(sHi, sLo, sPort, dHi, dLo, dPort);
        long hA, lA, hB, lB;
        int p;
        if (srcIsA) {
            hA = sHi; lA = sLo; hB = dHi; lB = dLo; p = (sPort << 16) | dPort;
        } else {
            hA = dHi; lA = dLo; hB = sHi; lB = sLo; p = (dPort << 16) | sPort;
        }
        final int hash = Tables.hash32(hA, lA, hB, lB, p);
        final int h = hash & mask;
        if (size() >= capacity) {
            evictNear(h);
        }
        final long[] s = this.words;
        int i = occupy(h);
        entryOf[i] = freeEntries[--freeCount];
        hashes[i] = hash;
        final int b = slotBase(i);
        s[b + A_HI] = hA;
        s[b + A_LO] = lA;
        s[b + B_HI] = hB;
        s[b + B_LO] = lB;
        s[b + META] = (p & 0xFFFF_FFFFL) | ((newState & BYTE) << STATE_SHIFT);
        mark(i, newState != EMPTY);
        resetValues(i, now);
        foundSrcIsA = srcIsA;
        return i;
    }

    /** Clears the values of a slot, keeping its key: a new attempt on the same 4-tuple. */
    public void resetValues(int i, long now) {
        final long[] s = this.words;
        final int b = writeBase(i);
        // outcome none, flags clear, clientSide -1
        s[b + META] = (s[b + META] & PORTS_AND_STATE) | (BYTE << SIDE_SHIFT);
        ranks[i] = rankOf(s[b + META]);
        seen[i] = now;
        s[b + LAST_SYN] = NONE;
        s[b + ISNS] = 0;
        s[b + LAST_SYN_ACK] = NONE;
        s[b + FIRST_SYN] = NONE;
        s[b + FIRST_SYN_ACK] = NONE;
        s[b + ESTABLISHED_AT] = NONE;
        s[b + ZERO_SINCE_CLIENT] = NONE;
        s[b + ZERO_SINCE_SERVER] = NONE;
        s[b + COUNTS] = 0;
        s[b + OPTS_TTLS] = OPTS_TTLS_RESET;
        java.util.Arrays.fill(s, b + PMTU_CLIENT, b + PMTU_SERVER + PathMtu.WORDS, 0L);
        noteDue(i);
    }

    private void evictNear(int h) {
        int victim = victimNear(h);
        if (victim >= 0) {
            // Ranks 1 and 2 are the attempts nobody answered: the rank, not the state, so that the
            // victim's words are not read (under a flood, the one cache miss an eviction cannot share).
            int rank = ranks[victim];
            if (rank == 1 || rank == 2) {
                evictedUnanswered++;
            }
            evictions++;
            remove(victim);
        }
    }

    /**
     * {@link OpenTable#victimNear} with this table's ranking, read from the side arrays: the same
     * slots in the same order, the same choice (the lowest rank, the least recently seen among
     * equals, the first of equals), without reading the entries' words.
     */
    private int victimNear(int home) {
        final byte[] r = ranks;
        final long[] t = seen;
        final int mask = this.mask;
        // The window: the slot at home and the EVICTION_SCAN after it (the whole table if smaller)
        final int window = Math.min(Tables.EVICTION_SCAN + 1, mask + 1);
        long used = inUseFrom(home) & (-1L >>> (64 - window));
        if (used == 0) {
            // None in use there: the first in use after the window, as OpenTable.victimNear takes it
            for (int scanned = window; scanned <= mask; scanned++) {
                int i = (home + scanned) & mask;
                if (inUse(i)) {
                    return i;
                }
            }
            return -1;
        }
        int victim = -1;
        int victimRank = Integer.MAX_VALUE;
        long victimSeen = Long.MAX_VALUE;
        do {
            int i = (home + Long.numberOfTrailingZeros(used)) & mask;
            int rank = r[i];
            long seenAt = t[i];
            if (rank < victimRank || (rank == victimRank && seenAt < victimSeen)) {
                victim = i;
                victimRank = rank;
                victimSeen = seenAt;
            }
            used &= used - 1;
        } while (used != 0);
        return victim;
    }

    /**
     * The eviction rank of an entry from its META word: already reported entries go first (0), then
     * unanswered attempts of unknown sources (a flood's, 1), then real clients' unanswered attempts
     * (2), then everything that got an answer (3). Kept in {@link #ranks} by every write of the
     * state or the flags.
     */
    private static byte rankOf(long meta) {
        byte st = stateOf(meta);
        return st == CONCLUDED ? 0 : st == SYN_SENT ? (((meta >>> FLAGS_SHIFT) & F_REAL_CLIENT) == 0 ? (byte) 1 : 2) : 3;
    }

    /** The rank {@link #rankOf} gives the entry's words now (tests compare it with the kept one). */
    int rankFromWords(int i) {
        return rankOf(word(i, META));
    }

    /** The rank kept beside the words, as the eviction reads it. */
    int rank(int i) {
        return ranks[i];
    }

    // ---- packed fields ----
    private long word(int i, int w) {
        return words[slotBase(i) + w];
    }

    private void word(int i, int w, long v) {
        words[writeBase(i) + w] = v;
    }

    private int metaByte(int i, int shift) {
        return (int) (word(i, META) >>> shift) & 0xFF;
    }

    private void metaByte(int i, int shift, int v) {
        final int at = writeBase(i) + META;
        words[at] = (words[at] & ~(BYTE << shift)) | ((v & BYTE) << shift);
    }

    private int count(int i, int shift) {
        return (int) (word(i, COUNTS) >>> shift) & COUNT_MAX;
    }

    /** Stores a counter, saturating at 0 and {@link #COUNT_MAX}. */
    private void count(int i, int shift, int n) {
        long v = n < 0 ? 0 : Math.min(n, COUNT_MAX);
        final int at = writeBase(i) + COUNTS;
        words[at] = (words[at] & ~((long) COUNT_MAX << shift)) | (v << shift);
    }

    private int options(int i, int shift) {
        return (int) ((word(i, OPTS_TTLS) >>> shift) & OPTIONS_MASK);
    }

    private void options(int i, int shift, int o) {
        assert (o & ~OPTIONS_MASK) == 0 : "options wider than " + OPTIONS_BITS + " bits: " + Integer.toHexString(o);
        final int at = writeBase(i) + OPTS_TTLS;
        words[at] = (words[at] & ~(OPTIONS_MASK << shift)) | ((o & OPTIONS_MASK) << shift);
    }

    private int ttl(int i, int shift) {
        return (int) ((word(i, OPTS_TTLS) >>> shift) & TTL_MASK) - 1;
    }

    /** Stores a TTL plus one, clamped to -1..{@link #TTL_MAX}. */
    private void ttl(int i, int shift, int ttl) {
        long v = (ttl < -1 ? -1 : Math.min(ttl, TTL_MAX)) + 1;
        final int at = writeBase(i) + OPTS_TTLS;
        words[at] = (words[at] & ~(TTL_MASK << shift)) | (v << shift);
    }

    // ---- endpoints, resolved through the client flag ----
    public boolean clientIsA(int i) { return (word(i, META) & ((long) F_CLIENT_IS_A << FLAGS_SHIFT)) != 0; }
    public void clientIsA(int i, boolean clientIsA) {
        final int at = writeBase(i) + META;
        final long bit = (long) F_CLIENT_IS_A << FLAGS_SHIFT;
        words[at] = clientIsA ? words[at] | bit : words[at] & ~bit;
    }
    public long clientHi(int i) { return word(i, clientIsA(i) ? A_HI : B_HI); }
    public long clientLo(int i) { return word(i, clientIsA(i) ? A_LO : B_LO); }
    public int clientPort(int i) { int p = (int) word(i, META); return clientIsA(i) ? p >>> 16 : p & 0xFFFF; }
    public long serverHi(int i) { return word(i, clientIsA(i) ? B_HI : A_HI); }
    public long serverLo(int i) { return word(i, clientIsA(i) ? B_LO : A_LO); }
    public int serverPort(int i) { int p = (int) word(i, META); return clientIsA(i) ? p & 0xFFFF : p >>> 16; }

    // ---- plain values ----
    public byte state(int i) { return stateOf(word(i, META)); }
    public void state(int i, byte s) {
        metaByte(i, STATE_SHIFT, s);
        mark(i, s != EMPTY);
        ranks[i] = rankOf(word(i, META));
        noteDue(i);
    }
    public Outcome outcome(int i) {
        int o = metaByte(i, OUTCOME_SHIFT);
        return o == 0 ? null : OUTCOMES[o - 1];
    }
    public void outcome(int i, Outcome o) { metaByte(i, OUTCOME_SHIFT, o == null ? 0 : o.ordinal() + 1); }
    public boolean flag(int i, int bit) { return (metaByte(i, FLAGS_SHIFT) & bit) != 0; }
    public void setFlag(int i, int bit) {
        assert (bit & ~0xFF) == 0 : "flag outside the flags byte: " + bit;
        final int at = writeBase(i) + META;
        words[at] |= (bit & BYTE) << FLAGS_SHIFT;
        ranks[i] = rankOf(words[at]);
    }
    public int clientIsn(int i) { return (int) word(i, ISNS); }
    public void clientIsn(int i, int v) {
        final int at = writeBase(i) + ISNS;
        words[at] = (words[at] & 0xFFFF_FFFF_0000_0000L) | (v & 0xFFFF_FFFFL);
    }
    public int serverIsn(int i) { return (int) (word(i, ISNS) >>> 32); }
    public void serverIsn(int i, int v) {
        final int at = writeBase(i) + ISNS;
        words[at] = (words[at] & 0xFFFF_FFFFL) | ((long) v << 32);
    }
    public long firstSyn(int i) { return word(i, FIRST_SYN); }
    public void firstSyn(int i, long t) { word(i, FIRST_SYN, t); }
    public long lastSyn(int i) { return word(i, LAST_SYN); }
    public void lastSyn(int i, long t) { word(i, LAST_SYN, t); noteDue(i); }
    public long firstSynAck(int i) { return word(i, FIRST_SYN_ACK); }
    public void firstSynAck(int i, long t) { word(i, FIRST_SYN_ACK, t); }
    public long lastSynAck(int i) { return word(i, LAST_SYN_ACK); }
    public void lastSynAck(int i, long t) { word(i, LAST_SYN_ACK, t); noteDue(i); }
    public long established(int i) { return word(i, ESTABLISHED_AT); }
    public void established(int i, long t) { word(i, ESTABLISHED_AT, t); }
    public long lastSeen(int i) { return seen[i]; }
    /** A later time only delays the entry's timeouts; an earlier one (frames out of order) may bring them forward. */
    public void lastSeen(int i, long t) {
        long before = seen[i];
        seen[i] = t;
        if (t < before) {
            noteDue(i);
        }
    }
    public long zeroSince(int i, boolean server) { return word(i, server ? ZERO_SINCE_SERVER : ZERO_SINCE_CLIENT); }
    public void zeroSince(int i, boolean server, long t) { word(i, server ? ZERO_SINCE_SERVER : ZERO_SINCE_CLIENT, t); }
    /** Zero-window segments in the current stall (saturates at 65,535). */
    public int zeroSegments(int i, boolean server) { return count(i, server ? ZERO_SERVER_SHIFT : ZERO_CLIENT_SHIFT); }
    public void zeroSegments(int i, boolean server, int n) { count(i, server ? ZERO_SERVER_SHIFT : ZERO_CLIENT_SHIFT, n); }
    /** SYNs seen for this attempt (saturates at 65,535). */
    public int synCount(int i) { return count(i, SYN_COUNT_SHIFT); }
    public void synCount(int i, int n) { count(i, SYN_COUNT_SHIFT, n); }
    /** SYN/ACKs seen for this attempt (saturates at 65,535). */
    public int synAckCount(int i) { return count(i, SYN_ACK_COUNT_SHIFT); }
    public void synAckCount(int i, int n) { count(i, SYN_ACK_COUNT_SHIFT, n); }
    /** TTL of the server's SYN/ACK, or -1. */
    public int serverTtl(int i) { return ttl(i, SERVER_TTL_SHIFT); }
    public void serverTtl(int i, int ttl) { ttl(i, SERVER_TTL_SHIFT, ttl); }
    /** TTL of the client's SYN while the attempt waits for an answer, then of the packet that concluded it (the RST), or -1. */
    public int lastTtl(int i) { return ttl(i, LAST_TTL_SHIFT); }
    public void lastTtl(int i, int ttl) { ttl(i, LAST_TTL_SHIFT, ttl); }
    public int clientOptions(int i) { return options(i, CLIENT_OPTIONS_SHIFT); }
    public void clientOptions(int i, int o) { options(i, CLIENT_OPTIONS_SHIFT, o); }
    public int serverOptions(int i) { return options(i, SERVER_OPTIONS_SHIFT); }
    public void serverOptions(int i, int o) { options(i, SERVER_OPTIONS_SHIFT, o); }
    /** The capture side of the client's SYN (as the capture layer numbers it), or -1; kept as a signed byte. */
    public int clientSide(int i) { return (int) (word(i, META) >> SIDE_SHIFT); }

    // ---- the path-MTU watch's words (their layout is PathMtu's) ----
    /** Word {@code w} (below {@link PathMtu#WORDS}) of the watch of the data one side sends. */
    long pmtu(int i, boolean serverSends, int w) { return word(i, (serverSends ? PMTU_SERVER : PMTU_CLIENT) + w); }
    void pmtu(int i, boolean serverSends, int w, long v) { word(i, (serverSends ? PMTU_SERVER : PMTU_CLIENT) + w, v); }
    public void clientSide(int i, int side) { metaByte(i, SIDE_SHIFT, side); }
}
