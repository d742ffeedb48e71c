package org.tapdoctor.diagnose;

import java.util.Arrays;

import org.tapdoctor.track.ConnectionTable;

/**
 * The problems the box holds, aggregated per (kind, server address, port, extra key), and grouped
 * by server address: a <em>group</em> is every problem about one address, the unit of the
 * server-level verdicts (docs/diagnosis-rules.md section 2), of ageing and of eviction. Allocated
 * once (a SYN flood of failures costs no allocation) and never full for long: the reporter retires
 * groups that stayed quiet for {@code report.retire}, and a new problem that finds every entry in
 * use has its {@link RoomMaker} (the reporter) evict the least recently updated group first
 * (already published: it was reported when it changed), so a new problem always finds room.
 * Without a room maker, a problem that finds the table full is counted in {@link #unrecorded()}.
 *
 * <p>Entries and groups keep stable indexes (they never move), so groups link their entries, and
 * the least-recently-updated order links the groups, by index; two {@link KeyIndex}es find them by
 * key. Every changed group is queued once for the reporter: an <em>urgent</em> change (a new
 * problem, a retraction, a fact that changes a verdict) is rendered right after the frame that
 * made it; a routine one (a count that grew) at the next tick. The reporter's cost is so per
 * change, never per problem held.
 *
 * <h2>Entry words</h2>
 * <pre>
 *  0 META       kind ordinal + 1 (bits 0-7), port + 1 (bits 8-24, 0 = host-level), client side + 1
 *               (bits 32-39), distinct clients (bits 40-47), clients capped (bit 48), name length (bits 49-55)
 *  1 HI, 2 LO   the server address (IPv4 mapped)
 *  3 EXTRA      the kind's own key part (a zero window's side, a DNS name's hash and rcode)
 *  4 COUNT, 5 FIRST, 6 LAST, 7 SYN
 *  8 CLIENT_HI, 9 CLIENT_LO, 10 CLIENT_PORT   the first occurrence's client (port -1: none)
 *  11..26 CLIENTS   up to {@link #MAX_CLIENTS} distinct client addresses, two words each
 *  27..32 VALUES    {@link #VALUES} words the kind keeps for itself (see each kind's rule)
 *  33 LINKS     previous (bits 0-31) and next (bits 32-63) entry of its group, -1 none
 *  34 GROUP     its group's index
 * </pre>
 * A DNS name is kept beside, {@link #MAX_NAME} bytes per entry.
 *
 * <p>Caveats: one owner thread (the engine's). An entry index is valid until its group is removed.
 */
public final class ProblemTable {
    public static final int MAX_CLIENTS = 8;
    public static final int MAX_NAME = 64;
    /** Words each kind may keep for itself per problem. */
    public static final int VALUES = 6;

    private static final int META = 0, HI = 1, LO = 2, EXTRA = 3, COUNT = 4, FIRST = 5, LAST = 6, SYN = 7,
            CLIENT_HI = 8, CLIENT_LO = 9, CLIENT_PORT = 10, CLIENTS = 11, VALUES_AT = 11 + 2 * MAX_CLIENTS,
            LINKS = VALUES_AT + VALUES, GROUP = LINKS + 1, STRIDE = GROUP + 1;
    private static final int G_HI = 0, G_LO = 1, G_HEAD = 2, G_MEMBERS = 3, G_LRU = 4, G_UPDATED = 5, G_FLAGS = 6,
            G_STRIDE = 7;
    private static final long F_QUEUED_URGENT = 1, F_QUEUED_ROUTINE = 2;
    /**
     * Heap bytes per problem of capacity: its words and name, its group's words, two slots in each
     * of the two key indexes (load factor 0.5, five words a slot), its places in the free lists and
     * queues.
     */
    public static final int BYTES_PER_ENTRY = STRIDE * 8 + MAX_NAME + G_STRIDE * 8 + 2 * 2 * 5 * 8 + 4 * 4;

