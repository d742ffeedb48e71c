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
 * byte sent) while the client waited (docs/diagnosis-rules.md section 1): the application or a
 * middlebox refused the connection after accepting it; who, after how long.
 */
public final class Reset extends AttemptRule<Reset.Evidence> {
    /** The first reset: the RST's TTL, the connection's own SYN/ACK TTL, nanoseconds from the handshake. */
    private static final int RST_TTL = 0, SYN_ACK_TTL = 1, AFTER = 2;

    /**
     * @param rst who sent the RST, judged against the connection's own SYN/ACK
     * @param afterMs milliseconds from the completed handshake to the RST
     * @param clients distinct clients
     */
    public record Evidence(RstOrigin rst, long afterMs, Clients clients) implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            rst.writeFrom(w);
            w.put("after_ms", afterMs);
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
        }
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        // The reference is the connection's own SYN/ACK: the same path as its RST.
        RstOrigin rst = RstOrigin.judge((int) p.value(RST_TTL), (int) p.value(SYN_ACK_TTL));
        return new Evidence(rst, Math.max(0, p.value(AFTER)) / 1_000_000, p.clients());
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        return server + " accepted the connection, then " + (e.rst.fromMiddlebox() ? "a middlebox" : "the server")
                + " reset it " + e.afterMs + " ms later before any data: the application or a middlebox refused it";
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
