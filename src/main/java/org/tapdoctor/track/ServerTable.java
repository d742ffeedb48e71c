package org.tapdoctor.track;

/**
 * Per-server facts: for each (server address, port) the outcome counters and handshake times, and
 * for each server address (a host record, port {@link #HOST}) the TTLs its own packets arrive with
 * (the reference that tells a server's RST from a middlebox's) and which of its ports work (at
 * least one attempt got a SYN/ACK), the facts of the server-level verdicts of
 * docs/diagnosis-rules.md section 2. An {@link OpenTable}; when full, the least recently seen entry
 * near the home slot is evicted and counted.
 *
 * <h2>Layout of a slot</h2>
 * <pre>
 *  word  field
 *   0    hi            server address, high 64 bits (IPv4: mapped)
 *   1    lo            server address, low 64 bits
 *   2    port          0..65535, or {@link #HOST} for the host record, in bits 0-31; bit 32: the port
 *                      worked (it got its first answered attempt; an outcome moved from one answered
 *                      kind to another does not make it work twice)
 *   3    lastSeen
 *   4    synToSynAckSum   nanoseconds
 *   5    synAckToAckSum   nanoseconds
 *   6    synToSynAckMax   nanoseconds
 *   7    COUNTS        synToSynAckCount bits 0-31, synAckToAckCount bits 32-63
 *   8    HOST_FACTS    synAckTtl + 1 bits 0-8, otherTtl + 1 bits 9-17, working ports bits 32-63 (host record)
 *   9,10 OK_PORTS      the lowest working ports of the host, 3 per word, 21 bits each (port + 1; 0 = none)
 *  11..  outcomes      one 32-bit counter per {@link Outcome}, two per word
 * </pre>
 *
 * <p>Not thread-safe: owned by the capture thread.
 */
public final class ServerTable extends OpenTable implements OpenTable.Ranking {
    private static final int OUTCOMES = Outcome.values().length;
    private static final int HI = 0, LO = 1, PORT = 2, LAST_SEEN = 3, SYN_TO_SYN_ACK_SUM = 4, SYN_ACK_TO_ACK_SUM = 5,
            SYN_TO_SYN_ACK_MAX = 6, COUNTS = 7, HOST_FACTS = 8, OK_PORTS = 9, OUTCOME_WORDS = 11;
    private static final int STRIDE = OUTCOME_WORDS + (OUTCOMES + 1) / 2;
    /** Heap bytes per slot: the stride, exactly. */
    public static final int BYTES_PER_SLOT = STRIDE * 8;
    /** Port value of the per-host record. */
    public static final int HOST = 65_536;
    /** How many of a host's working ports are kept by number (the lowest): {@code ok_ports} lists 5. */
    public static final int OK_PORTS_KEPT = 6;
    private static final int PORT_BITS = 21, PORTS_PER_WORD = 3;
    private static final long PORT_MASK = (1L << PORT_BITS) - 1;
    private static final long TTL_MASK = 0x1FF;
    private static final long WORKED = 1L << 32;

    private final int[] scratch = new int[OK_PORTS_KEPT + 1];
    private long evictions;
    /** Hosts with at least one working port: the "other hosts worked" of host_unreachable. */
    private int hostsWorking;

    public ServerTable(int capacity) {
        super(capacity, STRIDE);
    }

    @Override
    protected int home(int b) {
        return Tables.hash(words[b + HI], words[b + LO], (int) words[b + PORT], mask);
    }

    public long evictions() { return evictions; }

    /** Hosts that have at least one working port (as far as the table remembers). */
    public int hostsWorking() { return hostsWorking; }

    /** The slot of (hi, lo, port), or -1. */
    public int find(long h, long l, int p) {
        final long[] w = words;
        for (int i = Tables.hash(h, l, p, mask); inUse(i); i = (i + 1) & mask) {
            int b = base(i);
            if ((int) w[b + PORT] == p && w[b + LO] == l && w[b + HI] == h) {
                return i;
            }
        }
        return -1;
    }