    private static final Kind[] KINDS = Kind.values();

    private final int capacity;
    private final long[] entries;
    private final byte[] names;
    private final long[] groups;
    private final KeyIndex entryIndex;
    private final KeyIndex groupIndex;
    private final int[] freeEntries;
    private int freeEntryCount;
    private final int[] freeGroups;
    private int freeGroupCount;
    private int groupCount;
    /** Least recently updated group first; most recently updated last. */
    private int lruHead = -1, lruTail = -1;
    private final IntQueue urgent;
    private final IntQueue routine;
    private long unrecorded;
    private long evictions;
    private long evictedProblems;
    private long retired;
    private RoomMaker roomMaker;

    /** Makes room when the table is full: removes the least recently updated group, reported first. */
    public interface RoomMaker {
        void makeRoom();
    }

    public ProblemTable(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
        entries = new long[capacity * STRIDE];
        names = new byte[capacity * MAX_NAME];
        groups = new long[capacity * G_STRIDE];
        entryIndex = new KeyIndex(capacity);
        groupIndex = new KeyIndex(capacity);
        freeEntries = new int[capacity];
        freeGroups = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            freeEntries[i] = capacity - 1 - i;
            freeGroups[i] = capacity - 1 - i;
        }
        freeEntryCount = capacity;
        freeGroupCount = capacity;
        urgent = new IntQueue(capacity);
        routine = new IntQueue(capacity);
    }

    public int capacity() { return capacity; }
    /** Problems held. */
    public int size() { return capacity - freeEntryCount; }
    public int groups() { return groupCount; }
    /** Entries free now. */
    public int free() { return freeEntryCount; }
    /** Problems that found the table full and could not be recorded. */
    public long unrecorded() { return unrecorded; }
    /** Groups removed to make room for new problems. */
    public long evictions() { return evictions; }
    /** Problems removed (with their groups) to make room for new problems. */
    public long evictedProblems() { return evictedProblems; }

    /** Who makes room when a new problem finds the table full (the reporter); without one, new problems are dropped. */
    public void roomMaker(RoomMaker r) {
        this.roomMaker = r;
    }
    /** Groups removed after staying quiet for the retirement time. */
    public long retired() { return retired; }

    // ---- finding and creating ----

    private static long metaKey(Kind k, int port) {
        return (k.ordinal() + 1) | ((long) (port + 1) << 8);
    }

    /** The entry of a problem, or -1. */
    public int find(Kind k, long hi, long lo, int port, long extra) {
        return entryIndex.get(metaKey(k, port), hi, lo, extra);
    }

    /**
     * The entry of a problem, created with count 0 when absent (its group too); -1 when no entry is
     * free (counted in {@link #unrecorded()}). A new entry's first and last times are {@code now}.
     */
    public int findOrCreate(Kind k, long hi, long lo, int port, long extra, long now) {
        int e = find(k, hi, lo, port, extra);
        if (e >= 0) {
            return e;
        }
        if (freeEntryCount == 0 && roomMaker != null) {
            roomMaker.makeRoom();
        }
        if (freeEntryCount == 0) {
            unrecorded++;
            return -1;
        }
        int g = groupIndex.get(hi, lo, 0, 0); // after making room: it may have been the group evicted
        if (g < 0) {
            g = newGroup(hi, lo, now);
        }
        e = freeEntries[--freeEntryCount];
        int b = e * STRIDE;
        Arrays.fill(entries, b, b + STRIDE, 0L);
        entries[b + META] = metaKey(k, port);
        entries[b + HI] = hi;
        entries[b + LO] = lo;
        entries[b + EXTRA] = extra;
        entries[b + FIRST] = now;
        entries[b + LAST] = now;
        entries[b + CLIENT_PORT] = -1;
        Arrays.fill(entries, b + VALUES_AT, b + VALUES_AT + VALUES, -1L);
        entries[b + GROUP] = g;
        // first in its group's list
        int head = (int) groups[g * G_STRIDE + G_HEAD];
        links(e, -1, head);
        if (head >= 0) {
            links(head, e, next(head));
        }
        groups[g * G_STRIDE + G_HEAD] = e;
        groups[g * G_STRIDE + G_MEMBERS]++;
        entryIndex.put(metaKey(k, port), hi, lo, extra, e);
        touchGroup(g, now);
        return e;
    }

    private int newGroup(long hi, long lo, long now) {
        int g = freeGroups[--freeGroupCount];
        int b = g * G_STRIDE;
        long queued = groups[b + G_FLAGS]; // a freed group may still wait in a queue: it stays queued once
        Arrays.fill(groups, b, b + G_STRIDE, 0L);
        groups[b + G_FLAGS] = queued;
        groups[b + G_HI] = hi;
        groups[b + G_LO] = lo;
        groups[b + G_HEAD] = -1;
        groups[b + G_UPDATED] = now;
        groups[b + G_LRU] = packLinks(-1, -1);
        lruAppend(g);
        groupIndex.put(hi, lo, 0, 0, g);
        groupCount++;
        return g;
    }

    /** The group of an address, or -1 when no problem is held about it. */
    public int group(long hi, long lo) {
        return groupIndex.get(hi, lo, 0, 0);
    }

    // ---- changes ----

    /** The problem changed: its group is queued for the reporter, now ({@code urgent}) or at the next tick. */
    public void changed(int e, boolean urgentChange, long now) {
        int g = groupOf(e);
        touchGroup(g, now);
        queue(g, urgentChange);
    }

    /** A fact about the group's address changed (a port works, its reference TTL): render it now. */
    public void factChanged(int g) {
        queue(g, true);
    }

    /** Every group is rendered now (a fact that every verdict reads changed). */
    public void allChanged() {
        for (int g = lruHead; g >= 0; g = lruNext(g)) {
            queue(g, true);
        }
    }

    private void queue(int g, boolean urgentChange) {
        int at = g * G_STRIDE + G_FLAGS;
        if (urgentChange && (groups[at] & F_QUEUED_URGENT) == 0) {
            groups[at] |= F_QUEUED_URGENT;
            urgent.add(g);
        } else if (!urgentChange && (groups[at] & (F_QUEUED_ROUTINE | F_QUEUED_URGENT)) == 0) {
            groups[at] |= F_QUEUED_ROUTINE;
            routine.add(g);
        }
    }

    public boolean hasUrgent() {
        return !urgent.isEmpty();
    }

    public boolean hasRoutine() {
        return !routine.isEmpty();
    }

    /** The next group with an urgent change (its routine change goes with it), or -1. */
    public int takeUrgent() {
        if (urgent.isEmpty()) {
            return -1;
        }
        int g = urgent.take();
        groups[g * G_STRIDE + G_FLAGS] &= ~(F_QUEUED_URGENT | F_QUEUED_ROUTINE);
        return g;
    }

    /** The next group with a routine change only, or -1 (a group rendered as urgent meanwhile is skipped). */
    public int takeRoutine() {
        while (!routine.isEmpty()) {
            int g = routine.take();
            int at = g * G_STRIDE + G_FLAGS;
            if ((groups[at] & F_QUEUED_ROUTINE) != 0) {
                groups[at] &= ~F_QUEUED_ROUTINE;
                return g;
            }
        }
        return -1;
    }

    private void touchGroup(int g, long now) {
        int b = g * G_STRIDE;
        if (now > groups[b + G_UPDATED]) {
            groups[b + G_UPDATED] = now;
        }
        if (g != lruTail) {
            lruUnlink(g);
            lruAppend(g);
        }
    }

    // ---- ageing and eviction ----

    /** The least recently updated group, or -1. */
    public int leastRecentGroup() {
        return lruHead;
    }

    public long groupUpdated(int g) {
        return groups[g * G_STRIDE + G_UPDATED];
    }

    /** Removes a group and all its problems (the reporter has reported them); counted as evicted or retired. */
    public void removeGroup(int g, boolean evicted) {
        if (evicted) {
            evictions++;
            evictedProblems += groups[g * G_STRIDE + G_MEMBERS];
        } else {
            retired++;
        }
        int e = firstMember(g);
        while (e >= 0) {
            int n = nextMember(e);
            int b = e * STRIDE;
            entryIndex.delete(entries[b + META] & 0x1FF_FFFFL, entries[b + HI], entries[b + LO], entries[b + EXTRA]);
            entries[b + META] = 0;
            freeEntries[freeEntryCount++] = e;
            e = n;
        }
        int b = g * G_STRIDE;
        groupIndex.delete(groups[b + G_HI], groups[b + G_LO], 0, 0);
        lruUnlink(g);
        // G_FLAGS stay: the group may wait in a queue; the reporter skips a group with no members
        groups[b + G_HEAD] = -1;
        groups[b + G_MEMBERS] = 0;
        freeGroups[freeGroupCount++] = g;
        groupCount--;
    }

    public boolean groupInUse(int g) {
        return groups[g * G_STRIDE + G_MEMBERS] > 0;
    }

    public long groupHi(int g) { return groups[g * G_STRIDE + G_HI]; }
    public long groupLo(int g) { return groups[g * G_STRIDE + G_LO]; }
    public int firstMember(int g) { return (int) groups[g * G_STRIDE + G_HEAD]; }
    public int nextMember(int e) { return next(e); }

    // ---- lists ----
    private static long packLinks(int prev, int next) {
        return (prev & 0xFFFF_FFFFL) | ((long) next << 32);
    }

    private void links(int e, int prev, int next) {
        entries[e * STRIDE + LINKS] = packLinks(prev, next);
    }

    private int next(int e) {
        return (int) (entries[e * STRIDE + LINKS] >> 32);
    }

    private int lruPrev(int g) { return (int) groups[g * G_STRIDE + G_LRU]; }
    private int lruNext(int g) { return (int) (groups[g * G_STRIDE + G_LRU] >> 32); }

    private void lruAppend(int g) {
        groups[g * G_STRIDE + G_LRU] = packLinks(lruTail, -1);
        if (lruTail >= 0) {
            groups[lruTail * G_STRIDE + G_LRU] = packLinks(lruPrev(lruTail), g);
        } else {
            lruHead = g;
        }
        lruTail = g;
    }

    private void lruUnlink(int g) {
        int p = lruPrev(g), n = lruNext(g);
        if (p >= 0) {
            groups[p * G_STRIDE + G_LRU] = packLinks(lruPrev(p), n);
        } else {
            lruHead = n;
        }
        if (n >= 0) {
            groups[n * G_STRIDE + G_LRU] = packLinks(p, lruNext(n));
        } else {
            lruTail = p;
        }
        groups[g * G_STRIDE + G_LRU] = packLinks(-1, -1);
    }

    // ---- the entry's fields (read and written through Problem) ----
    int groupOf(int e) { return (int) entries[e * STRIDE + GROUP]; }
    Kind kind(int e) { return KINDS[(int) (entries[e * STRIDE + META] & 0xFF) - 1]; }
    int port(int e) { return (int) ((entries[e * STRIDE + META] >>> 8) & 0x1FFFF) - 1; }
    long hi(int e) { return entries[e * STRIDE + HI]; }
    long lo(int e) { return entries[e * STRIDE + LO]; }
    long extra(int e) { return entries[e * STRIDE + EXTRA]; }
    long count(int e) { return entries[e * STRIDE + COUNT]; }
    void count(int e, long n) { entries[e * STRIDE + COUNT] = n; }
    long first(int e) { return entries[e * STRIDE + FIRST]; }
    void first(int e, long t) { entries[e * STRIDE + FIRST] = t; }
    long last(int e) { return entries[e * STRIDE + LAST]; }
    void last(int e, long t) { entries[e * STRIDE + LAST] = t; }
    long syn(int e) { return entries[e * STRIDE + SYN]; }
    void syn(int e, long n) { entries[e * STRIDE + SYN] = n; }
    long clientHi(int e) { return entries[e * STRIDE + CLIENT_HI]; }
    long clientLo(int e) { return entries[e * STRIDE + CLIENT_LO]; }
    int clientPort(int e) { return (int) entries[e * STRIDE + CLIENT_PORT]; }

    void client(int e, long h, long l, int port) {
        int b = e * STRIDE;
        entries[b + CLIENT_HI] = h;
        entries[b + CLIENT_LO] = l;
        entries[b + CLIENT_PORT] = port;
    }

    int clientSide(int e) { return (int) ((entries[e * STRIDE + META] >>> 32) & 0xFF) - 1; }

    void clientSide(int e, int side) {
        int b = e * STRIDE + META;
        entries[b] = (entries[b] & ~(0xFFL << 32)) | (((side + 1) & 0xFFL) << 32);
    }

    int clientCount(int e) { return (int) ((entries[e * STRIDE + META] >>> 40) & 0xFF); }
    boolean clientsCapped(int e) { return ((entries[e * STRIDE + META] >>> 48) & 1) != 0; }

    /** Adds a client address to the distinct ones (up to {@link #MAX_CLIENTS}, then capped). */
    void addClient(int e, long h, long l) {
        int b = e * STRIDE;
        int n = clientCount(e);
        for (int c = 0; c < n; c++) {
            if (entries[b + CLIENTS + 2 * c] == h && entries[b + CLIENTS + 2 * c + 1] == l) {
                return;
            }
        }
        if (n < MAX_CLIENTS) {
            entries[b + CLIENTS + 2 * n] = h;
            entries[b + CLIENTS + 2 * n + 1] = l;
            entries[b + META] = (entries[b + META] & ~(0xFFL << 40)) | ((long) (n + 1) << 40);
        } else {
            entries[b + META] |= 1L << 48;
        }
    }

    long value(int e, int n) {
        checkValue(n);
        return entries[e * STRIDE + VALUES_AT + n];
    }

    void value(int e, int n, long v) {
        checkValue(n);
        entries[e * STRIDE + VALUES_AT + n] = v;
    }

    private static void checkValue(int n) {
        if (n < 0 || n >= VALUES) {
            throw new IndexOutOfBoundsException("value " + n + " (a kind keeps " + VALUES + ")");
        }
    }

    byte[] names() { return names; }
    int nameOffset(int e) { return e * MAX_NAME; }
    int nameLength(int e) { return (int) ((entries[e * STRIDE + META] >>> 49) & 0x7F); }

    void name(int e, byte[] src, int off, int len) {
        int n = Math.max(0, Math.min(len, MAX_NAME));
        System.arraycopy(src, off, names, e * MAX_NAME, n);
        int b = e * STRIDE + META;
        entries[b] = (entries[b] & ~(0x7FL << 49)) | ((long) n << 49);
    }

    /** {@code ConnectionTable.NONE} re-exported for kinds: "no time". */
    static final long NONE = ConnectionTable.NONE;

    /** A fixed FIFO of group indexes (each queued at most once, so {@code capacity} is enough). */
    private static final class IntQueue {
        private final int[] items;
        private int head, size;

        IntQueue(int capacity) {
            items = new int[capacity];
        }

        boolean isEmpty() { return size == 0; }

        void add(int v) {
            items[(head + size) % items.length] = v;
            size++;
        }

        int take() {
            int v = items[head];
            head = (head + 1) % items.length;
            size--;
            return v;
        }
    }
}
