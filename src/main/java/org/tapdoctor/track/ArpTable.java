package org.tapdoctor.track;

import org.tapdoctor.wire.DecodedFrame;

/**
 * ARP facts per IPv4 address: which MACs claim it (sender of requests and replies) and the
 * requests for it that nobody answered. Two MACs claiming one address is a conflict
 * ({@code duplicate_ip}); repeated requests without any sign of life from the address is a host
 * that is off or unplugged ({@code host_down}). See docs/diagnosis-rules.md section 4.
 *
 * <p>Caveats: an address legitimately moving to a new MAC (a replaced NIC, VRRP failover,
 * proxy ARP) looks like a conflict; gratuitous ARP from one MAC, however many, is not one.
 * Open addressing over primitive arrays, allocated once; not thread-safe.
 */
public final class ArpTable extends OpenTable implements OpenTable.Ranking {
    private static final long NONE = Long.MIN_VALUE;
    /**
     * Unanswered requests add up across retries (an ARP cache asks again only when it needs the
     * address, often seconds apart) but not beyond this window.
     */
    static final long ARP_WINDOW_NANOS = 60_000_000_000L;

    // Layout of a slot (words):
    //  0 KEY          the IPv4 address in bits 0-31, the first asker of the pending requests in bits 32-63
    //  1 MAC1         the first MAC claiming it (48 bits), -1 none
    //  2 MAC2         the second, -1 none
    //  3 CLAIMS       ARP packets from MAC1 in bits 0-31, from MAC2 (and any later MAC) in bits 32-63
    //  4 FIRST_CLAIM, 5 LAST_CLAIM, 6 FIRST_REQUEST, 7 LAST_REQUEST, 8 LAST_SEEN
    //  9 REQUESTS     unanswered requests for it
    private static final int KEY = 0, MAC1 = 1, MAC2 = 2, CLAIMS = 3, FIRST_CLAIM = 4, LAST_CLAIM = 5,
            FIRST_REQUEST = 6, LAST_REQUEST = 7, LAST_SEEN = 8, REQUESTS = 9, STRIDE = 10;
    /** Heap bytes per slot: the stride, exactly. */
    public static final int BYTES_PER_SLOT = STRIDE * 8;

    private final TrackerConfig config;
    private final TrackerListener listener;
    private final ArpClaims claims = new ArpClaims(this);
    private long evictions;
    /** Says whether an unanswered address is the asker's gateway; null: never. */
    private GatewayRole gateways;

    public ArpTable(TrackerConfig config, TrackerListener listener) {
        super(config.arpHosts(), STRIDE);
        this.config = config;
        this.listener = listener;
    }

    @Override
    protected int home(int b) {
        return homeOf((int) words[b + KEY]);
    }

    private int homeOf(int ip) {
        return Tables.hash(ip, 0, 0, mask);
    }

    public long evictions() { return evictions; }

    /** Where {@code host_down} learns the gateway role (the DHCP leases). */
    void gateways(GatewayRole g) {
        this.gateways = g;
    }

    /** Follows one ARP packet. */
    public void onArp(DecodedFrame f) {
        final long now = f.timeNanos();
        final int sender = f.arpSenderIp();
        final int target = f.arpTargetIp();
        if (sender != 0) {
            int i = findOrInsert(sender, now);
            claim(i, f.arpSenderMac(), now);
            // Any ARP from an address is a sign of life: pending requests for it are answered.
            set(i, REQUESTS, 0);
        }
        boolean request = f.arpOperation() == 1;
        if (request && sender != 0 && target != sender) {
            int i = findOrInsert(target, now);
            if (requests(i) > 0 && now - get(i, FIRST_REQUEST) >= ARP_WINDOW_NANOS) {
                set(i, REQUESTS, 0); // older requests are outside the window: start afresh
            }
            if (requests(i) == 0) {
                set(i, FIRST_REQUEST, now);
                set(i, KEY, (get(i, KEY) & 0xFFFF_FFFFL) | ((long) sender << 32));
            }
            set(i, REQUESTS, requests(i) + 1);
            set(i, LAST_REQUEST, now);
        }
    }