    /** The slot of (hi, lo, port), inserted (evicting if full) when absent. */
    public int findOrInsert(long h, long l, int p, long now) {
        int i = find(h, l, p);
        if (i >= 0) {
            words[base(i) + LAST_SEEN] = now;
            return i;
        }
        int home = Tables.hash(h, l, p, mask);
        if (size() >= capacity) {
            evict(victimNear(home, this));
        }
        i = occupy(home);
        int b = base(i);
        java.util.Arrays.fill(words, b, b + STRIDE, 0L);
        words[b + HI] = h;
        words[b + LO] = l;
        words[b + PORT] = p;
        words[b + LAST_SEEN] = now;
        return i;
    }

    /** Removes a victim and keeps the host facts true: an evicted working port no longer counts. */
    private void evict(int victim) {
        evictions++;
        int b = base(victim);
        long h = words[b + HI], l = words[b + LO];
        int port = (int) words[b + PORT];
        boolean workingPort = port != HOST && (words[b + PORT] & WORKED) != 0;
        boolean workingHost = port == HOST && workingPorts(victim) > 0;
        remove(victim);
        if (workingHost) {
            hostsWorking--;
        } else if (workingPort) {
            int host = find(h, l, HOST);
            if (host >= 0) {
                forgetWorkingPort(host, port);
            }
        }
    }

    @Override
    public long lastSeen(int slot) {
        return words[base(slot) + LAST_SEEN];
    }

    // ---- per (server, port) ----

    /**
     * Counts an outcome (or takes one back with {@code delta} -1).
     * @return true when this made the port work for the first time: its first answered attempt
     */
    public boolean countOutcome(int i, Outcome o, int delta) {
        int w = base(i) + OUTCOME_WORDS + o.ordinal() / 2;
        int shift = (o.ordinal() & 1) * 32;
        int n = (int) (words[w] >>> shift) + delta;
        words[w] = (words[w] & ~(0xFFFF_FFFFL << shift)) | ((n & 0xFFFF_FFFFL) << shift);
        int at = base(i) + PORT;
        if (o.serverAnswered() && delta > 0 && (words[at] & WORKED) == 0) {
            words[at] |= WORKED;
            return true;
        }
        return false;
    }

    public int outcomeCount(int i, Outcome o) {
        return (int) (words[base(i) + OUTCOME_WORDS + o.ordinal() / 2] >>> ((o.ordinal() & 1) * 32));
    }

    /** Attempts to this (server, port) that got a SYN/ACK, whatever happened next. */
    public int answered(int i) {
        int n = 0;
        for (Outcome o : Outcome.ANSWERED) {
            n += outcomeCount(i, o);
        }
        return n;
    }

    public void addSynToSynAck(int i, long nanos) {
        int b = base(i);
        words[b + SYN_TO_SYN_ACK_SUM] += nanos;
        words[b + COUNTS] += 1;
        if (nanos > words[b + SYN_TO_SYN_ACK_MAX]) {
            words[b + SYN_TO_SYN_ACK_MAX] = nanos;
        }
    }

    public void addSynAckToAck(int i, long nanos) {
        int b = base(i);
        words[b + SYN_ACK_TO_ACK_SUM] += nanos;
        words[b + COUNTS] += 1L << 32;
    }

    public long synToSynAckSum(int i) { return words[base(i) + SYN_TO_SYN_ACK_SUM]; }
    public int synToSynAckCount(int i) { return (int) words[base(i) + COUNTS]; }
    public long synToSynAckMax(int i) { return words[base(i) + SYN_TO_SYN_ACK_MAX]; }
    public long synAckToAckSum(int i) { return words[base(i) + SYN_ACK_TO_ACK_SUM]; }
    public int synAckToAckCount(int i) { return (int) (words[base(i) + COUNTS] >>> 32); }

    // ---- per host record ----

    public int synAckTtl(int i) { return (int) (words[base(i) + HOST_FACTS] & TTL_MASK) - 1; }

    /** Sets the TTL of the host's SYN/ACKs; true when the host's reference TTL changed. */
    public boolean synAckTtl(int i, int ttl) {
        int before = reference(i);
        setFacts(i, 0, TTL_MASK, Math.max(-1, Math.min(ttl, 255)) + 1);
        return reference(i) != before;
    }

    public int otherTtl(int i) { return (int) ((words[base(i) + HOST_FACTS] >>> 9) & TTL_MASK) - 1; }

