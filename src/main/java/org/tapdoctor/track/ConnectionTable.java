package org.tapdoctor.track;

import java.util.Arrays;

/**
 * TCP attempts and connections, keyed by their 4-tuple, in parallel primitive arrays allocated
 * once: open addressing with linear probing and removal by backward shift (no tombstones), in the
 * manner of Agrona's maps, but it never grows. When {@link #capacity()} entries are in use, an
 * insert first evicts the least valuable entry near the key's home slot (see {@link #insert}).
 *
 * <p>The key is stored in a canonical orientation (endpoint A sorts before endpoint B), so a
 * segment in either direction finds its entry with one probe sequence; {@link #clientIsA(int)}
 * records which endpoint is the client. All other fields are plain per-slot values that the
 * {@link TcpTracker} reads and writes by slot index; a slot index is valid until the next insert
 * or remove.
 *
 * <p>Caveats: not thread-safe (owned by the capture thread); slot indexes move on removal.
 */
public final class ConnectionTable {
    /** Approximate heap bytes per slot, for sizing documentation. */
    public static final int BYTES_PER_SLOT = 160;
    /** Marker for "no time recorded". */
    public static final long NONE = Long.MIN_VALUE;

    /** {@code Outcome.values()} clones its array on every call; the packet path reads this copy. */
    private static final Outcome[] OUTCOMES = Outcome.values();

    public static final byte EMPTY = 0, SYN_SENT = 1, SYN_ACK_SEEN = 2, ESTABLISHED = 3, CONCLUDED = 4, MIDSTREAM = 5;

    // flag bits
    public static final int F_CLIENT_IS_A = 1, F_CLIENT_DATA = 2, F_SERVER_DATA = 4, F_CLIENT_FIN = 8,
            F_SERVER_FIN = 16, F_SERVER_TTL_RECORDED = 32, F_HANDSHAKE_TIMED = 64;

    private final int capacity;
    private final int mask;
    private int size;
    private long evictions;
    private long evictedUnanswered;

    // key
    private final long[] aHi, aLo, bHi, bLo;
    private final int[] ports; // aPort << 16 | bPort
    // values
    private final byte[] state;
    private final byte[] outcome;
    private final int[] flags;
    private final int[] clientIsn, serverIsn;
    private final long[] firstSyn, lastSyn, firstSynAck, lastSynAck, established, lastSeen, zeroSinceClient, zeroSinceServer;
    private final int[] synCount, synAckCount, zeroSegmentsClient, zeroSegmentsServer;
    private final int[] serverTtl, lastTtl;
    private final int[] clientOptions, serverOptions;
    private final byte[] clientSide;

    private boolean foundSrcIsA;

    public ConnectionTable(int capacity) {
        this.capacity = capacity;
        int slots = Tables.slotsFor(capacity);
        this.mask = slots - 1;
        aHi = new long[slots];
        aLo = new long[slots];
        bHi = new long[slots];
        bLo = new long[slots];
        ports = new int[slots];
        state = new byte[slots];
        outcome = new byte[slots];
        flags = new int[slots];
        clientIsn = new int[slots];
        serverIsn = new int[slots];
        firstSyn = new long[slots];
        lastSyn = new long[slots];
        firstSynAck = new long[slots];
        lastSynAck = new long[slots];
        established = new long[slots];
        lastSeen = new long[slots];
        zeroSinceClient = new long[slots];
        zeroSinceServer = new long[slots];
        synCount = new int[slots];
        synAckCount = new int[slots];
        zeroSegmentsClient = new int[slots];
        zeroSegmentsServer = new int[slots];
        serverTtl = new int[slots];
        lastTtl = new int[slots];
        clientOptions = new int[slots];
        serverOptions = new int[slots];
        clientSide = new byte[slots];
    }

    public int capacity() {
        return capacity;
    }

    public int size() {
        return size;
    }

