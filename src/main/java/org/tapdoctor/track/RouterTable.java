package org.tapdoctor.track;

import org.tapdoctor.wire.DecodedFrame;

/**
 * The IPv6 routers advertising on the segment (RFC 4861 6.2: router advertisements), keyed by
 * (source address, source MAC): an RA claiming a known router's address from another MAC is
 * another router (THC's kill_router6 spoofs the router's link-local address; SITE-NOTES S4). When
 * two or more advertise within {@code nd.router-window}, the others than the site's are rogue
 * ({@code ipv6_rogue_router}, docs/diagnosis-rules.md section 4). The site's router: with
 * {@code ipv6.allowed-routers}, the listed ones; else live, with {@code client_side} set, a router
 * whose RAs come in on the client-side NIC is rogue (alone too: routers are beyond the tap);
 * else the one whose prefix the devices' source addresses use, when exactly one is used; else
 * the first seen. A router is judged once: one on the client side at its first RA, the others
 * when they have advertised for {@link #SETTLE_NANOS} beside another (so a device's traffic can
 * show which prefix it uses), or at the end of a capture.
 *
 * <p>Caveats: a few routers only, so a plain array scanned in full (no hashing); a full table
 * evicts the least recently heard router and counts it. A judgement is not revised. With
 * {@code client_side} "auto" the NIC of an RA does not judge (which NIC is the client's is not
 * known). Allocated once; not thread-safe.
 */
public final class RouterTable {
    /** How long a router must have advertised beside another before it is judged. */
    static final long SETTLE_NANOS = 1_000_000_000L;
    static final int MAX_PREFIXES = 4;
    private static final long NONE = Long.MIN_VALUE;

    // Slot words: 0 HI, 1 LO, 2 MAC, 3 LIFETIME (router lifetime s), 4 RAS, 5 FIRST, 6 LAST,
    // 7 STATE (flags below), 8 SIDE (NIC of its last RA, -1 none), 9 PREFIXES (count kept),
    // then per prefix: HI, LO, META (length bits 0-7, L/A flags bits 8-15, valid lifetime s bits 16-47)
    private static final int HI = 0, LO = 1, MAC = 2, LIFETIME = 3, RAS = 4, FIRST = 5, LAST = 6, STATE = 7, SIDE = 8,
            PREFIXES = 9, PREFIX_AT = 10, STRIDE = PREFIX_AT + 3 * MAX_PREFIXES;
    public static final int BYTES_PER_SLOT = STRIDE * 8;
    private static final long IN_USE = 1, JUDGED = 2, ROGUE = 4, USED = 8;

    private final Ipv6Dot1xConfig config;
    private final TrackerListener listener;
    private final long[] words;
    private final int capacity;
    private int live;
    private long evictions;
    /** Moves when a router appears, changes its lifetime or prefixes, or ages out (for the site record). */
    private long changes;

    public RouterTable(Ipv6Dot1xConfig config, TrackerListener listener) {
        this.config = config;
        this.listener = listener;
        this.capacity = config.routers();
        this.words = new long[capacity * STRIDE];
    }

    public int capacity() { return capacity; }
    public long evictions() { return evictions; }
    public long changes() { return changes; }
    /** Routers held. */
    public int size() { return live; }

    /** Follows one router advertisement. */
    public void onAdvertisement(DecodedFrame f) {
        long now = f.timeNanos();
        int i = find(f.srcHi(), f.srcLo(), f.srcMac());
        int b;
        if (i < 0) {
            i = insert(now);
            b = i * STRIDE;
            words[b + HI] = f.srcHi();
            words[b + LO] = f.srcLo();
            words[b + MAC] = f.srcMac();
            words[b + FIRST] = now;
            words[b + RAS] = 0;
            words[b + PREFIXES] = 0;
            words[b + LIFETIME] = -1;
            changes++;
        }
        b = i * STRIDE;
        words[b + RAS]++;
        words[b + LAST] = now;
        words[b + SIDE] = f.side();
        if (words[b + LIFETIME] != f.raRouterLifetime()) {
            words[b + LIFETIME] = f.raRouterLifetime();
            changes++;
        }
        int n = Math.min(f.raPrefixCount(), DecodedFrame.MAX_PREFIXES);
        for (int k = 0; k < n; k++) {
            keepPrefix(b, f.raPrefixHi(k), f.raPrefixLo(k), f.raPrefixLength(k), f.raPrefixFlags(k), f.raPrefixValid(k));
        }
        if ((words[b + STATE] & ROGUE) != 0) {
            report(i, now); // a rogue that advertises again: one more occurrence
        }
    }

