package org.tapdoctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.DiagnosisListener;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.Sides;
import org.tapdoctor.track.TrackerConfig;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.TestPackets;

/**
 * Weeks on site, with time as a parameter: 50,000 distinct problems spread over 30 simulated days
 * flow through the live reporting path (frames, then the clock moved on every second as the live
 * service does) into the default 4,096-entry problem table. Every new problem is published within
 * its reporting interval, the box's memory stays flat (the heap after a full GC, the reporter's
 * and the table's holdings), and problems are retired as they age.
 */
class AgeingTest {
    static final long S = 1_000_000_000L, MS = 1_000_000L, EPOCH = 1_795_219_200_000_000_000L;
    static final int PROBLEMS = 50_000;
    static final long DAYS = 30;

    /** What was published, without keeping it: the latency of each new problem. */
    static final class Latency implements DiagnosisListener {
        final Map<String, Long> decided = new HashMap<>();
        long published, worstNanos, now;

        @Override
        public void diagnosis(Diagnosis d) {
            Long at = decided.remove(d.key());
            if (at != null) {
                published++;
                worstNanos = Math.max(worstNanos, now - at);
            }
        }
    }

    @Test
    void shouldReportEveryNewProblemForThirtyDaysWithoutGrowing() {
        // the default problems table; the tracker's other tables small, so that 2.6 million sweeps stay cheap
        TrackerConfig tracker = TrackerConfig.defaults().withTables(1024, 1024, 4096, 64, 64);
        EngineSettings settings = EngineSettings.defaults().withTracker(tracker);
        Latency l = new Latency();
        Engine engine = new Engine(settings, new Sides(List.of("tapA", "tapB")), l);
        long gap = DAYS * 86_400 * S / PROBLEMS;
        long now = EPOCH;
        List<Long> heapByDay = new ArrayList<>();
        int maxHeld = 0, maxProblems = 0;
        for (int k = 0; k < PROBLEMS; k++) {
            long at = EPOCH + k * gap;
            for (; now < at; now += S) { // the live loop: the clock moves on every second
                l.now = now;
                engine.advance(now);
            }
            String client = "2001:db8:c::" + Integer.toHexString(1 + k % 500);
            String server = "2001:db8:5::" + Integer.toHexString(1 + k);
            l.now = at;
            engine.track(TestPackets.tcp(at, client, 40000, server, 443, DecodedFrame.SYN, k, 0, 64, 65535, 0));
            long rst = at + MS;
            l.decided.put("refused [" + server + "]:443", rst);
            l.now = rst;
            engine.track(TestPackets.tcp(rst, server, 443, client, 40000, DecodedFrame.RST | DecodedFrame.ACK, 0, k + 1, 64, 0, 0));
            maxHeld = Math.max(maxHeld, engine.reporter().held());
            maxProblems = Math.max(maxProblems, engine.problems().size());
            if (k % (PROBLEMS / 10) == PROBLEMS / 10 - 1) {
                heapByDay.add(heapAfterFullGc());
            }
        }
        for (long end = now + 10 * S; now < end; now += S) {
            l.now = now;
            engine.advance(now);
        }
        System.out.printf("AgeingTest: %d problems over %d days: published %d, worst latency %d ms; held at most %d"
                        + " diagnoses, %d problems; retired %d groups; heap after full GC (MB) every 3 days: %s%n",
                PROBLEMS, DAYS, l.published, l.worstNanos / MS, maxHeld, maxProblems, engine.problems().retired(),
                heapByDay.stream().map(b -> String.format("%.1f", b / 1e6)).toList());
        assertEquals(PROBLEMS, l.published, "every new problem is published");
        assertEquals(0, l.decided.size(), "none left unpublished");
        assertTrue(l.worstNanos <= settings.report().tickNanos(), "published within its reporting interval: "
                + l.worstNanos / MS + " ms");
        assertTrue(engine.problems().retired() > PROBLEMS - 4096, "problems retire as they age: " + engine.problems().retired());
        assertEquals(0, engine.problems().evictions(), "ageing alone keeps the table from filling up");
        assertTrue(maxProblems < 4096 && maxHeld < 4096 + Kind.values().length, "bounded holdings: " + maxProblems
                + " problems, " + maxHeld + " diagnoses");
        long first = heapByDay.get(1), last = heapByDay.get(heapByDay.size() - 1);
        assertTrue(last - first < 8_000_000, "heap after a full GC grew from " + first + " to " + last + " bytes");
    }

    private static long heapAfterFullGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
