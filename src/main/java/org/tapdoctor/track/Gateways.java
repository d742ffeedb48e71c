package org.tapdoctor.track;

/**
 * The devices' gateways (IPv4): the router a DHCP ACK gave a bound device (learned from dhcp) or
 * the next hop of a device's off-link traffic ({@link NextHops}, learned from traffic), its MAC
 * once it sent ARP, when it last did, whether ARP requests for it went unanswered, and when a
 * lease last named it. {@link #CAPACITY} slots in parallel arrays, scanned linearly, allocated
 * once; a gateway ages out {@link #AGE_NANOS} without a sign (an ARP from it, a lease naming it,
 * traffic through it); when full, the one with the oldest sign goes, counted. Not thread-safe.
 */
public final class Gateways {
    public static final int CAPACITY = 16;
    /** A gateway is forgotten 10 minutes after its last sign. */
    static final long AGE_NANOS = 600_000_000_000L;
    public static final int LEARNED_DHCP = 1, LEARNED_TRAFFIC = 2;
    /** Heap bytes of the table. */
    public static final int BYTES = CAPACITY * (6 * 8 + 2);

    final boolean[] used = new boolean[CAPACITY];
    final int[] ip = new int[CAPACITY];
    final int[] learnedFrom = new int[CAPACITY];
    final long[] mac = new long[CAPACITY], lastAnswer = new long[CAPACITY], lastSign = new long[CAPACITY],
            lastLease = new long[CAPACITY];
    final boolean[] unanswered = new boolean[CAPACITY];
    private long evictions;

    public long evictions() { return evictions; }
    public int capacity() { return CAPACITY; }

    public int slotOf(int address) {
        for (int s = 0; s < CAPACITY; s++) {
            if (used[s] && ip[s] == address) {
                return s;
            }
        }
        return -1;
    }

    /** A lease named {@code address} as a device's router; true when the gateway is new. */
    boolean leased(int address, long now) {
        int s = slotOf(address);
        boolean fresh = s < 0;
        if (fresh) {
            s = insert(address);
        }
        learnedFrom[s] = LEARNED_DHCP;
        lastLease[s] = now;
        lastSign[s] = now;
        return fresh;
    }

    /**
     * A device's off-link traffic goes to {@code address} at {@code senderMac} ({@link NextHops});
     * {@code answers}: an ARP came from it. A gateway a lease named stays learned from DHCP. True
     * when the gateway is new.
     */
    boolean learned(int address, long senderMac, boolean answers, long now) {
        int s = slotOf(address);
        boolean fresh = s < 0;
        if (fresh) {
            s = insert(address);
            learnedFrom[s] = LEARNED_TRAFFIC;
            lastLease[s] = Long.MIN_VALUE;
            mac[s] = senderMac;
            if (answers) {
                lastAnswer[s] = now;
            }
        }
        lastSign[s] = now;
        return fresh;
    }

    private int insert(int address) {
        int s = 0;
        for (int k = 0; k < CAPACITY; k++) {
            if (!used[k]) {
                s = k;
                break;
            }
            if (lastSign[k] < lastSign[s]) {
                s = k;
            }
        }
        if (used[s]) {
            evictions++;
        }
        used[s] = true;
        ip[s] = address;
        mac[s] = -1;
        lastAnswer[s] = Long.MIN_VALUE;
        unanswered[s] = false;
        return s;
    }

    /** An ARP packet from {@code address} (it answers); true when what the record shows changed. */
    boolean arpFrom(int address, long senderMac, long now) {
        int s = slotOf(address);
        if (s < 0) {
            return false;
        }
        boolean changed = mac[s] != senderMac || unanswered[s];
        mac[s] = senderMac;
        unanswered[s] = false;
        lastAnswer[s] = now;
        lastSign[s] = now;
        return changed;
    }

    /** ARP requests for {@code address} went unanswered; true when that is news. */
    boolean unanswered(int address) {
        int s = slotOf(address);
        if (s < 0 || unanswered[s]) {
            return false;
        }
        unanswered[s] = true;
        return true;
    }

    boolean expire(long now) {
        boolean gone = false;
        for (int s = 0; s < CAPACITY; s++) {
            if (used[s] && now - lastSign[s] >= AGE_NANOS) {
                used[s] = false;
                gone = true;
            }
        }
        return gone;
    }

    /** The gateway a lease named last, else the one devices' traffic went to last (DHCP wins), or -1. */
    public int latest() {
        int best = -1;
        for (int s = 0; s < CAPACITY; s++) {
            if (used[s] && (best < 0 || lastLease[s] > lastLease[best]
                    || lastLease[s] == Long.MIN_VALUE && lastLease[best] == Long.MIN_VALUE && lastSign[s] > lastSign[best])) {
                best = s;
            }
        }
        return best;
    }

    public int ip(int s) { return ip[s]; }
    public long mac(int s) { return mac[s]; }
    public int learnedFrom(int s) { return learnedFrom[s]; }
    /** An ARP packet came from it since ARP requests for it last went unanswered. */
    public boolean answersArp(int s) { return lastAnswer[s] != Long.MIN_VALUE && !unanswered[s]; }
}
