package org.tapdoctor.track;

import org.tapdoctor.wire.DecodedFrame;

/**
 * Outstanding DNS queries over UDP, keyed by (client, client port, server, query id), with the
 * first question's name copied in (at most {@link #MAX_NAME} bytes of wire form). A response with
 * RCODE SERVFAIL, NXDOMAIN or REFUSED, or no response {@code dns.timeout} after the last
 * retransmission, is a failure reported to the listener. Open addressing over primitive arrays,
 * allocated once; when full, the oldest query near the home slot is evicted and counted.
 * Not thread-safe.
 */
public final class DnsTable implements Tables.Aged {
    public static final int MAX_NAME = 64;
    public static final int BYTES_PER_SLOT = 7 * 8 + 5 * 4 + 1 + MAX_NAME;
    /** The rcode value given to the listener for a query nobody answered. */
    public static final int NO_RESPONSE = -1;
    /** A failed query is remembered this long, so that late duplicate answers join its failure. */
    static final long FAILED_LINGER_NANOS = 30_000_000_000L;

    private final TrackerConfig config;
    private final TrackerListener listener;
    private final int capacity;
    private final int mask;
    private int size;
    private long evictions;

    private final long[] cHi, cLo, sHi, sLo;
    private final int[] portAndId; // clientPort << 16 | id
    private final boolean[] used;
    private final long[] first, last;
    private final int[] queries, qtype, nameLength;
    /** The rcode a query already failed with (kept until expiry so retransmissions join it), or 0. */
    private final int[] failedWith;
    private final byte[] names;
    /** Hashes of names recently answered with data: a direct-mapped cache (a collision forgets one). */
    private final long[] answeredNames;

    public DnsTable(TrackerConfig config, TrackerListener listener) {
        this.config = config;
        this.listener = listener;
        capacity = config.dnsQueries();
        int slots = Tables.slotsFor(capacity);
        mask = slots - 1;
        cHi = new long[slots];
        cLo = new long[slots];
        sHi = new long[slots];
        sLo = new long[slots];
        portAndId = new int[slots];
        used = new boolean[slots];
        first = new long[slots];
        last = new long[slots];
        queries = new int[slots];
        qtype = new int[slots];
        nameLength = new int[slots];
        failedWith = new int[slots];
        names = new byte[slots * MAX_NAME];
        answeredNames = new long[slots];
    }

    /**
     * Hash of a wire-form name, case-insensitive (RFC 4343), over at most {@link #MAX_NAME} bytes;
     * the same function serves the diagnoser's aggregation key and the answered-names cache.
     */
    public static long nameHash(byte[] buf, int off, int len) {
        long h = 0x9E3779B97F4A7C15L;
        int n = Math.min(len, MAX_NAME);
        for (int b = 0; b < n; b++) {
            int c = buf[off + b];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            h = Tables.mix(h ^ (c & 0xFF));
        }
        return h == 0 ? 1 : h;
    }

    /** Was a name with this hash answered with data (NOERROR, at least one answer) recently? */
    public boolean answered(long nameHash) {
        return answeredNames[(int) Tables.mix(nameHash) & mask] == nameHash;
    }

    public int capacity() { return capacity; }
    public int size() { return size; }
    public long evictions() { return evictions; }

    /** Follows one DNS message. */
    public void onDns(DecodedFrame f) {
        final long now = f.timeNanos();
        if (!f.dnsIsResponse()) {
            if (f.dstPort() != 53 || ((f.dnsFlags() >>> 11) & 0xF) != 0) {
                return; // only standard queries to a server
            }
            int i = findOrInsert(f.srcHi(), f.srcLo(), f.srcPort(), f.dstHi(), f.dstLo(), f.dnsId(), now, f);
            queries[i]++;
            last[i] = now;
            if (failedWith[i] != 0) {
                listener.onDnsFailure(this, i, failedWith[i], now, true);
            }
            return;
        }
        if (f.srcPort() != 53) {
            return;
        }
        int rcode = f.dnsRcode();
        if (rcode == 0 && f.dnsAnswerCount() > 0 && f.dnsQnameOffset() >= 0) {
            long h = nameHash(f.buffer(), f.dnsQnameOffset(), f.dnsQnameLength());
            answeredNames[(int) Tables.mix(h) & mask] = h;
        }
        int i = find(f.dstHi(), f.dstLo(), f.dstPort(), f.srcHi(), f.srcLo(), f.dnsId());
        boolean failure = rcode == 2 || rcode == 3 || rcode == 5;
        if (i < 0) {
            if (!failure) {
                return;
            }
            // The query was not seen (capture started late): the response carries the question.
            i = findOrInsert(f.dstHi(), f.dstLo(), f.dstPort(), f.srcHi(), f.srcLo(), f.dnsId(), now, f);
        }
        if (!failure) {
            remove(i);
        } else if (failedWith[i] == 0) {
            // Kept (until the timeout) so that the client's retries of this query join this failure.
            failedWith[i] = rcode;
            last[i] = now;
            listener.onDnsFailure(this, i, rcode, now, false);
        } else {
            last[i] = now; // a late duplicate answer: the failure lingers on
        }
    }