    private void keepPrefix(int b, long hi, long lo, int length, int flags, long valid) {
        int n = (int) words[b + PREFIXES];
        for (int k = 0; k < n; k++) {
            int p = b + PREFIX_AT + 3 * k;
            if (words[p] == hi && words[p + 1] == lo && (words[p + 2] & 0xFF) == length) {
                words[p + 2] = length | (flags & 0xFFL) << 8 | (valid & 0xFFFF_FFFFL) << 16;
                return;
            }
        }
        if (n < MAX_PREFIXES) {
            int p = b + PREFIX_AT + 3 * n;
            words[p] = hi;
            words[p + 1] = lo;
            words[p + 2] = length | (flags & 0xFFL) << 8 | (valid & 0xFFFF_FFFFL) << 16;
            words[b + PREFIXES] = n + 1;
            changes++;
        }
    }

    /**
     * A packet from {@code (hi, lo)}: while routers are undecided, marks the routers whose prefix
     * the address is in (a device using that router's prefix). Costs one comparison when fewer
     * than two routers advertise.
     */
    public void onSource(long hi, long lo) {
        if (live < 2 || hi == 0 || (hi >>> 54) == (0xFE80L >>> 6)) {
            return; // unspecified, IPv4-mapped or link-local: in no advertised prefix
        }
        for (int i = 0; i < capacity; i++) {
            int b = i * STRIDE;
            if ((words[b + STATE] & (IN_USE | USED)) == IN_USE && inPrefix(b, hi, lo)) {
                words[b + STATE] |= USED;
            }
        }
    }

    private boolean inPrefix(int b, long hi, long lo) {
        for (int k = 0; k < words[b + PREFIXES]; k++) {
            int p = b + PREFIX_AT + 3 * k;
            int len = (int) (words[p + 2] & 0xFF);
            if (len == 0 || len > 128) {
                continue;
            }
            long hiMask = len >= 64 ? -1L : -1L << (64 - len);
            long loMask = len <= 64 ? 0 : len == 128 ? -1L : -1L << (128 - len);
            if ((hi & hiMask) == (words[p] & hiMask) && (lo & loMask) == (words[p + 1] & loMask)) {
                return true;
            }
        }
        return false;
    }

    /** Ages routers out and judges the ones that have advertised long enough beside another. */
    public void expire(long now) {
        for (int i = 0; i < capacity; i++) {
            int b = i * STRIDE;
            if ((words[b + STATE] & IN_USE) != 0
                    && now - words[b + LAST] >= Math.max(config.routerWindowNanos(), words[b + LIFETIME] * 1_000_000_000L)) {
                words[b + STATE] = 0;
                live--;
                changes++;
            }
        }
        judge(now, false);
    }

    /** End of a capture: every router beside another is judged. */
    public void finish(long end) {
        judge(end, true);
    }

    private void judge(long now, boolean atEnd) {
        boolean bySide = config.clientSide() >= 0;
        if (live < 2 && !bySide) {
            return;
        }
        int site = siteRouter();
        for (int i = 0; i < capacity; i++) {
            int b = i * STRIDE;
            long s = words[b + STATE];
            if ((s & IN_USE) == 0 || (s & JUDGED) != 0) {
                continue;
            }
            boolean clientSide = bySide && words[b + SIDE] == config.clientSide();
            if (!clientSide && (live < 2 || !atEnd && (now - words[b + FIRST] < SETTLE_NANOS || !othersSettled(i, now)))) {
                continue;
            }
            boolean rogue = config.allowedRouters().length > 0 ? !config.allowedRouter(words[b + HI], words[b + LO])
                    : clientSide || i != site;
            words[b + STATE] = s | JUDGED | (rogue ? ROGUE : 0);
            if (rogue) {
                report(i, now);
            }
        }
    }

