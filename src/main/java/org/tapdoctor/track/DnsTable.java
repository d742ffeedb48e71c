package org.tapdoctor.track;

import org.tapdoctor.wire.DecodedFrame;

/**
 * Outstanding DNS queries over UDP, keyed by (client, client port, server, query id), with the
 * first question's name copied in (at most {@link #MAX_NAME} bytes of wire form). A response with
 * RCODE SERVFAIL, NXDOMAIN or REFUSED, or no response {@code dns.timeout} after the last
 * retransmission, is a failure reported to the listener. An {@link OpenTable} (the names in a side
 * array that follows its entries); when full, the oldest query near the home slot is evicted and
 * counted. Not thread-safe.
 */
public final class DnsTable extends OpenTable implements OpenTable.Ranking {
    public static final int MAX_NAME = 64;
    // Layout of a slot (words):
    //  0 CLIENT_HI, 1 CLIENT_LO, 2 SERVER_HI, 3 SERVER_LO
    //  4 KEY      client port << 16 | query id in bits 0-31; qtype in bits 32-47
    //  5 FIRST, 6 LAST
    //  7 COUNTS   queries in bits 0-31, the rcode it already failed with (0: none) in bits 32-39,
    //             the name's length in bits 40-47
    private static final int CLIENT_HI = 0, CLIENT_LO = 1, SERVER_HI = 2, SERVER_LO = 3, KEY = 4, FIRST = 5, LAST = 6,
            COUNTS = 7, STRIDE = 8;
    /** Heap bytes per slot: the stride, the name, and the answered names and answered types caches. */
    public static final int BYTES_PER_SLOT = STRIDE * 8 + MAX_NAME + 8 + 9;
    /** The rcode value given to the listener for a query nobody answered. */
    public static final int NO_RESPONSE = -1;
    /** A failed query is remembered this long, so that late duplicate answers join its failure. */
    static final long FAILED_LINGER_NANOS = 30_000_000_000L;

    private final TrackerConfig config;
    private final TrackerListener listener;
    private final DnsQuery query = new DnsQuery(this);
    private long evictions;
    private long answered;
    private final byte[] names;
    /** Hashes of names recently answered with data: a direct-mapped cache (a collision forgets one). */
    private final long[] answeredNames;
    /**
     * The query types (A, AAAA) answered with data for a (name, client), by a hash of both: a
     * direct-mapped cache (a collision forgets one), so that a failure of one type can say the
     * other was answered (glibc asks A and AAAA together; a server that drops one leaves the
     * client waiting out its timeout).
     */
    private final long[] answeredTypeKeys;
    private final byte[] answeredTypes;
    /** Bits of {@link #answeredTypes(int)}. */
    public static final int TYPE_A = 1, TYPE_AAAA = 2;

    public DnsTable(TrackerConfig config, TrackerListener listener) {
        super(config.dnsQueries(), STRIDE);
        this.config = config;
        this.listener = listener;
        names = new byte[slots() * MAX_NAME];
        answeredNames = new long[slots()];
        answeredTypeKeys = new long[slots()];
        answeredTypes = new byte[slots()];
    }

    /** {@link #TYPE_A} or {@link #TYPE_AAAA} for those types, 0 for another. */
    public static int typeBit(int qtype) {
        return qtype == 1 ? TYPE_A : qtype == 28 ? TYPE_AAAA : 0;
    }

    private static long typeKey(long nameHash, long clientHi, long clientLo) {
        long k = Tables.mix(nameHash * 31 + clientLo * 0x9E3779B97F4A7C15L + clientHi);
        return k == 0 ? 1 : k;
    }

    private void answeredType(long nameHash, long clientHi, long clientLo, int qtype) {
        int bit = typeBit(qtype);
        if (bit == 0) {
            return;
        }
        long k = typeKey(nameHash, clientHi, clientLo);
        int at = (int) k & mask;
        if (answeredTypeKeys[at] != k) {
            answeredTypeKeys[at] = k;
            answeredTypes[at] = 0;
        }
        answeredTypes[at] |= (byte) bit;
    }

