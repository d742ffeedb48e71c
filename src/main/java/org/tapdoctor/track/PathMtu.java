package org.tapdoctor.track;

import org.tapdoctor.wire.DecodedFrame;

/**
 * The path-MTU watch of established connections (docs/diagnosis-rules.md section 4): ICMP
 * fragmentation needed / ICMPv6 packet too big quoting a connection's segment ({@code mtu_problem}),
 * and the black hole where no such message comes back ({@code mtu_blackhole}): the sender's
 * full-size segment at the head of its unacknowledged data retransmitted again and again, never
 * acknowledged, while a smaller segment of the same sender was, and no ICMP quoted the connection.
 *
 * <p>State: three words of the connection's slot per sending side ({@link ConnectionTable#pmtu}),
 * nothing else; nothing here allocates.
 * <pre>
 *  word  bits
 *   0    sndNxt 0-31 (the end of the highest segment sent), peerAck 32-63 (the peer's highest ack)
 *   1    maxLen 0-15 (largest payload sent), ackedLen 16-31 (largest payload known acknowledged),
 *        firstRetransMs 32-63 (the head's first retransmission, ms after the handshake)
 *   2    pendEnd 0-31, pendLen 32-47 (the largest segment awaiting its ack), retransmissions 48-55,
 *        flags 56-63
 * </pre>
 * Only one segment per side awaits its ack (the largest sent since the last one was acknowledged),
 * so {@code ackedLen} is a lower bound: a smaller segment acknowledged together with a larger one
 * is not counted, which can only keep a black hole silent, never invent one.
 */
final class PathMtu {
    /** Words per sending side. */
    static final int WORDS = 3;
    /** A payload below this is not "full size" (IPv6's minimum MTU is 1280: 1220 of payload after 60 of headers). */
    static final int FULL_SIZE_MIN = 1200;
    /** Retransmissions of the head segment, and the time they span, before it is a black hole. */
    static final int MIN_RETRANSMISSIONS = 3;
    static final long MIN_SPAN_NANOS = 1_000_000_000L;

    private static final int W_SEQ = 0, W_LEN = 1, W_PEND = 2;
    private static final long U32 = 0xFFFF_FFFFL, U16 = 0xFFFF;
    private static final int RETRANS_SHIFT = 48, FLAGS_SHIFT = 56;
    private static final long HAVE_ACK = 1, HAVE_NXT = 2, HAVE_PEND = 4, MTU_REPORTED = 8, HOLE_REPORTED = 16;

    private final ConnectionTable table;
    private final TrackerStats stats;
    private final TrackerListener listener;
    private final Attempt attempt;

    PathMtu(ConnectionTable table, TrackerStats stats, TrackerListener listener, Attempt attempt) {
        this.table = table;
        this.stats = stats;
        this.listener = listener;
        this.attempt = attempt;
    }

    /** An ICMP fragmentation needed (3/4) or ICMPv6 packet too big (2) quoting a TCP segment. */
    void onTooBig(DecodedFrame f) {
        final ConnectionTable t = table;
        int i = t.find(f.quotedSrcHi(), f.quotedSrcLo(), f.quotedSrcPort(),
                f.quotedDstHi(), f.quotedDstLo(), f.quotedDstPort());
        if (i < 0) {
            stats.icmpUnmatched++;
            return;
        }
        // Kept on the client side's words: one flag for the connection.
        long w = t.pmtu(i, false, W_PEND);
        boolean first = (flags(w) & MTU_REPORTED) == 0;
        t.pmtu(i, false, W_PEND, w | (MTU_REPORTED << FLAGS_SHIFT));
        listener.onPathMtu(attempt.at(i), f, first);
    }

    /** A segment of an established connection, other than SYN and RST. */
    void onSegment(int i, DecodedFrame f, boolean fromClient, long now) {
        if ((f.tcpFlags() & DecodedFrame.ACK) != 0) {
            // A client segment's ack is about the data the server sends, and the other way round.
            acked(i, fromClient, f.ack());
        }
        if (f.payloadLength() > 0) {
            sent(i, !fromClient, f.seq(), f.payloadLength(), now);
        }
    }