    /** Some other router has advertised for at least the settle time, or this one's first RA came after it by that. */
    private boolean othersSettled(int i, long now) {
        for (int j = 0; j < capacity; j++) {
            int b = j * STRIDE;
            if (j != i && (words[b + STATE] & IN_USE) != 0 && now - Math.max(words[b + FIRST], words[i * STRIDE + FIRST])
                    >= SETTLE_NANOS) {
                return true;
            }
        }
        return false;
    }

    /**
     * The site's router without an allowed list: among the routers not on the client side, the
     * only one whose prefix is used, else the first seen; -1 when none.
     */
    private int siteRouter() {
        int used = -1, usedCount = 0, first = -1;
        for (int i = 0; i < capacity; i++) {
            int b = i * STRIDE;
            if ((words[b + STATE] & IN_USE) == 0
                    || config.clientSide() >= 0 && words[b + SIDE] == config.clientSide()) {
                continue;
            }
            if ((words[b + STATE] & USED) != 0) {
                used = i;
                usedCount++;
            }
            if (first < 0 || words[b + FIRST] < words[first * STRIDE + FIRST]) {
                first = i;
            }
        }
        return usedCount == 1 ? used : first;
    }

    private void report(int i, long now) {
        int b = i * STRIDE;
        int site = siteRouter();
        boolean hasPrefix = words[b + PREFIXES] > 0;
        int p = b + PREFIX_AT;
        long siteHi = site >= 0 && site != i ? words[site * STRIDE + HI] : 0;
        long siteLo = site >= 0 && site != i ? words[site * STRIDE + LO] : 0;
        listener.onRogueRouter(words[b + HI], words[b + LO], words[b + MAC], (int) words[b + LIFETIME],
                hasPrefix ? words[p] : 0, hasPrefix ? words[p + 1] : 0, hasPrefix ? (int) (words[p + 2] & 0xFF) : -1,
                siteHi, siteLo, heardOn(b), words[b + FIRST], now);
    }

    /** Where the router's RAs came in: known only live with {@code client_side} set. */
    private int heardOn(int b) {
        if (config.clientSide() < 0 || words[b + SIDE] < 0) {
            return TrackerListener.HEARD_UNKNOWN;
        }
        return words[b + SIDE] == config.clientSide() ? TrackerListener.HEARD_CLIENT_SIDE
                : TrackerListener.HEARD_NETWORK_SIDE;
    }

    private int find(long hi, long lo, long mac) {
        for (int i = 0; i < capacity; i++) {
            int b = i * STRIDE;
            if ((words[b + STATE] & IN_USE) != 0 && words[b + HI] == hi && words[b + LO] == lo && words[b + MAC] == mac) {
                return i;
            }
        }
        return -1;
    }

    private int insert(long now) {
        int victim = -1;
        for (int i = 0; i < capacity; i++) {
            int b = i * STRIDE;
            if ((words[b + STATE] & IN_USE) == 0) {
                words[b + STATE] = IN_USE;
                live++;
                return i;
            }
            if (victim < 0 || words[b + LAST] < words[victim * STRIDE + LAST]) {
                victim = i;
            }
        }
        evictions++;
        words[victim * STRIDE + STATE] = IN_USE;
        return victim;
    }

    // ---- read access for the site record (off the per-frame path) ----
    public boolean inUse(int i) { return (words[i * STRIDE + STATE] & IN_USE) != 0; }
    public long hi(int i) { return words[i * STRIDE + HI]; }
    public long lo(int i) { return words[i * STRIDE + LO]; }
    public long mac(int i) { return words[i * STRIDE + MAC]; }
    public int lifetime(int i) { return (int) words[i * STRIDE + LIFETIME]; }
    public long first(int i) { return words[i * STRIDE + FIRST]; }
    public long last(int i) { return words[i * STRIDE + LAST]; }
    public int side(int i) { return (int) words[i * STRIDE + SIDE]; }
    public boolean rogue(int i) { return (words[i * STRIDE + STATE] & ROGUE) != 0; }
    public int prefixes(int i) { return (int) words[i * STRIDE + PREFIXES]; }
    public long prefixHi(int i, int k) { return words[i * STRIDE + PREFIX_AT + 3 * k]; }
    public long prefixLo(int i, int k) { return words[i * STRIDE + PREFIX_AT + 3 * k + 1]; }
    public int prefixLength(int i, int k) { return (int) (words[i * STRIDE + PREFIX_AT + 3 * k + 2] & 0xFF); }
}
