package org.tapdoctor.track;

/**
 * DHCP devices by client MAC (chaddr, RFC 2131 section 2): the run of attempts the device is in
 * (DISCOVERs with no lease yet, REQUESTs with neither ACK nor NAK, NAKs, OFFERs to it), the
 * server and relay its messages name, its lease (address, router, end) and the 169.254/16 address
 * it uses, if any. Rules in {@link DhcpTracker}; this class only keeps the words.
 *
 * <p>Ages out {@link #WINDOW_NANOS} after its last message once its lease has ended; a full table
 * evicts the least recently seen device near the new one's home slot and counts it. Open
 * addressing over primitive arrays, allocated once; not thread-safe.
 */
public final class DhcpDevices extends OpenTable implements OpenTable.Ranking {
    /** {@code dhcp.window}: a device is forgotten this long after its last message (its lease over). */
    static final long WINDOW_NANOS = 600_000_000_000L;
    /** Devices followed at once. */
    public static final int CAPACITY = 1024;

    // Layout of a slot (words):
    //  0 KEY the MAC (48 bits)       1 LAST_SEEN
    //  2 FIRST_ATTEMPT, 3 LAST_ATTEMPT  of the current run (NONE: no run)
    //  4 DISCOVERS, 5 REQUESTS (unanswered), 6 NAKS, 7 OFFERS   in the run
    //  8 SERVER, 9 RELAY             server identifier and giaddr its messages named (0 none)
    // 10 LAST_NAK                    11 BOUND_IP, 12 ROUTER, 13 LEASE_END, 14 BOUND_SERVER  its lease
    // 15 XID, 16 DISCOVER_TIME       its last DISCOVER (for the DISCOVER-to-OFFER time)
    // 17 REPORTED (1: the run was reported)   18 LINK_LOCAL (169.254/16 address), 19 LINK_LOCAL_REPORTED (time)
    static final int KEY = 0, LAST_SEEN = 1, FIRST_ATTEMPT = 2, LAST_ATTEMPT = 3, DISCOVERS = 4, REQUESTS = 5, NAKS = 6,
            OFFERS = 7, SERVER = 8, RELAY = 9, LAST_NAK = 10, BOUND_IP = 11, ROUTER = 12, LEASE_END = 13,
            BOUND_SERVER = 14, XID = 15, DISCOVER_TIME = 16, REPORTED = 17, LINK_LOCAL = 18, LINK_LOCAL_REPORTED = 19,
            STRIDE = 20;
    static final long NONE = Long.MIN_VALUE;
    /** Heap bytes per slot: the stride, exactly. */
    public static final int BYTES_PER_SLOT = STRIDE * 8;

    private long evictions;

    public DhcpDevices(int capacity) {
        super(capacity, STRIDE);
    }

    @Override
    protected int home(int b) {
        return homeOf(words[b + KEY]);
    }

    private int homeOf(long mac) {
        return Tables.hash(mac, 0, 0, mask);
    }

    public long evictions() { return evictions; }

    /** The slot of a MAC, or -1. */
    public int slotOf(long mac) {
        for (int i = homeOf(mac); inUse(i); i = (i + 1) & mask) {
            if (words[base(i) + KEY] == mac) {
                return i;
            }
        }
        return -1;
    }

    /** The device's slot, a new one if it is not followed yet (evicting one when full). */
    int findOrInsert(long mac, long now) {
        int i = slotOf(mac);
        if (i < 0) {
            int home = homeOf(mac);
            if (size() >= capacity) {
                evictions++;
                remove(victimNear(home, this));
            }
            i = occupy(home);
            int b = base(i);
            java.util.Arrays.fill(words, b, b + STRIDE, 0L);
            words[b + KEY] = mac;
            words[b + FIRST_ATTEMPT] = words[b + LAST_ATTEMPT] = words[b + LAST_NAK] = NONE;
            words[b + LEASE_END] = words[b + DISCOVER_TIME] = words[b + LINK_LOCAL_REPORTED] = NONE;
        }
        set(i, LAST_SEEN, now);
        return i;
    }

    long get(int i, int w) {
        return words[base(i) + w];
    }

    void set(int i, int w, long v) {
        words[base(i) + w] = v;
    }

    void add(int i, int w, long n) {
        words[base(i) + w] += n;
    }

    /** Ends the device's run of attempts (a lease, or the run aged out). */
    void clearRun(int i) {
        int b = base(i);
        words[b + FIRST_ATTEMPT] = words[b + LAST_ATTEMPT] = words[b + LAST_NAK] = NONE;
        words[b + DISCOVERS] = words[b + REQUESTS] = words[b + NAKS] = words[b + OFFERS] = words[b + REPORTED] = 0;
    }

    boolean inRun(int i) {
        return get(i, FIRST_ATTEMPT) != NONE;
    }

    public long mac(int i) { return get(i, KEY); }
    /** The device's leased address while its lease lasts at {@code now}, else 0. */
    public int leasedIp(int i, long now) {
        return get(i, LEASE_END) != NONE && get(i, LEASE_END) > now ? (int) get(i, BOUND_IP) : 0;
    }
    /** The router of the device's lease while it lasts at {@code now}, else 0. */
    public int router(int i, long now) {
        return leasedIp(i, now) != 0 ? (int) get(i, ROUTER) : 0;
    }

    @Override
    public long lastSeen(int slot) {
        return get(slot, LAST_SEEN);
    }
}
