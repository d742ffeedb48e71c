package org.tapdoctor.track;

import org.tapdoctor.wire.DecodeResult;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.TlsAlert;
import org.tapdoctor.wire.TlsDecoder;

/**
 * The client's first request of a connection, from its first data segment until the server's
 * first answer (docs/diagnosis-rules.md section 1, "after the request"): when it was sent, how
 * many bytes, and when it was a TLS ClientHello its server name and offered version, copied out
 * of the frame (the buffer is gone after the call). What the server side answered first decides
 * the watch: data ends it, a ServerHello ends it, a fatal alert, plain text, a RST or a FIN before
 * any ServerHello is a {@code tls_failure}.
 *
 * <p>A side table beside the {@link ConnectionTable} (its slots have no room left), keyed by the
 * connection's 4-tuple in client-to-server orientation: an {@link OpenTable} whose server names
 * live in a side array that follows its entries, allocated once. An entry lives from the request
 * to the first answer, at most {@link #MAX_AGE_NANOS}; when full, the oldest entry near the key's
 * home is evicted and counted. Allocates nothing.
 *
 * <pre>
 *  word  field
 *   0-3  client hi, lo, server hi, lo
 *   4    PORTS    client port &lt;&lt; 16 | server port
 *   5    TIME     the request's time
 *   6    INFO     client bytes bits 0-31, offered version + 1 bits 32-48, SNI length bits 49-56,
 *                 ClientHello bit 57
 *   7    ANSWER   answer bits 0-7, alert level + 1 bits 8-15, alert description + 1 bits 16-23
 * </pre>
 *
 * <p>Caveats: not thread-safe (the capture thread's); a slot index is valid until the next removal.
 */
public final class RequestTable extends OpenTable implements OpenTable.Ranking {
    /** A server name (RFC 6066 section 3: a DNS host name, at most 255 bytes) is kept whole up to this. */
    public static final int MAX_SNI = 255;
    /** An unanswered request is forgotten after this (a connection idle that long is no longer waiting on it). */
    public static final long MAX_AGE_NANOS = 75_000_000_000L;
    /** How the server side answered a ClientHello that failed ({@code answer} in the evidence). */
    public static final int NONE = 0, ALERT = 1, RESET = 2, CLOSED = 3, PLAINTEXT = 4;
    private static final String[] ANSWERS = {"none", "alert", "reset", "closed", "plaintext"};

    private static final int CLIENT_HI = 0, CLIENT_LO = 1, SERVER_HI = 2, SERVER_LO = 3, PORTS = 4, TIME = 5,
            INFO = 6, ANSWER = 7, STRIDE = 8;
    private static final int VERSION_SHIFT = 32, SNI_SHIFT = 49;
    private static final long HELLO = 1L << 57;
    /** Heap bytes per slot: the stride and the server name. */
    public static final int BYTES_PER_SLOT = STRIDE * 8 + MAX_SNI + 1;

    private final byte[] names;
    private final TlsDecoder tls = new TlsDecoder();
    private final Request view = new Request(this);
    private long evictions;

    /** Entries for a connection table of {@code connections}: requests wait for an answer about a round trip, few are open at once. */
    public static int capacityFor(int connections) {
        return Math.max(64, connections / 32);
    }

    public RequestTable(int capacity) {
        super(capacity, STRIDE);
        names = new byte[slots() * (MAX_SNI + 1)];
    }

    /** The answer's name in the evidence ({@code alert}, {@code reset}, ...). */
    public static String answerLabel(int answer) {
        return answer >= 0 && answer < ANSWERS.length ? ANSWERS[answer] : "none";
    }

    public long evictions() {
        return evictions;
    }

    @Override
    protected int home(int b) {
        final long[] w = words;
        return Tables.hash(w[b + CLIENT_HI], w[b + CLIENT_LO], w[b + SERVER_HI], w[b + SERVER_LO], w[b + PORTS], mask);
    }

    @Override
    protected void moved(int from, int to) {
        System.arraycopy(names, from * (MAX_SNI + 1), names, to * (MAX_SNI + 1), MAX_SNI + 1);
    }

    /** The entry of connection {@code i} of {@code t}, or -1. */
    public int find(ConnectionTable t, int i) {
        long ch = t.clientHi(i), cl = t.clientLo(i), sh = t.serverHi(i), sl = t.serverLo(i);
        long ports = ((long) t.clientPort(i) << 16) | t.serverPort(i);
        final long[] w = words;
        for (int s = Tables.hash(ch, cl, sh, sl, ports, mask); inUse(s); s = (s + 1) & mask) {
            int b = base(s);
            if (w[b + PORTS] == ports && w[b + CLIENT_LO] == cl && w[b + SERVER_LO] == sl && w[b + CLIENT_HI] == ch
                    && w[b + SERVER_HI] == sh) {
                return s;
            }
        }
        return -1;
    }