    public int slots() {
        return mask + 1;
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

    private int home(long hA, long lA, long hB, long lB, int p) {
        return Tables.hash(hA, lA, hB, lB, p, mask);
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
        final byte[] state = this.state;
        for (int i = home(hA, lA, hB, lB, p); state[i] != EMPTY; i = (i + 1) & mask) {
            if (ports[i] == p && aLo[i] == lA && bLo[i] == lB && aHi[i] == hA && bHi[i] == hB) {
                return i;
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
        int h = home(hA, lA, hB, lB, p);
        if (size >= capacity) {
            evictNear(h);
        }
        int i = h;
        while (state[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        aHi[i] = hA;
        aLo[i] = lA;
        bHi[i] = hB;
        bLo[i] = lB;
        ports[i] = p;
        state[i] = newState;
        resetValues(i, now);
        size++;
        foundSrcIsA = srcIsA;
        return i;
    }

    /** Clears the values of a slot, keeping its key: a new attempt on the same 4-tuple. */
    public void resetValues(int i, long now) {
        outcome[i] = 0;
        flags[i] = 0;
        clientIsn[i] = 0;
        serverIsn[i] = 0;
        firstSyn[i] = NONE;
        lastSyn[i] = NONE;
        firstSynAck[i] = NONE;
        lastSynAck[i] = NONE;
        established[i] = NONE;
        lastSeen[i] = now;
        zeroSinceClient[i] = NONE;
        zeroSinceServer[i] = NONE;
        synCount[i] = 0;
        synAckCount[i] = 0;
        zeroSegmentsClient[i] = 0;
        zeroSegmentsServer[i] = 0;
        serverTtl[i] = -1;
        lastTtl[i] = -1;
        clientOptions[i] = 0;
        serverOptions[i] = 0;
        clientSide[i] = -1;
    }

    private void evictNear(int h) {
        int victim = -1;
        int victimRank = Integer.MAX_VALUE;
        long victimSeen = Long.MAX_VALUE;
        int scanned = 0;
        for (int i = h; scanned <= mask; i = (i + 1) & mask, scanned++) {
            if (state[i] == EMPTY) {
                if (scanned >= Tables.EVICTION_SCAN && victim >= 0) {
                    break;
                }
                continue;
            }
            int rank = state[i] == CONCLUDED ? 0 : state[i] == SYN_SENT ? 1 : 2;
            if (rank < victimRank || (rank == victimRank && lastSeen[i] < victimSeen)) {
                victim = i;
                victimRank = rank;
                victimSeen = lastSeen[i];
            }
            if (scanned >= Tables.EVICTION_SCAN && victim >= 0) {
                break;
            }
        }
        if (victim >= 0) {
            if (state[victim] == SYN_SENT) {
                evictedUnanswered++;
            }
            evictions++;
            remove(victim);
        }
    }

    /** Removes the entry at slot {@code i}, shifting later entries of its probe chain back. */
    public void remove(int i) {
        state[i] = EMPTY;
        size--;
        int hole = i;
        for (int j = (i + 1) & mask; state[j] != EMPTY; j = (j + 1) & mask) {
            int k = home(aHi[j], aLo[j], bHi[j], bLo[j], ports[j]);
            boolean stays = hole <= j ? (hole < k && k <= j) : (hole < k || k <= j);
            if (!stays) {
                move(j, hole);
                state[j] = EMPTY;
                hole = j;
            }
        }
    }

    private void move(int from, int to) {
        aHi[to] = aHi[from];
        aLo[to] = aLo[from];
        bHi[to] = bHi[from];
        bLo[to] = bLo[from];
        ports[to] = ports[from];
        state[to] = state[from];
        outcome[to] = outcome[from];
        flags[to] = flags[from];
        clientIsn[to] = clientIsn[from];
        serverIsn[to] = serverIsn[from];
        firstSyn[to] = firstSyn[from];
        lastSyn[to] = lastSyn[from];
        firstSynAck[to] = firstSynAck[from];
        lastSynAck[to] = lastSynAck[from];
        established[to] = established[from];
        lastSeen[to] = lastSeen[from];
        zeroSinceClient[to] = zeroSinceClient[from];
        zeroSinceServer[to] = zeroSinceServer[from];
        synCount[to] = synCount[from];
        synAckCount[to] = synAckCount[from];
        zeroSegmentsClient[to] = zeroSegmentsClient[from];
        zeroSegmentsServer[to] = zeroSegmentsServer[from];
        serverTtl[to] = serverTtl[from];
        lastTtl[to] = lastTtl[from];
        clientOptions[to] = clientOptions[from];
        serverOptions[to] = serverOptions[from];
        clientSide[to] = clientSide[from];
    }

    /** Empties the table (counters kept). */
    public void clear() {
        Arrays.fill(state, EMPTY);
        size = 0;
    }

    // ---- endpoints, resolved through the client flag ----
    public boolean clientIsA(int i) { return (flags[i] & F_CLIENT_IS_A) != 0; }
    public void clientIsA(int i, boolean clientIsA) {
        flags[i] = clientIsA ? flags[i] | F_CLIENT_IS_A : flags[i] & ~F_CLIENT_IS_A;
    }
    public long clientHi(int i) { return clientIsA(i) ? aHi[i] : bHi[i]; }
    public long clientLo(int i) { return clientIsA(i) ? aLo[i] : bLo[i]; }
    public int clientPort(int i) { return clientIsA(i) ? ports[i] >>> 16 : ports[i] & 0xFFFF; }
    public long serverHi(int i) { return clientIsA(i) ? bHi[i] : aHi[i]; }
    public long serverLo(int i) { return clientIsA(i) ? bLo[i] : aLo[i]; }
    public int serverPort(int i) { return clientIsA(i) ? ports[i] & 0xFFFF : ports[i] >>> 16; }

    // ---- plain values ----
    public byte state(int i) { return state[i]; }
    public void state(int i, byte s) { state[i] = s; }
    public Outcome outcome(int i) { return outcome[i] == 0 ? null : OUTCOMES[outcome[i] - 1]; }
    public void outcome(int i, Outcome o) { outcome[i] = (byte) (o == null ? 0 : o.ordinal() + 1); }
    public boolean flag(int i, int bit) { return (flags[i] & bit) != 0; }
    public void setFlag(int i, int bit) { flags[i] |= bit; }
    public int clientIsn(int i) { return clientIsn[i]; }
    public void clientIsn(int i, int v) { clientIsn[i] = v; }
    public int serverIsn(int i) { return serverIsn[i]; }
    public void serverIsn(int i, int v) { serverIsn[i] = v; }
    public long firstSyn(int i) { return firstSyn[i]; }
    public void firstSyn(int i, long t) { firstSyn[i] = t; }
    public long lastSyn(int i) { return lastSyn[i]; }
    public void lastSyn(int i, long t) { lastSyn[i] = t; }
    public long firstSynAck(int i) { return firstSynAck[i]; }
    public void firstSynAck(int i, long t) { firstSynAck[i] = t; }
    public long lastSynAck(int i) { return lastSynAck[i]; }
    public void lastSynAck(int i, long t) { lastSynAck[i] = t; }
    public long established(int i) { return established[i]; }
    public void established(int i, long t) { established[i] = t; }
    public long lastSeen(int i) { return lastSeen[i]; }
    public void lastSeen(int i, long t) { lastSeen[i] = t; }
    public long zeroSince(int i, boolean server) { return server ? zeroSinceServer[i] : zeroSinceClient[i]; }
    public void zeroSince(int i, boolean server, long t) {
        if (server) {
            zeroSinceServer[i] = t;
        } else {
            zeroSinceClient[i] = t;
        }
    }
    public int zeroSegments(int i, boolean server) { return server ? zeroSegmentsServer[i] : zeroSegmentsClient[i]; }
    public void zeroSegments(int i, boolean server, int n) {
        if (server) {
            zeroSegmentsServer[i] = n;
        } else {
            zeroSegmentsClient[i] = n;
        }
    }
    public int synCount(int i) { return synCount[i]; }
    public void synCount(int i, int n) { synCount[i] = n; }
    public int synAckCount(int i) { return synAckCount[i]; }
    public void synAckCount(int i, int n) { synAckCount[i] = n; }
    /** TTL of the server's SYN/ACK, or -1. */
    public int serverTtl(int i) { return serverTtl[i]; }
    public void serverTtl(int i, int ttl) { serverTtl[i] = ttl; }
    /** TTL of the packet that concluded the attempt (the RST), or -1. */
    public int lastTtl(int i) { return lastTtl[i]; }
    public void lastTtl(int i, int ttl) { lastTtl[i] = ttl; }
    public int clientOptions(int i) { return clientOptions[i]; }
    public void clientOptions(int i, int o) { clientOptions[i] = o; }
    public int serverOptions(int i) { return serverOptions[i]; }
    public void serverOptions(int i, int o) { serverOptions[i] = o; }
    public int clientSide(int i) { return clientSide[i]; }
    public void clientSide(int i, int side) { clientSide[i] = (byte) side; }
}