    /** The query types ({@link #TYPE_A}, {@link #TYPE_AAAA} bits) recently answered with data to the client of slot {@code i} for its name. */
    public int answeredTypes(int i) {
        long k = typeKey(nameHash(names, i * MAX_NAME, nameLength(i)), clientHi(i), clientLo(i));
        int at = (int) k & mask;
        return answeredTypeKeys[at] == k ? answeredTypes[at] : 0;
    }

    @Override
    protected int home(int b) {
        final long[] w = words;
        return homeOf(w[b + CLIENT_HI], w[b + CLIENT_LO], w[b + SERVER_HI], w[b + SERVER_LO], (int) w[b + KEY]);
    }

    private int homeOf(long ch, long cl, long sh, long sl, int key) {
        return Tables.hash(ch, cl, sh ^ (sl * 31) ^ key, mask);
    }

    @Override
    protected void moved(int from, int to) {
        System.arraycopy(names, from * MAX_NAME, names, to * MAX_NAME, MAX_NAME);
    }

    /**
     * Hash of a wire-form name, case-insensitive (RFC 4343), over at most {@link #MAX_NAME} bytes;
     * the same function serves the diagnoser's aggregation key and the answered-names cache.
     */
    public static long nameHash(byte[] buf, int off, int len) {
        return nameHash(buf, off, len, false);
    }

    /**
     * As {@link #nameHash(byte[], int, int)}, of the first {@code len} bytes followed by a zero
     * label when {@code terminate} (the name made of a longer name's leading labels), without copying.
     */
    public static long nameHash(byte[] buf, int off, int len, boolean terminate) {
        long h = 0x9E3779B97F4A7C15L;
        int n = Math.min(len, MAX_NAME);
        for (int b = 0; b < n; b++) {
            int c = buf[off + b];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            h = Tables.mix(h ^ (c & 0xFF));
        }
        if (terminate && n < MAX_NAME) {
            h = Tables.mix(h);
        }
        return h == 0 ? 1 : h;
    }

    /** Was a name with this hash answered with data (NOERROR, at least one answer) recently? */
    public boolean answered(long nameHash) {
        return answeredNames[(int) Tables.mix(nameHash) & mask] == nameHash;
    }

    public long evictions() { return evictions; }
    /** Responses with an answer (NOERROR, at least one answer record): name resolution that works (the site checklist's DNS). */
    public long answered() { return answered; }

    /** Follows one DNS message. */
    public void onDns(DecodedFrame f) {
        final long now = f.timeNanos();
        if (!f.dnsIsResponse()) {
            if (f.dstPort() != 53 || ((f.dnsFlags() >>> 11) & 0xF) != 0) {
                return; // only standard queries to a server
            }
            int i = findOrInsert(f.srcHi(), f.srcLo(), f.srcPort(), f.dstHi(), f.dstLo(), f.dnsId(), now, f);
            setCounts(i, queries(i) + 1, failedWith(i));
            set(i, LAST, now);
            if (failedWith(i) != 0) {
                listener.onDnsFailure(query.at(i), failedWith(i), now, true);
            }
            return;
        }
        if (f.srcPort() != 53) {
            return;
        }
        int rcode = f.dnsRcode();
        if (rcode == 0 && f.dnsAnswerCount() > 0 && f.dnsQnameOffset() >= 0) {
            answered++;
            long h = nameHash(f.buffer(), f.dnsQnameOffset(), f.dnsQnameLength());
            answeredNames[(int) Tables.mix(h) & mask] = h;
            answeredType(h, f.dstHi(), f.dstLo(), f.dnsQtype());
            listener.onNameAnswered(f.srcHi(), f.srcLo(), h);
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
        } else if (failedWith(i) == 0) {
            // Kept (until the timeout) so that the client's retries of this query join this failure.
            setCounts(i, queries(i), rcode);
            set(i, LAST, now);
            listener.onDnsFailure(query.at(i), rcode, now, false);
        } else {
            set(i, LAST, now); // a late duplicate answer: the failure lingers on
        }
    }

    /** Reports queries unanswered for the timeout and forgets them. */
    public void expire(long now) {
        for (int i = nextInUse(0); i < slots(); i = nextInUse(i + 1)) {
            while (inUse(i) && now - get(i, LAST) >= (failedWith(i) == 0 ? config.dnsTimeoutNanos() : FAILED_LINGER_NANOS)) {
                if (failedWith(i) == 0) {
                    listener.onDnsFailure(query.at(i), NO_RESPONSE, get(i, LAST), false);
                }
                remove(i);
            }
        }
    }