    private void claim(int i, long mac, long now) {
        if (get(i, FIRST_CLAIM) == NONE) {
            set(i, FIRST_CLAIM, now);
        }
        set(i, LAST_CLAIM, now);
        long c = get(i, CLAIMS);
        if (mac1(i) == -1 || mac1(i) == mac) {
            set(i, MAC1, mac);
            c += 1;
        } else if (mac2(i) == -1 || mac2(i) == mac) {
            set(i, MAC2, mac);
            c += 1L << 32;
        } else {
            // A third MAC: counted with the second, the conflict is already established.
            c += 1L << 32;
        }
        set(i, CLAIMS, c);
        if (mac2(i) != -1) {
            listener.onDuplicateIp(claims.at(i), now);
        }
    }

    /** Reports addresses whose requests went unanswered for the timeout. */
    public void expire(long now) {
        for (int i = nextInUse(0); i < slots(); i = nextInUse(i + 1)) {
            long requests = requests(i);
            if (requests == 0 || now - get(i, LAST_REQUEST) < config.arpTimeoutNanos()) {
                continue;
            }
            if (requests >= config.arpMinRequests()) {
                reportHostDown(i);
            } else if (now - get(i, FIRST_REQUEST) >= ARP_WINDOW_NANOS) {
                // Too few requests over a long time: forget them rather than add up unrelated ones.
                set(i, REQUESTS, 0);
            }
        }
    }

    /** End of a capture: requests already repeated over at least a second went unanswered; report them. */
    public void finish(long end) {
        for (int i = nextInUse(0); i < slots(); i = nextInUse(i + 1)) {
            if (requests(i) >= config.arpMinRequests() && get(i, LAST_REQUEST) - get(i, FIRST_REQUEST) >= 990_000_000L) {
                reportHostDown(i);
            }
        }
    }

    private void reportHostDown(int i) {
        int asker = (int) (get(i, KEY) >>> 32);
        int role = gateways == null ? GatewayRole.NONE_ROLE : gateways.roleOf(ip(i), asker, get(i, LAST_REQUEST));
        if (role != GatewayRole.NONE_ROLE) {
            listener.onGatewayDown(ip(i), (int) requests(i), asker, gateways.askerMac(), role, get(i, FIRST_REQUEST),
                    get(i, LAST_REQUEST));
        } else {
            listener.onHostDown(ip(i), (int) requests(i), asker, get(i, FIRST_REQUEST), get(i, LAST_REQUEST));
        }
        set(i, REQUESTS, 0);
    }

    private int findOrInsert(int key, long now) {
        int i = slotOf(key);
        if (i >= 0) {
            set(i, LAST_SEEN, now);
            return i;
        }
        int home = homeOf(key);
        if (size() >= capacity) {
            evictions++;
            remove(victimNear(home, this));
        }
        i = occupy(home);
        int b = base(i);
        words[b + KEY] = key & 0xFFFF_FFFFL;
        words[b + MAC1] = -1;
        words[b + MAC2] = -1;
        words[b + CLAIMS] = 0;
        words[b + FIRST_CLAIM] = words[b + LAST_CLAIM] = words[b + FIRST_REQUEST] = words[b + LAST_REQUEST] = NONE;
        words[b + LAST_SEEN] = now;
        words[b + REQUESTS] = 0;
        return i;
    }

    @Override
    public long lastSeen(int slot) {
        return get(slot, LAST_SEEN);
    }

    private long get(int i, int w) {
        return words[base(i) + w];
    }

    private void set(int i, int w, long v) {
        words[base(i) + w] = v;
    }

    private long requests(int i) {
        return get(i, REQUESTS);
    }

    public int ip(int i) { return (int) get(i, KEY); }
    public long mac1(int i) { return get(i, MAC1); }
    public long mac2(int i) { return get(i, MAC2); }
    public int claims1(int i) { return (int) get(i, CLAIMS); }
    public int claims2(int i) { return (int) (get(i, CLAIMS) >>> 32); }
    public long firstClaim(int i) { return get(i, FIRST_CLAIM); }

    /** The slot of an address, or -1. */
    public int slotOf(int key) {
        for (int i = homeOf(key); inUse(i); i = (i + 1) & mask) {
            if ((int) words[base(i) + KEY] == key) {
                return i;
            }
        }
        return -1;
    }

    void clearAll() {
        clear();
    }
}