    /** Sets the TTL of the host's other packets; true when the host's reference TTL changed. */
    public boolean otherTtl(int i, int ttl) {
        int before = reference(i);
        setFacts(i, 9, TTL_MASK, Math.max(-1, Math.min(ttl, 255)) + 1);
        return reference(i) != before;
    }

    private void setFacts(int i, int shift, long mask, long v) {
        int at = base(i) + HOST_FACTS;
        words[at] = (words[at] & ~(mask << shift)) | ((v & mask) << shift);
    }

    private int reference(int i) {
        return synAckTtl(i) >= 0 ? synAckTtl(i) : otherTtl(i);
    }

    /** The reference TTL of a host: from its SYN/ACKs, else any other packet of its own, else -1. */
    public int referenceTtl(long h, long l) {
        int i = find(h, l, HOST);
        return i < 0 ? -1 : reference(i);
    }

    /** How many ports of the host record {@code i} work. */
    public int workingPorts(int i) {
        return (int) (words[base(i) + HOST_FACTS] >>> 32);
    }

    /** Records that {@code port} of host (h, l) works (its first answered attempt). */
    public void addWorkingPort(long h, long l, int port, long now) {
        int i = findOrInsert(h, l, HOST, now);
        int n = workingPorts(i);
        if (n == 0) {
            hostsWorking++;
        }
        setFacts(i, 32, 0xFFFF_FFFFL, n + 1);
        int[] kept = okPortsOf(i);
        int len = Math.min(n, OK_PORTS_KEPT);
        int at = len;
        while (at > 0 && kept[at - 1] > port) {
            at--;
        }
        if (at < OK_PORTS_KEPT) {
            System.arraycopy(kept, at, kept, at + 1, Math.min(len, OK_PORTS_KEPT - 1) - at);
            kept[at] = port;
            storeOkPorts(i, kept, Math.min(len + 1, OK_PORTS_KEPT));
        }
    }

    private void forgetWorkingPort(int i, int port) {
        int n = workingPorts(i);
        if (n == 0) {
            return;
        }
        setFacts(i, 32, 0xFFFF_FFFFL, n - 1);
        if (n == 1) {
            hostsWorking--;
        }
        int[] kept = okPortsOf(i);
        int len = Math.min(n, OK_PORTS_KEPT);
        for (int k = 0; k < len; k++) {
            if (kept[k] == port) {
                System.arraycopy(kept, k + 1, kept, k, len - k - 1);
                storeOkPorts(i, kept, len - 1);
                return;
            }
        }
    }

    /** The lowest working ports of the host record {@code i}, ascending, at most {@link #OK_PORTS_KEPT}. */
    public int okPorts(int i, int[] into) {
        int n = 0;
        for (int k = 0; k < OK_PORTS_KEPT; k++) {
            long w = words[base(i) + OK_PORTS + k / PORTS_PER_WORD];
            int v = (int) ((w >>> ((k % PORTS_PER_WORD) * PORT_BITS)) & PORT_MASK);
            if (v == 0) {
                break;
            }
            into[n++] = v - 1;
        }
        return n;
    }

    /** The host's kept ports in a scratch array (the packet path allocates nothing). */
    private int[] okPortsOf(int i) {
        java.util.Arrays.fill(scratch, 0);
        okPorts(i, scratch);
        return scratch;
    }

    private void storeOkPorts(int i, int[] ports, int n) {
        int b = base(i) + OK_PORTS;
        words[b] = 0;
        words[b + 1] = 0;
        for (int k = 0; k < n; k++) {
            words[b + k / PORTS_PER_WORD] |= ((ports[k] + 1L) & PORT_MASK) << ((k % PORTS_PER_WORD) * PORT_BITS);
        }
    }

    // ---- iteration for reports ----
    public boolean used(int i) { return inUse(i); }
    public long hi(int i) { return words[base(i) + HI]; }
    public long lo(int i) { return words[base(i) + LO]; }
    public int port(int i) { return (int) words[base(i) + PORT]; }
    /** Whether (server, port) {@code i} ever got an answered attempt since the entry was made. */
    public boolean worked(int i) { return (words[base(i) + PORT] & WORKED) != 0; }
}