    /** The peer of the side that sends ({@code serverSends}) acknowledged up to {@code ack}. */
    private void acked(int i, boolean serverSends, int ack) {
        final ConnectionTable t = table;
        long seq = t.pmtu(i, serverSends, W_SEQ), pend = t.pmtu(i, serverSends, W_PEND);
        long fl = flags(pend);
        if ((fl & HAVE_ACK) != 0 && !after(ack, (int) (seq >>> 32))) {
            return;
        }
        t.pmtu(i, serverSends, W_SEQ, (seq & U32) | ((ack & U32) << 32));
        fl |= HAVE_ACK;
        if ((fl & HAVE_PEND) != 0 && !after((int) pend, ack)) {
            int pendLen = (int) ((pend >>> 32) & U16);
            long len = t.pmtu(i, serverSends, W_LEN);
            if (pendLen > ackedLen(len)) {
                t.pmtu(i, serverSends, W_LEN, (len & ~(U16 << 16)) | ((long) pendLen << 16));
            }
            fl &= ~HAVE_PEND;
        }
        // The head moved: whatever was being retransmitted got through.
        t.pmtu(i, serverSends, W_PEND, (pend & (U32 | (U16 << 32))) | (fl << FLAGS_SHIFT));
    }

    private void sent(int i, boolean serverSends, int seq, int payload, long now) {
        final ConnectionTable t = table;
        long seqs = t.pmtu(i, serverSends, W_SEQ), len = t.pmtu(i, serverSends, W_LEN),
                pend = t.pmtu(i, serverSends, W_PEND);
        long fl = flags(pend);
        int end = seq + payload;
        if ((fl & HAVE_NXT) != 0 && !after(end, (int) seqs)) {
            retransmitted(i, serverSends, seq, payload, now, seqs, len, pend);
            return;
        }
        t.pmtu(i, serverSends, W_SEQ, (seqs & ~U32) | (end & U32));
        fl |= HAVE_NXT;
        if (payload > maxLen(len)) {
            t.pmtu(i, serverSends, W_LEN, (len & ~U16) | Math.min(payload, U16));
        }
        if ((fl & HAVE_PEND) == 0 || payload > ((pend >>> 32) & U16)) {
            pend = (end & U32) | (Math.min(payload, U16) << 32) | (pend & (0xFFL << RETRANS_SHIFT));
            fl |= HAVE_PEND;
        }
        t.pmtu(i, serverSends, W_PEND, (pend & ~(0xFFL << FLAGS_SHIFT)) | (fl << FLAGS_SHIFT));
    }

    /** A segment that ends at or before the highest one sent: count it when it is the full-size head. */
    private void retransmitted(int i, boolean serverSends, int seq, int payload, long now, long seqs, long len,
                               long pend) {
        final ConnectionTable t = table;
        long fl = flags(pend);
        if ((fl & HAVE_ACK) == 0 || seq != (int) (seqs >>> 32) || payload != maxLen(len) || payload < FULL_SIZE_MIN) {
            return;
        }
        long established = t.established(i);
        if (established == ConnectionTable.NONE) {
            return;
        }
        int n = (int) ((pend >>> RETRANS_SHIFT) & 0xFF);
        long sinceMs = Math.max(0, (now - established) / 1_000_000L);
        if (n == 0) {
            len = (len & U32) | ((sinceMs & U32) << 32);
            t.pmtu(i, serverSends, W_LEN, len);
        }
        n = Math.min(255, n + 1);
        t.pmtu(i, serverSends, W_PEND, (pend & ~(0xFFL << RETRANS_SHIFT)) | ((long) n << RETRANS_SHIFT));
        long firstRetrans = established + (len >>> 32) * 1_000_000L;
        int acked = ackedLen(len);
        if (n >= MIN_RETRANSMISSIONS && now - firstRetrans >= MIN_SPAN_NANOS && acked > 0 && acked < payload
                && (fl & HOLE_REPORTED) == 0 && (flags(t.pmtu(i, false, W_PEND)) & MTU_REPORTED) == 0) {
            pend = t.pmtu(i, serverSends, W_PEND);
            t.pmtu(i, serverSends, W_PEND, pend | (HOLE_REPORTED << FLAGS_SHIFT));
            listener.onMtuBlackhole(attempt.at(i), serverSends, payload, acked, n, firstRetrans, now);
        }
    }

    private static long flags(long pend) {
        return (pend >>> FLAGS_SHIFT) & 0xFF;
    }

    private static int maxLen(long len) {
        return (int) (len & U16);
    }

    private static int ackedLen(long len) {
        return (int) ((len >>> 16) & U16);
    }

    /** Sequence-space order (RFC 9293 section 3.4): {@code a} is after {@code b}. */
    private static boolean after(int a, int b) {
        return a - b > 0;
    }
}
