package org.tapdoctor.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The merge of two ports' rings by their capture threads' watermarks, time as a parameter. */
class PortMergeTest {
    private static final long MS = 1_000_000L;

    /** A port as its capture thread leaves it: a real ring, open or not, a watermark. */
    static final class TestPort implements PortMerge.Port {
        final FrameRing ring = new FrameRing(16, 64);
        boolean open = true;
        long watermark = Long.MIN_VALUE;

        void frame(long stampNanos) {
            ring.offer(new byte[60], 60, 60, stampNanos);
        }

        @Override public FrameRing ring() { return ring; }
        @Override public boolean isOpen() { return open; }
        @Override public long watermark() { return watermark; }
    }

    private final TestPort a = new TestPort(), b = new TestPort();
    private final PortMerge merge = new PortMerge(a, b);

    @Test
    void shouldHoldAFrameOnlyUntilTheOtherPortHasCaughtUp() {
        a.frame(100 * MS);
        a.watermark = 100 * MS;
        b.watermark = 99 * MS; // b's thread last read at 99 ms: an older frame may still come
        assertEquals(-1, merge.next(merge.horizon(101 * MS)));
        b.watermark = 101 * MS; // b read again and found nothing older
        assertEquals(0, merge.next(merge.horizon(102 * MS)));
    }

    @Test
    void shouldHandOnALateOlderFrameFirst() {
        a.frame(100 * MS);
        a.watermark = 100 * MS;
        b.frame(95 * MS); // stamped before a's frame, delivered after it (b's thread ran late)
        b.watermark = 101 * MS;
        long horizon = merge.horizon(102 * MS);
        assertEquals(1, merge.next(horizon));
        b.ring.poll((f, n, w, t, l, s) -> { }, 1, 1);
        assertEquals(0, merge.next(horizon));
    }

    @Test
    void shouldStopWaitingForAStalledPortAfterTheMaximumWait() {
        a.frame(100 * MS);
        a.watermark = 100 * MS;
        b.watermark = 0;
        assertEquals(-1, merge.next(merge.horizon(100 * MS + PortMerge.MAX_WAIT_NANOS - 1)));
        assertEquals(0, merge.next(merge.horizon(100 * MS + PortMerge.MAX_WAIT_NANOS)));
    }

    @Test
    void shouldNotWaitForAPortThatIsNotOpen() {
        a.frame(100 * MS);
        a.watermark = 100 * MS;
        b.watermark = 0;
        b.open = false; // unplugged, being reopened
        assertEquals(0, merge.next(merge.horizon(101 * MS)));
    }

    @Test
    void shouldDrainARingThreeQuartersFullRatherThanDrop() {
        b.watermark = 0;
        for (int i = 0; i < 11; i++) {
            a.frame((100 + i) * MS);
        }
        a.watermark = 111 * MS;
        assertEquals(-1, merge.next(merge.horizon(112 * MS)), "11 of 16: still waiting for b");
        a.frame(111 * MS);
        assertEquals(0, merge.next(merge.horizon(112 * MS)), "12 of 16: drained regardless");
    }

    @Test
    void shouldCountTheFramesHandedOnBeforeEveryPortHadCaughtUp() {
        a.frame(100 * MS);
        a.watermark = 101 * MS;
        b.watermark = 101 * MS;
        merge.horizon(102 * MS);
        assertFalse(merge.early(a.ring.peekTime()), "both ports past it: in order");
        b.watermark = 50 * MS; // b's thread last came round 150 ms ago: waited for no longer at 250 ms
        merge.horizon(100 * MS + PortMerge.MAX_WAIT_NANOS);
        assertTrue(merge.early(a.ring.peekTime()));
        assertEquals(1, merge.earlyWaitedOut());
        assertEquals(0, merge.earlyFull());
        for (int i = 1; i < 12; i++) {
            a.frame((100 + i) * MS);
        }
        assertEquals(Long.MAX_VALUE, merge.horizon(112 * MS), "12 of 16: drained regardless");
        assertTrue(merge.early(a.ring.peekTime()));
        assertEquals(1, merge.earlyFull());
    }

    @Test
    void shouldGiveNothingWhenBothRingsAreEmpty() {
        a.watermark = 100 * MS;
        b.watermark = 100 * MS;
        assertEquals(-1, merge.next(merge.horizon(101 * MS)));
    }
}
