package org.tapdoctor.diagnose.kinds;

import org.tapdoctor.diagnose.AttemptRule;
import org.tapdoctor.diagnose.Clients;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.EvidenceWriter;
import org.tapdoctor.diagnose.Facts;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.Lcd;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.diagnose.Problem;
import org.tapdoctor.diagnose.RstOrigin;
import org.tapdoctor.diagnose.Severity;
import org.tapdoctor.track.Attempt;
import org.tapdoctor.track.Outcome;
import org.tapdoctor.wire.DecodedFrame;

/**
 * {@code reset}: the handshake completed, then the server side reset (its RST from its ISN+1, no
 * byte sent) while the client waited, or a device whose hop distance is not the server's reset or
 * closed it right after the client's first request (docs/diagnosis-rules.md section 1): the
 * application or a middlebox (a content filter, an IPS) refused the connection after accepting
 * it; who, after how long, and whether the client had sent its request.
 */
public final class Reset extends AttemptRule<Reset.Evidence> {
    /**
     * The first reset: the RST's TTL, the connection's own SYN/ACK TTL, nanoseconds from the
     * handshake, the client's bytes ({@link #NO_REQUEST}, {@link #BYTES_UNKNOWN}), nanoseconds from
     * the request, 1 when a FIN (not a RST) ended it.
     */
    private static final int RST_TTL = 0, SYN_ACK_TTL = 1, AFTER = 2, CLIENT_BYTES = 3, SINCE_REQUEST = 4, BY_FIN = 5;
    private static final long NO_REQUEST = -1, BYTES_UNKNOWN = -2;

    /**
     * @param rst who sent the RST, judged against the connection's own SYN/ACK
     * @param afterMs milliseconds from the completed handshake to the RST
     * @param afterRequest the client had sent data (its request) before the RST
     * @param clientBytes the bytes the client had sent, -1 when unknown
     * @param sinceRequestMs milliseconds from the client's first request (when seen) to the RST, else -1
     * @param byFin a FIN (from a middlebox) ended the connection, not a RST
     * @param clients distinct clients
     */
    public record Evidence(RstOrigin rst, long afterMs, boolean afterRequest, long clientBytes, long sinceRequestMs,
                           boolean byFin, Clients clients) implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            rst.writeFrom(w);
            w.put("after_ms", afterMs);
            w.put("after_request", afterRequest);
            if (clientBytes >= 0) {
                w.put("client_bytes", clientBytes);
            }
            if (byFin) {
                w.put("ended_by", "fin");
            }
            rst.writeTtls(w);
            clients.write(w);
        }

        @Override
        public void writeKeptByHostFold(EvidenceWriter w) {
            rst.writeFrom(w);
        }
    }

    public Reset(Kind kind) {
        super(kind, Severity.CRITICAL, "handshake completed, then the server side reset before sending any data",
                Evidence.class);
    }

    @Override
    public java.util.Set<Outcome> outcomes() {
        return java.util.Set.of(Outcome.RESET);
    }

    @Override
    public boolean foldsByHost() {
        return true;
    }

    @Override
    protected void record(Problem p, Attempt a, long time, DecodedFrame rst) {
        if (p.value(AFTER) < 0) {
            p.value(RST_TTL, rst != null ? rst.ttl() : -1);
            p.value(SYN_ACK_TTL, a.serverTtl());
            p.value(AFTER, time - a.established());
            p.value(CLIENT_BYTES, clientBytes(a, rst));
            p.value(SINCE_REQUEST, a.request() != null ? time - a.request().time() : -1);
            p.value(BY_FIN, rst != null && (rst.tcpFlags() & DecodedFrame.RST) == 0 ? 1 : 0);
        }
    }

    /**
     * What the client had sent: the RST's acknowledgment minus the client's ISN + 1 when it
     * acknowledges data (a stack's RST), else the request seen ({@link #BYTES_UNKNOWN} when it was
     * not), {@link #NO_REQUEST} when nothing shows a request.
     */
    static long clientBytes(Attempt a, DecodedFrame rst) {
        long acked = rst != null && (rst.tcpFlags() & DecodedFrame.ACK) != 0
                ? (rst.ack() - (a.clientIsn() + 1)) & 0xFFFF_FFFFL : 0;
        if (acked > 0 && acked < 1L << 31) {
            return acked;
        }
        return a.request() != null ? a.request().clientBytes() : NO_REQUEST;
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        // The reference is the connection's own SYN/ACK: the same path as its RST.
        RstOrigin rst = RstOrigin.judge((int) p.value(RST_TTL), (int) p.value(SYN_ACK_TTL));
        long bytes = p.value(CLIENT_BYTES);
        long since = p.value(SINCE_REQUEST);
        return new Evidence(rst, Math.max(0, p.value(AFTER)) / 1_000_000, bytes != NO_REQUEST, Math.max(-1, bytes),
                since >= 0 ? since / 1_000_000 : -1, p.value(BY_FIN) == 1, p.clients());
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        String who = e.rst.fromMiddlebox() ? "a middlebox" : "the server";
        String how = e.byFin ? " closed it " : " reset it ";
        if (!e.afterRequest) {
            return server + " accepted the connection, then " + who + how + e.afterMs
                    + " ms later before any data: the application or a middlebox refused it";
        }
        String sent = e.clientBytes >= 0 ? "its " + e.clientBytes + "-byte request" : "its request";
        long ms = e.sinceRequestMs >= 0 ? e.sinceRequestMs : e.afterMs;
        return server + " accepted the connection, then " + who + how + ms + " ms after the client sent " + sent
                + ", before any answer: " + (e.rst.fromMiddlebox()
                        ? "a content filter or IPS between the tap and the server blocked the request"
                        : "the application refused the request");
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "RESET";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return "reset by " + Lcd.from(e.rst) + " " + e.afterMs + "ms";
    }

    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return e.rst.fromMiddlebox() ? Fault.MIDDLEBOX : Fault.BEYOND_TAP;
    }

    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return FrameSelection.attempts(d, e.clients, FrameSelection.TCP);
    }
}
