package org.tapdoctor.track;

/**
 * Addresses that completed a handshake recently: real hosts, as opposed to the spoofed sources of
 * a SYN flood. Their new attempts are the last a full connection table evicts, so a flood cannot
 * push out the one failing connection the engineer is looking for. A direct-mapped cache over
 * primitive arrays, allocated once: a collision forgets one address, which only makes its next
 * attempt an ordinary one.
 */
final class KnownClients {
    /** Entries (power of two): 4,096 addresses, 68 KB. */
    static final int CAPACITY = 4096;
    static final int BYTES = CAPACITY * 17;

    private final long[] hi = new long[CAPACITY];
    private final long[] lo = new long[CAPACITY];
    private final boolean[] used = new boolean[CAPACITY];

    void add(long h, long l) {
        int i = slot(h, l);
        hi[i] = h;
        lo[i] = l;
        used[i] = true;
    }

    boolean contains(long h, long l) {
        int i = slot(h, l);
        return used[i] && lo[i] == l && hi[i] == h;
    }

    private static int slot(long h, long l) {
        return (int) Tables.mix(h * 31 + l) & (CAPACITY - 1);
    }
}