    /** End of a capture: a query already retransmitted over at least a second was given up on; report it. */
    public void finish(long end) {
        for (int i = nextInUse(0); i < slots(); i = nextInUse(i + 1)) {
            while (inUse(i) && failedWith(i) == 0 && queries(i) >= 2 && get(i, LAST) - get(i, FIRST) >= 990_000_000L) {
                listener.onDnsFailure(query.at(i), NO_RESPONSE, get(i, LAST), false);
                remove(i);
            }
        }
    }

    private int find(long ch, long cl, int cport, long sh, long sl, int id) {
        int key = (cport << 16) | id;
        final long[] w = words;
        for (int i = homeOf(ch, cl, sh, sl, key); inUse(i); i = (i + 1) & mask) {
            int b = base(i);
            if ((int) w[b + KEY] == key && w[b + CLIENT_LO] == cl && w[b + SERVER_LO] == sl && w[b + CLIENT_HI] == ch
                    && w[b + SERVER_HI] == sh) {
                return i;
            }
        }
        return -1;
    }

    private int findOrInsert(long ch, long cl, int cport, long sh, long sl, int id, long now, DecodedFrame f) {
        int found = find(ch, cl, cport, sh, sl, id);
        if (found >= 0) {
            return found;
        }
        int key = (cport << 16) | id;
        int h = homeOf(ch, cl, sh, sl, key);
        if (size() >= capacity) {
            evictions++;
            remove(victimNear(h, this));
        }
        int i = occupy(h);
        int b = base(i);
        words[b + CLIENT_HI] = ch;
        words[b + CLIENT_LO] = cl;
        words[b + SERVER_HI] = sh;
        words[b + SERVER_LO] = sl;
        words[b + KEY] = (key & 0xFFFF_FFFFL) | ((long) (f.dnsQtype() & 0xFFFF) << 32) | ((f.dnsQtype() < 0 ? 1L : 0L) << 48);
        words[b + FIRST] = now;
        words[b + LAST] = now;
        int len = 0;
        if (f.dnsQnameOffset() >= 0) {
            len = Math.min(f.dnsQnameLength(), MAX_NAME);
            System.arraycopy(f.buffer(), f.dnsQnameOffset(), names, i * MAX_NAME, len);
        }
        words[b + COUNTS] = (long) len << 40;
        return i;
    }

    @Override
    public long lastSeen(int slot) {
        return get(slot, LAST);
    }

    private long get(int i, int w) {
        return words[base(i) + w];
    }

    private void set(int i, int w, long v) {
        words[base(i) + w] = v;
    }

    private int failedWith(int i) {
        return (int) ((get(i, COUNTS) >>> 32) & 0xFF);
    }

    private void setCounts(int i, int queries, int failedWith) {
        long c = get(i, COUNTS);
        set(i, COUNTS, (c & (0xFFL << 40)) | (queries & 0xFFFF_FFFFL) | ((long) (failedWith & 0xFF) << 32));
    }

    public long clientHi(int i) { return get(i, CLIENT_HI); }
    public long clientLo(int i) { return get(i, CLIENT_LO); }
    public int clientPort(int i) { return (int) get(i, KEY) >>> 16; }
    public long serverHi(int i) { return get(i, SERVER_HI); }
    public long serverLo(int i) { return get(i, SERVER_LO); }
    public long first(int i) { return get(i, FIRST); }
    public long last(int i) { return get(i, LAST); }
    public int queries(int i) { return (int) get(i, COUNTS); }
    /** The first question's type, -1 when the message had no question. */
    public int qtype(int i) {
        long k = get(i, KEY);
        return ((k >>> 48) & 1) != 0 ? -1 : (int) ((k >>> 32) & 0xFFFF);
    }
    /** The wire-form name bytes of slot i: {@link #names()} from {@code i * MAX_NAME}, {@link #nameLength} long. */
    public byte[] names() { return names; }
    public int nameLength(int i) { return (int) ((get(i, COUNTS) >>> 40) & 0xFF); }
}
