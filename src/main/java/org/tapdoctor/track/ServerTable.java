package org.tapdoctor.track;

import java.util.Arrays;

/**
 * Per-server facts: for each (server address, port) the outcome counters and handshake times, and
 * for each server address (a host record, port {@link #HOST}) the TTLs its own packets arrive
 * with, the reference that tells a server's RST from a middlebox's. Open addressing over primitive
 * arrays, allocated once; when full, the least recently seen entry near the home slot is evicted
 * and counted.
 *
 * <p>Not thread-safe: owned by the capture thread.
 */
public final class ServerTable implements Tables.Aged {
    public static final int BYTES_PER_SLOT = 6 * 8 + 4 * (5 + Outcome.values().length);
    /** Port value of the per-host record. */
    public static final int HOST = 65_536;
    private static final int OUTCOMES = Outcome.values().length;

    private final int capacity;
    private final int mask;
    private int size;
    private long evictions;

    private final long[] hi, lo;
    private final int[] port; // -1 = empty
    private final int[] outcomes; // slots * OUTCOMES
    private final long[] synToSynAckSum, synAckToAckSum, lastSeen;
    private final int[] synToSynAckCount, synAckToAckCount;
    private final long[] synToSynAckMax;
    private final int[] synAckTtl, otherTtl;

    public ServerTable(int capacity) {
        this.capacity = capacity;
        int slots = Tables.slotsFor(capacity);
        mask = slots - 1;
        hi = new long[slots];
        lo = new long[slots];
        port = new int[slots];
        Arrays.fill(port, -1);
        outcomes = new int[slots * OUTCOMES];
        synToSynAckSum = new long[slots];
        synAckToAckSum = new long[slots];
        synToSynAckMax = new long[slots];
        lastSeen = new long[slots];
        synToSynAckCount = new int[slots];
        synAckToAckCount = new int[slots];
        synAckTtl = new int[slots];
        otherTtl = new int[slots];
    }

    public int capacity() { return capacity; }
    public int size() { return size; }
    public int slots() { return mask + 1; }
    public long evictions() { return evictions; }

    /** The slot of (hi, lo, port), or -1. */
    public int find(long h, long l, int p) {
        for (int i = Tables.hash(h, l, p, mask); port[i] >= 0; i = (i + 1) & mask) {
            if (port[i] == p && lo[i] == l && hi[i] == h) {
                return i;
            }
        }
        return -1;
    }

    /** The slot of (hi, lo, port), inserted (evicting if full) when absent. */
    public int findOrInsert(long h, long l, int p, long now) {
        int home = Tables.hash(h, l, p, mask);
        int i = home;
        for (; port[i] >= 0; i = (i + 1) & mask) {
            if (port[i] == p && lo[i] == l && hi[i] == h) {
                lastSeen[i] = now;
                return i;
            }
        }
        if (size >= capacity) {
            evictNear(home);
            i = home;
            while (port[i] >= 0) {
                i = (i + 1) & mask;
            }
        }
        hi[i] = h;
        lo[i] = l;
        port[i] = p;
        Arrays.fill(outcomes, i * OUTCOMES, (i + 1) * OUTCOMES, 0);
        synToSynAckSum[i] = synAckToAckSum[i] = synToSynAckMax[i] = 0;
        synToSynAckCount[i] = synAckToAckCount[i] = 0;
        synAckTtl[i] = otherTtl[i] = -1;
        lastSeen[i] = now;
        size++;
        return i;
    }

    private void evictNear(int home) {
        evictions++;
        remove(Tables.leastRecentNear(this, home, mask));
    }

    @Override
    public long lastSeen(int slot) {
        return lastSeen[slot];
    }

    private void remove(int i) {
        port[i] = -1;
        size--;
        int hole = i;
        for (int j = (i + 1) & mask; port[j] >= 0; j = (j + 1) & mask) {
            int k = Tables.hash(hi[j], lo[j], port[j], mask);
            boolean stays = hole <= j ? (hole < k && k <= j) : (hole < k || k <= j);
            if (!stays) {
                hi[hole] = hi[j];
                lo[hole] = lo[j];
                port[hole] = port[j];
                System.arraycopy(outcomes, j * OUTCOMES, outcomes, hole * OUTCOMES, OUTCOMES);
                synToSynAckSum[hole] = synToSynAckSum[j];
                synAckToAckSum[hole] = synAckToAckSum[j];
                synToSynAckMax[hole] = synToSynAckMax[j];
                lastSeen[hole] = lastSeen[j];
                synToSynAckCount[hole] = synToSynAckCount[j];
                synAckToAckCount[hole] = synAckToAckCount[j];
                synAckTtl[hole] = synAckTtl[j];
                otherTtl[hole] = otherTtl[j];
                port[j] = -1;
                hole = j;
            }
        }
    }

    // ---- per (server, port) ----
    public void countOutcome(int i, Outcome o, int delta) {
        outcomes[i * OUTCOMES + o.ordinal()] += delta;
    }
    public int outcomeCount(int i, Outcome o) { return outcomes[i * OUTCOMES + o.ordinal()]; }

    public void addSynToSynAck(int i, long nanos) {
        synToSynAckSum[i] += nanos;
        synToSynAckCount[i]++;
        if (nanos > synToSynAckMax[i]) {
            synToSynAckMax[i] = nanos;
        }
    }
    public void addSynAckToAck(int i, long nanos) {
        synAckToAckSum[i] += nanos;
        synAckToAckCount[i]++;
    }
    public long synToSynAckSum(int i) { return synToSynAckSum[i]; }
    public int synToSynAckCount(int i) { return synToSynAckCount[i]; }
    public long synToSynAckMax(int i) { return synToSynAckMax[i]; }
    public long synAckToAckSum(int i) { return synAckToAckSum[i]; }
    public int synAckToAckCount(int i) { return synAckToAckCount[i]; }

    // ---- per host record ----
    public int synAckTtl(int i) { return synAckTtl[i]; }
    public void synAckTtl(int i, int ttl) { synAckTtl[i] = ttl; }
    public int otherTtl(int i) { return otherTtl[i]; }
    public void otherTtl(int i, int ttl) { otherTtl[i] = ttl; }

    /** The reference TTL of a host: from its SYN/ACKs, else any other packet of its own, else -1. */
    public int referenceTtl(long h, long l) {
        int i = find(h, l, HOST);
        if (i < 0) {
            return -1;
        }
        return synAckTtl[i] >= 0 ? synAckTtl[i] : otherTtl[i];
    }

    // ---- iteration for reports ----
    @Override
    public boolean used(int i) { return port[i] >= 0; }
    public long hi(int i) { return hi[i]; }
    public long lo(int i) { return lo[i]; }
    public int port(int i) { return port[i]; }
}
