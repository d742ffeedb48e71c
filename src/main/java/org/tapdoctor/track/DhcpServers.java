package org.tapdoctor.track;

/**
 * The DHCP servers heard, by server identifier (option 54, RFC 2132 9.7; the reply's source when
 * it has none): offers, ACKs, NAKs, bindings (distinct device and address ACKed: a renewal is the
 * same binding, an ACK to INFORM none; SITE-NOTES S2, S3), what their replies offer (router, the
 * first 3 DNS servers, lease), the last DISCOVER-to-OFFER time, first and last reply. Few servers
 * on a segment: {@link #CAPACITY} slots in parallel arrays, scanned linearly, allocated once. A
 * server ages out {@link #AGE_NANOS} after its last reply; when full, the least recently heard
 * goes, counted. Not thread-safe.
 */
public final class DhcpServers {
    public static final int CAPACITY = 8;
    /** {@code dhcp.server-age}: a server is forgotten an hour after its last reply. */
    static final long AGE_NANOS = 3_600_000_000_000L;
    static final int DNS_KEPT = 3;
    /** Heap bytes of the table. */
    public static final int BYTES = CAPACITY * (15 * 8 + DNS_KEPT * 4 + 5);

    final int[] id = new int[CAPACITY];
    final boolean[] used = new boolean[CAPACITY];
    final long[] offers = new long[CAPACITY], acks = new long[CAPACITY], naks = new long[CAPACITY],
            bindings = new long[CAPACITY];
    final int[] router = new int[CAPACITY], relay = new int[CAPACITY], dnsCount = new int[CAPACITY];
    final int[] dns = new int[CAPACITY * DNS_KEPT];
    final long[] leaseSeconds = new long[CAPACITY], offerMs = new long[CAPACITY];
    final long[] firstReply = new long[CAPACITY], lastReply = new long[CAPACITY], order = new long[CAPACITY];
    /** The NIC its last reply came in on (-1: unknown, a file); whether one came in on the client-side NIC. */
    final int[] side = new int[CAPACITY];
    final boolean[] clientSide = new boolean[CAPACITY];
    private long nextOrder;
    private long evictions;

    public long evictions() { return evictions; }
    public int capacity() { return CAPACITY; }

    /** The slot of a server identifier, or -1. */
    public int slotOf(int server) {
        for (int s = 0; s < CAPACITY; s++) {
            if (used[s] && id[s] == server) {
                return s;
            }
        }
        return -1;
    }

    /** The server's slot, a new one when it was not heard yet (the least recently heard evicted when full). */
    int findOrInsert(int server, long now) {
        int s = slotOf(server);
        if (s >= 0) {
            return s;
        }
        int free = -1;
        for (int k = 0; k < CAPACITY; k++) {
            if (!used[k]) {
                free = k;
                break;
            }
            if (free < 0 || lastReply[k] < lastReply[free]) {
                free = k;
            }
        }
        if (used[free]) {
            evictions++;
        }
        used[free] = true;
        id[free] = server;
        offers[free] = acks[free] = naks[free] = bindings[free] = 0;
        router[free] = relay[free] = dnsCount[free] = 0;
        leaseSeconds[free] = offerMs[free] = -1;
        firstReply[free] = lastReply[free] = now;
        order[free] = nextOrder++;
        side[free] = -1;
        clientSide[free] = false;
        return free;
    }

    /** What a reply says the server gives (router, DNS, lease); a value the reply lacks is kept. */
    void offered(int s, int routerIp, long lease, int[] dnsServers, int n) {
        if (routerIp != 0) {
            router[s] = routerIp;
        }
        if (lease >= 0) {
            leaseSeconds[s] = lease;
        }
        if (n > 0) {
            int k = Math.min(n, DNS_KEPT);
            System.arraycopy(dnsServers, 0, dns, s * DNS_KEPT, k);
            dnsCount[s] = k;
        }
    }

    /** Forgets servers not heard for {@link #AGE_NANOS}; true when one went. */
    boolean expire(long now) {
        boolean gone = false;
        for (int s = 0; s < CAPACITY; s++) {
            if (used[s] && now - lastReply[s] >= AGE_NANOS) {
                used[s] = false;
                gone = true;
            }
        }
        return gone;
    }

    /**
     * The site's server: with an allowed list, the allowed one heard first; else, among the ones
     * whose replies never came in on the client-side NIC, the one with the most bindings, the first
     * heard on a tie (SITE-NOTES S2). -1 when none is heard.
     */
    int site(DhcpSettings settings) {
        int best = -1;
        for (int s = 0; s < CAPACITY; s++) {
            if (!used[s] || (settings.hasAllowedList() ? !settings.allowed(id[s]) : clientSide[s])) {
                continue;
            }
            if (best < 0 || (!settings.hasAllowedList() && bindings[s] > bindings[best])
                    || ((settings.hasAllowedList() || bindings[s] == bindings[best]) && order[s] < order[best])) {
                best = s;
            }
        }
        return best;
    }

    public boolean used(int s) { return used[s]; }
    public int id(int s) { return id[s]; }
    public long offers(int s) { return offers[s]; }
    public long bindings(int s) { return bindings[s]; }
    public int router(int s) { return router[s]; }
    public long leaseSeconds(int s) { return leaseSeconds[s]; }
    /** The last DISCOVER-to-OFFER time, in ms rounded up, or -1. */
    public long offerMs(int s) { return offerMs[s]; }
    public int dnsCount(int s) { return dnsCount[s]; }
    public int dns(int s, int k) { return dns[s * DNS_KEPT + k]; }
    /** Whether one of its replies came in on the client-side NIC (live, {@code client_side} set). */
    public boolean clientSide(int s) { return clientSide[s]; }
}