    /**
     * The client's first data segment {@code f} of connection {@code i}: keeps its time, the bytes
     * the client had sent with it, and when it opens a TLS handshake its server name and version.
     */
    public void request(ConnectionTable t, int i, DecodedFrame f, long now) {
        int s = find(t, i);
        if (s < 0) {
            long ports = ((long) t.clientPort(i) << 16) | t.serverPort(i);
            int h = Tables.hash(t.clientHi(i), t.clientLo(i), t.serverHi(i), t.serverLo(i), ports, mask);
            if (size() >= capacity) {
                evictions++;
                remove(victimNear(h, this));
            }
            s = occupy(h);
            int b = base(s);
            words[b + CLIENT_HI] = t.clientHi(i);
            words[b + CLIENT_LO] = t.clientLo(i);
            words[b + SERVER_HI] = t.serverHi(i);
            words[b + SERVER_LO] = t.serverLo(i);
            words[b + PORTS] = ports;
        }
        int b = base(s);
        words[b + TIME] = now;
        words[b + ANSWER] = NONE;
        // Sequence space is modulo 2^32: the segment's end minus the client's ISN + 1.
        long bytes = (f.seq() + f.payloadLength() - (t.clientIsn(i) + 1)) & 0xFFFF_FFFFL;
        long info = bytes;
        if (TlsDecoder.startsWithRecord(f) && tls.decode(f) != DecodeResult.IGNORED && f.tlsClientHello()) {
            // supported_versions' first choice, else legacy_version unless the hello was cut before its extensions
            int version = f.tlsVersion() >= 0 ? f.tlsVersion() : f.tlsHandshakeCut() ? -1 : f.tlsHelloVersion();
            int sni = Math.max(0, Math.min(f.tlsSniLength(), MAX_SNI));
            if (f.tlsSniOffset() >= 0 && sni > 0) {
                System.arraycopy(f.buffer(), f.tlsSniOffset(), names, s * (MAX_SNI + 1), sni);
            } else {
                sni = 0;
            }
            info |= HELLO | ((long) (version + 1) & 0x1FFFF) << VERSION_SHIFT | ((long) sni << SNI_SHIFT);
        }
        words[b + INFO] = info;
    }

    /**
     * The server side's first data segment {@code f} on connection {@code i}: ends the watch,
     * unless it shows a ClientHello failed (a fatal plaintext alert, or no TLS record at all).
     * @return the entry when the answer is a failure (its answer recorded), else -1 (entry gone)
     */
    public int answer(ConnectionTable t, int i, DecodedFrame f) {
        int s = find(t, i);
        if (s < 0) {
            return -1;
        }
        if (!clientHello(s)) {
            remove(s);
            return -1;
        }
        if (!TlsDecoder.startsWithRecord(f)) {
            words[base(s) + ANSWER] = PLAINTEXT;
            return s;
        }
        tls.decode(f);
        if (!f.tlsServerHello() && f.tlsAlertLevel() == TlsAlert.FATAL) {
            words[base(s) + ANSWER] = ALERT | ((long) (f.tlsAlertLevel() + 1) << 8)
                    | ((long) (f.tlsAlertDescription() + 1) << 16);
            return s;
        }
        if (!f.tlsServerHello() && f.tlsAlertLevel() >= 0) {
            return -1; // a warning alert alone: the handshake may go on; nothing to judge yet
        }
        remove(s); // a ServerHello (or other records: the handshake went on)
        return -1;
    }

    /** Records how the server side ended a ClientHello's handshake without answering it ({@link #RESET}, {@link #CLOSED}). */
    public void ended(int s, int answer) {
        words[base(s) + ANSWER] = answer;
    }

    /** Forgets requests older than {@link #MAX_AGE_NANOS}. */
    public void expire(long now) {
        for (int s = nextInUse(0); s < slots(); s = nextInUse(s + 1)) {
            while (inUse(s) && now - words[base(s) + TIME] >= MAX_AGE_NANOS) {
                remove(s);
            }
        }
    }

    /** The view of entry {@code s}, valid until the next change of the table. */
    public Request view(int s) {
        return view.at(s);
    }

    @Override
    public long lastSeen(int slot) {
        return words[base(slot) + TIME];
    }

    long time(int s) { return words[base(s) + TIME]; }
    long clientBytes(int s) { return words[base(s) + INFO] & 0xFFFF_FFFFL; }
    public boolean clientHello(int s) { return (words[base(s) + INFO] & HELLO) != 0; }
    int clientVersion(int s) { return (int) ((words[base(s) + INFO] >>> VERSION_SHIFT) & 0x1FFFF) - 1; }
    int sniLength(int s) { return (int) ((words[base(s) + INFO] >>> SNI_SHIFT) & 0xFF); }
    byte[] names() { return names; }
    int answerOf(int s) { return (int) (words[base(s) + ANSWER] & 0xFF); }
    int alertLevel(int s) { return (int) ((words[base(s) + ANSWER] >>> 8) & 0xFF) - 1; }
    int alertDescription(int s) { return (int) ((words[base(s) + ANSWER] >>> 16) & 0xFF) - 1; }
}