    /** Reports queries unanswered for the timeout and forgets them. */
    public void expire(long now) {
        final int n = mask + 1;
        for (int i = 0; i < n; i++) {
            while (used[i] && now - last[i] >= (failedWith[i] == 0 ? config.dnsTimeoutNanos() : FAILED_LINGER_NANOS)) {
                if (failedWith[i] == 0) {
                    listener.onDnsFailure(this, i, NO_RESPONSE, last[i], false);
                }
                remove(i);
            }
        }
    }

    /** End of a capture: a query already retransmitted over at least a second was given up on; report it. */
    public void finish(long end) {
        final int n = mask + 1;
        for (int i = 0; i < n; i++) {
            while (used[i] && failedWith[i] == 0 && queries[i] >= 2 && last[i] - first[i] >= 990_000_000L) {
                listener.onDnsFailure(this, i, NO_RESPONSE, last[i], false);
                remove(i);
            }
        }
    }

    private int find(long ch, long cl, int cport, long sh, long sl, int id) {
        int key = (cport << 16) | id;
        for (int i = Tables.hash(ch, cl, sh ^ (sl * 31) ^ key, mask); used[i]; i = (i + 1) & mask) {
            if (portAndId[i] == key && cLo[i] == cl && sLo[i] == sl && cHi[i] == ch && sHi[i] == sh) {
                return i;
            }
        }
        return -1;
    }

    private int home(int i) {
        return Tables.hash(cHi[i], cLo[i], sHi[i] ^ (sLo[i] * 31) ^ portAndId[i], mask);
    }

    private int findOrInsert(long ch, long cl, int cport, long sh, long sl, int id, long now, DecodedFrame f) {
        int found = find(ch, cl, cport, sh, sl, id);
        if (found >= 0) {
            return found;
        }
        int key = (cport << 16) | id;
        int h = Tables.hash(ch, cl, sh ^ (sl * 31) ^ key, mask);
        if (size >= capacity) {
            evictNear(h);
        }
        int i = h;
        while (used[i]) {
            i = (i + 1) & mask;
        }
        used[i] = true;
        cHi[i] = ch;
        cLo[i] = cl;
        sHi[i] = sh;
        sLo[i] = sl;
        portAndId[i] = key;
        first[i] = now;
        last[i] = now;
        queries[i] = 0;
        failedWith[i] = 0;
        qtype[i] = f.dnsQtype();
        int len = 0;
        if (f.dnsQnameOffset() >= 0) {
            len = Math.min(f.dnsQnameLength(), MAX_NAME);
            System.arraycopy(f.buffer(), f.dnsQnameOffset(), names, i * MAX_NAME, len);
        }
        nameLength[i] = len;
        size++;
        return i;
    }

    private void evictNear(int h) {
        evictions++;
        remove(Tables.leastRecentNear(this, h, mask));
    }

    @Override
    public long lastSeen(int slot) {
        return last[slot];
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
            int k = home(j);
            boolean stays = hole <= j ? (hole < k && k <= j) : (hole < k || k <= j);
            if (!stays) {
                used[hole] = true;
                cHi[hole] = cHi[j];
                cLo[hole] = cLo[j];
                sHi[hole] = sHi[j];
                sLo[hole] = sLo[j];
                portAndId[hole] = portAndId[j];
                first[hole] = first[j];
                last[hole] = last[j];
                queries[hole] = queries[j];
                qtype[hole] = qtype[j];
                nameLength[hole] = nameLength[j];
                failedWith[hole] = failedWith[j];
                System.arraycopy(names, j * MAX_NAME, names, hole * MAX_NAME, MAX_NAME);
                used[j] = false;
                hole = j;
            }
        }
    }

    public long clientHi(int i) { return cHi[i]; }
    public long clientLo(int i) { return cLo[i]; }
    public int clientPort(int i) { return portAndId[i] >>> 16; }
    public long serverHi(int i) { return sHi[i]; }
    public long serverLo(int i) { return sLo[i]; }
    public long first(int i) { return first[i]; }
    public long last(int i) { return last[i]; }
    public int queries(int i) { return queries[i]; }
    public int qtype(int i) { return qtype[i]; }
    /** The wire-form name bytes of slot i: {@link #names()} from {@code i * MAX_NAME}, {@link #nameLength} long. */
    public byte[] names() { return names; }
    public int nameLength(int i) { return nameLength[i]; }
}
