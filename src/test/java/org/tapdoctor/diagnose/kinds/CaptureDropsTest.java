package org.tapdoctor.diagnose.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.KindTest;

class CaptureDropsTest {
    static final long S = 1_000_000_000L;

    @Test
    @KindTest(Kind.CAPTURE_DROPS)
    void shouldReportDropsWhenTheyGrowAtMostOncePerRepeatInterval() {
        CaptureDrops.Watch w = new CaptureDrops.Watch(60 * S);
        assertNull(w.check("tapA", 0, 0, 0, 0), "nothing dropped: nothing to say");
        Diagnosis d = w.check("tapA", 10, 0, 5, S);
        assertEquals(15L, d.evidence().get("dropped"));
        assertEquals(10L, d.evidence().get("kernel_drops"));
        assertEquals(5L, d.evidence().get("ring_drops"));
        assertEquals("15 frames captured on tapA were dropped before analysis: diagnoses may be incomplete", d.summary());
        assertNull(w.check("tapA", 20, 0, 5, 30 * S), "grew, but within the repeat interval");
        assertEquals(10L, w.check("tapA", 20, 0, 5, 61 * S).evidence().get("dropped"), "what was dropped since the last report");
        assertNull(w.check("tapA", 20, 0, 5, 200 * S), "no growth, no report");
        assertEquals(3L, w.check("tapB", 0, 3, 0, 200 * S).evidence().get("dropped"), "each NIC on its own");
    }
}
