package org.tapdoctor.diagnose.kinds;

import java.util.Locale;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.EvidenceWriter;
import org.tapdoctor.diagnose.Facts;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.diagnose.Problem;
import org.tapdoctor.diagnose.ProblemRule;
import org.tapdoctor.diagnose.Severity;
import org.tapdoctor.track.Attempt;

/**
 * {@code zero_window}: a side advertised window 0 and kept it for at least {@code
 * tcp.zero-window-min} (docs/diagnosis-rules.md section 4): its application is not reading
 * (overloaded or stalled). Aggregated per (server, port, side): the problem's extra key is 1 for
 * the server's window, 0 for the client's.
 */
public final class ZeroWindow extends ProblemRule<ZeroWindow.Evidence> {
    /** The longest stall (nanoseconds) and the zero-window segments over all stalls. */
    private static final int LONGEST = 0, SEGMENTS = 1, ENDED_BY_RST = 2;

    /**
     * @param serverSide the server's receive window was closed (else the client's)
     * @param durationMs the longest stall
     * @param segments zero-window segments over the stalls
     * @param endedByRst a stall ended with that side's RST, its window still closed (the data it
     *        never read was thrown away): evidence of this stall, not a {@code reset} of its own
     */
    public record Evidence(boolean serverSide, long durationMs, int segments, boolean endedByRst)
            implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put("side", serverSide ? "server" : "client");
            w.put("duration_ms", durationMs);
            w.put("zero_window_segments", segments);
            if (endedByRst) {
                w.put("ended_by", "rst");
            }
        }
    }

    public ZeroWindow(Kind kind) {
        super(kind, Severity.WARNING, "a receiver advertised a zero window for a long time", Evidence.class);
    }

    /** The problem's extra key: which side's window. */
    public static long side(boolean serverSide) {
        return serverSide ? 1 : 0;
    }

    @Override
    public boolean foldsByHost() {
        return true;
    }

    /** Records one stall of a connection's window, from {@code since} to {@code until}. */
    public void record(Problem p, Attempt a, long since, long until, int segments, boolean endedByRst) {
        p.occurrence(since, until, a.clientHi(), a.clientLo(), a.clientPort(), a.clientSide());
        p.value(LONGEST, Math.max(p.value(LONGEST), until - since));
        p.value(SEGMENTS, Math.max(0, p.value(SEGMENTS)) + segments);
        if (endedByRst) {
            p.value(ENDED_BY_RST, 1);
        }
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        return new Evidence(p.extra() == 1, Math.max(0, p.value(LONGEST)) / 1_000_000, (int) Math.max(0, p.value(SEGMENTS)),
                p.value(ENDED_BY_RST) == 1);
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        return "the " + (e.serverSide ? "server " + server : "client " + client) + " advertised a zero window for "
                + String.format(Locale.ROOT, "%.1f", e.durationMs / 1000.0) + " s" + (e.endedByRst ? ", then reset the connection with the data unread" : "")
                + ": its application is not reading (overloaded or stalled)";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "ZERO WIN";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return (e.serverSide ? "server" : "client") + " win 0 " + e.durationMs / 1000 + "s";
    }

    /** The side whose window closed is where the stalled application runs. */
    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return e.serverSide ? Fault.BEYOND_TAP : Fault.CLIENT_SIDE;
    }

    /** The connection's segments from any time: it began before the window closed. */
    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return FrameSelection.attempts(d, null, FrameSelection.TCP).sinceStart();
    }
}
