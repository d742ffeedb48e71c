package org.tapdoctor.track;

import java.util.Arrays;

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
public final class ArpTable implements Tables.Aged {
    public static final int BYTES_PER_SLOT = 4 + 1 + 8 * 2 + 4 * 2 + 8 * 5 + 4 * 2;
    private static final long NONE = Long.MIN_VALUE;
    /**
     * Unanswered requests add up across retries (an ARP cache asks again only when it needs the
     * address, often seconds apart) but not beyond this window.
     */
    static final long ARP_WINDOW_NANOS = 60_000_000_000L;

    private final TrackerConfig config;
    private final TrackerListener listener;
    private final int capacity;
    private final int mask;
    private int size;
    private long evictions;

    private final int[] ip;
    private final boolean[] used;
    private final long[] mac1, mac2;
    private final int[] claims1, claims2;
    private final long[] firstClaim, lastClaim, firstRequest, lastRequest, lastSeen;
    private final int[] requests, requester;

    public ArpTable(TrackerConfig config, TrackerListener listener) {
        this.config = config;
        this.listener = listener;
        this.capacity = config.arpHosts();
        int slots = Tables.slotsFor(capacity);
        mask = slots - 1;
        ip = new int[slots];
        used = new boolean[slots];
        mac1 = new long[slots];
        mac2 = new long[slots];
        claims1 = new int[slots];
        claims2 = new int[slots];
        firstClaim = new long[slots];
        lastClaim = new long[slots];
        firstRequest = new long[slots];
        lastRequest = new long[slots];
        lastSeen = new long[slots];
        requests = new int[slots];
        requester = new int[slots];
    }

    public int capacity() { return capacity; }
    public int size() { return size; }
    public long evictions() { return evictions; }

    /** Follows one ARP packet. */
    public void onArp(DecodedFrame f) {
        final long now = f.timeNanos();
        final int sender = f.arpSenderIp();
        final int target = f.arpTargetIp();
        if (sender != 0) {
            int i = findOrInsert(sender, now);
            claim(i, f.arpSenderMac(), now);
            // Any ARP from an address is a sign of life: pending requests for it are answered.
            requests[i] = 0;
        }
        boolean request = f.arpOperation() == 1;
        if (request && sender != 0 && target != sender) {
            int i = findOrInsert(target, now);
            if (requests[i] > 0 && now - firstRequest[i] >= ARP_WINDOW_NANOS) {
                requests[i] = 0; // older requests are outside the window: start afresh
            }
            if (requests[i] == 0) {
                firstRequest[i] = now;
                requester[i] = sender;
            }
            requests[i]++;
            lastRequest[i] = now;
        }
    }

    private void claim(int i, long mac, long now) {
        if (firstClaim[i] == NONE) {
            firstClaim[i] = now;
        }
        lastClaim[i] = now;
        if (mac1[i] == -1 || mac1[i] == mac) {
            mac1[i] = mac;
            claims1[i]++;
        } else if (mac2[i] == -1 || mac2[i] == mac) {
            mac2[i] = mac;
            claims2[i]++;
        } else {
            // A third MAC: counted with the second, the conflict is already established.
            claims2[i]++;
        }
        if (mac2[i] != -1) {
            listener.onDuplicateIp(this, i, now);
        }
    }

    /** Reports addresses whose requests went unanswered for the timeout. */
    public void expire(long now) {
        final int n = mask + 1;
        for (int i = 0; i < n; i++) {
            if (!used[i] || requests[i] == 0 || now - lastRequest[i] < config.arpTimeoutNanos()) {
                continue;
            }
            if (requests[i] >= config.arpMinRequests()) {
                listener.onHostDown(ip[i], requests[i], requester[i], firstRequest[i], lastRequest[i]);
                requests[i] = 0;
            } else if (now - firstRequest[i] >= ARP_WINDOW_NANOS) {
                // Too few requests over a long time: forget them rather than add up unrelated ones.
                requests[i] = 0;
            }
        }
    }

    /** End of a capture: requests already repeated over at least a second went unanswered; report them. */
    public void finish(long end) {
        final int n = mask + 1;
        for (int i = 0; i < n; i++) {
            if (used[i] && requests[i] >= config.arpMinRequests() && lastRequest[i] - firstRequest[i] >= 990_000_000L) {
                listener.onHostDown(ip[i], requests[i], requester[i], firstRequest[i], lastRequest[i]);
                requests[i] = 0;
            }
        }
    }

    private int findOrInsert(int key, long now) {
        int home = Tables.hash(key, 0, 0, mask);
        int i = home;
        for (; used[i]; i = (i + 1) & mask) {
            if (ip[i] == key) {
                lastSeen[i] = now;
                return i;
            }
        }
        if (size >= capacity) {
            evictNear(home);
            i = home;
            while (used[i]) {
                i = (i + 1) & mask;
            }
        }
        used[i] = true;
        ip[i] = key;
        mac1[i] = mac2[i] = -1;
        claims1[i] = claims2[i] = 0;
        firstClaim[i] = lastClaim[i] = firstRequest[i] = lastRequest[i] = NONE;
        requests[i] = 0;
        requester[i] = 0;
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

    @Override
    public boolean used(int slot) {
        return used[slot];
    }

    private void remove(int i) {
        used[i] = false;
        size--;
        int hole = i;
        for (int j = (i + 1) & mask; used[j]; j = (j + 1) & mask) {
            int k = Tables.hash(ip[j], 0, 0, mask);
            boolean stays = hole <= j ? (hole < k && k <= j) : (hole < k || k <= j);
            if (!stays) {
                used[hole] = true;
                ip[hole] = ip[j];
                mac1[hole] = mac1[j];
                mac2[hole] = mac2[j];
                claims1[hole] = claims1[j];
                claims2[hole] = claims2[j];
                firstClaim[hole] = firstClaim[j];
                lastClaim[hole] = lastClaim[j];
                firstRequest[hole] = firstRequest[j];
                lastRequest[hole] = lastRequest[j];
                lastSeen[hole] = lastSeen[j];
                requests[hole] = requests[j];
                requester[hole] = requester[j];
                used[j] = false;
                hole = j;
            }
        }
    }

    public int ip(int i) { return ip[i]; }
    public long mac1(int i) { return mac1[i]; }
    public long mac2(int i) { return mac2[i]; }
    public int claims1(int i) { return claims1[i]; }
    public int claims2(int i) { return claims2[i]; }
    public long firstClaim(int i) { return firstClaim[i]; }

    /** For tests: the slot of an address, or -1. */
    public int slotOf(int key) {
        for (int i = Tables.hash(key, 0, 0, mask); used[i]; i = (i + 1) & mask) {
            if (ip[i] == key) {
                return i;
            }
        }
        return -1;
    }

    void clearAll() {
        Arrays.fill(used, false);
        size = 0;
    }
}
