package org.tapdoctor.diagnose;

import java.util.Arrays;

import org.tapdoctor.track.Tables;
import org.tapdoctor.track.TrackerConfig;

/**
 * Problems aggregated until they are reported: one entry per (kind, server address, port, extra
 * key), with counts, first/last times, the first client, up to {@link #MAX_CLIENTS} distinct
 * client addresses and a few kind-specific evidence slots. Open addressing over primitive arrays,
 * allocated once (so a SYN flood of failures costs no allocation); when full, new problems are
 * dropped and counted in {@link #overflows()}.
 *
 * <p>Evidence slots by kind: see {@link Diagnoser}. Not thread-safe.
 */
public final class ProblemTable {
    public static final int MAX_CLIENTS = 8;
    public static final int MAX_NAME = 64;
    static final int INTS = 4;
    static final int LONGS = 3;
    /** {@code Kind.values()} clones its array on every call. */
    private static final Kind[] KINDS = Kind.values();

    private final int capacity;
    private final int mask;
    private int size;
    private long overflows;

    private final byte[] kind; // ordinal + 1; 0 = empty
    private final long[] hi, lo, extra;
    private final int[] port;
    private final long[] count, first, last, syn;
    private final long[] clientHi, clientLo;
    private final int[] clientPort;
    private final long[] clients; // slots * MAX_CLIENTS * 2
    private final int[] clientCount;
    private final boolean[] clientsCapped;
    private final int[] ints; // slots * INTS
    private final long[] longs; // slots * LONGS
    private final byte[] names; // slots * MAX_NAME
    private final int[] nameLength;

    public ProblemTable(int capacity) {
        this.capacity = capacity;
        int slots = Tables.slotsFor(capacity);
        mask = slots - 1;
        kind = new byte[slots];
        hi = new long[slots];
        lo = new long[slots];
        extra = new long[slots];
        port = new int[slots];
        count = new long[slots];
        first = new long[slots];
        last = new long[slots];
        syn = new long[slots];
        clientHi = new long[slots];
        clientLo = new long[slots];
        clientPort = new int[slots];
        clients = new long[slots * MAX_CLIENTS * 2];
        clientCount = new int[slots];
        clientsCapped = new boolean[slots];
        ints = new int[slots * INTS];
        longs = new long[slots * LONGS];
        names = new byte[slots * MAX_NAME];
        nameLength = new int[slots];
        assert TrackerConfig.PROBLEM_BYTES_PER_SLOT >= 8 * (9 + 2 * MAX_CLIENTS + LONGS) + 4 * (4 + INTS) + 2 + MAX_NAME;
    }

    public int capacity() { return capacity; }
    public int size() { return size; }
    public int slots() { return mask + 1; }
    /** Problems that could not be recorded because the table was full. */
    public long overflows() { return overflows; }

    /** The slot of a problem, or -1 when absent. */
    public int find(Kind k, long h, long l, int p, long x) {
        byte kb = (byte) (k.ordinal() + 1);
        for (int i = home(kb, h, l, p, x); kind[i] != 0; i = (i + 1) & mask) {
            if (kind[i] == kb && port[i] == p && lo[i] == l && hi[i] == h && extra[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The slot of a problem, created with count 0 when absent; -1 when the table is full (counted).
     * A new entry's first/last times are {@code now}.
     */
    public int findOrCreate(Kind k, long h, long l, int p, long x, long now) {
        int i = find(k, h, l, p, x);
        if (i >= 0) {
            return i;
        }
        if (size >= capacity) {
            overflows++;
            return -1;
        }
        byte kb = (byte) (k.ordinal() + 1);
        i = home(kb, h, l, p, x);
        while (kind[i] != 0) {
            i = (i + 1) & mask;
        }
        kind[i] = kb;
        hi[i] = h;
        lo[i] = l;
        port[i] = p;
        extra[i] = x;
        count[i] = 0;
        first[i] = now;
        last[i] = now;
        syn[i] = 0;
        clientHi[i] = clientLo[i] = 0;
        clientPort[i] = -1;
        clientCount[i] = 0;
        clientsCapped[i] = false;
        Arrays.fill(ints, i * INTS, (i + 1) * INTS, -1);
        Arrays.fill(longs, i * LONGS, (i + 1) * LONGS, 0);
        nameLength[i] = 0;
        size++;
        return i;
    }

    private int home(byte kb, long h, long l, int p, long x) {
        return Tables.hash(kb, h, l, p, x, mask);
    }

    /** Adds one occurrence, which began at {@code start} and was decided at {@code end}, from a client. */
    public void occurrence(int i, long start, long end, long cHi, long cLo, int cPort) {
        if (count[i] == 0 || start < first[i]) {
            first[i] = start;
            clientHi[i] = cHi;
            clientLo[i] = cLo;
            clientPort[i] = cPort;
        }
        if (count[i] == 0 || end > last[i]) {
            last[i] = end;
        }
        count[i]++;
        addClient(i, cHi, cLo);
    }

    private void addClient(int i, long cHi, long cLo) {
        int base = i * MAX_CLIENTS * 2;
        int n = clientCount[i];
        for (int c = 0; c < n; c++) {
            if (clients[base + 2 * c] == cHi && clients[base + 2 * c + 1] == cLo) {
                return;
            }
        }
        if (n < MAX_CLIENTS) {
            clients[base + 2 * n] = cHi;
            clients[base + 2 * n + 1] = cLo;
            clientCount[i] = n + 1;
        } else {
            clientsCapped[i] = true;
        }
    }

    /** Takes one occurrence back (a late answer proved it wrong). */
    public void retract(int i) {
        if (count[i] > 0) {
            count[i]--;
        }
    }

    public void touch(int i, long time) {
        if (time > last[i]) {
            last[i] = time;
        }
    }

    public boolean used(int i) { return kind[i] != 0; }
    public Kind kind(int i) { return KINDS[kind[i] - 1]; }
    public long hi(int i) { return hi[i]; }
    public long lo(int i) { return lo[i]; }
    public int port(int i) { return port[i]; }
    public long extra(int i) { return extra[i]; }
    public long count(int i) { return count[i]; }
    public long first(int i) { return first[i]; }
    public long last(int i) { return last[i]; }
    public long syn(int i) { return syn[i]; }
    public void addSyn(int i, long n) { syn[i] += n; }
    public long clientHi(int i) { return clientHi[i]; }
    public long clientLo(int i) { return clientLo[i]; }
    public int clientPort(int i) { return clientPort[i]; }
    public int clientCount(int i) { return clientCount[i]; }
    public boolean clientsCapped(int i) { return clientsCapped[i]; }
    public int intValue(int i, int n) { return ints[i * INTS + n]; }
    public void intValue(int i, int n, int v) { ints[i * INTS + n] = v; }
    public long longValue(int i, int n) { return longs[i * LONGS + n]; }
    public void longValue(int i, int n, long v) { longs[i * LONGS + n] = v; }

    public void name(int i, byte[] src, int off, int len) {
        int n = Math.min(len, MAX_NAME);
        System.arraycopy(src, off, names, i * MAX_NAME, n);
        nameLength[i] = n;
    }
    public byte[] names() { return names; }
    public int nameLength(int i) { return nameLength[i]; }
}
