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
        /** Its capture thread came round at 100 ms: alive for the tests' clock unless a test says otherwise. */
        long aliveAt = 100 * MS;

        void frame(long stampNanos) {
            ring.offer(new byte[60], 60, 60, stampNanos);
        }

        @Override public FrameRing ring() { return ring; }
        @Override public boolean isOpen() { return open; }
        @Override public long watermark() { return watermark; }
        @Override public long aliveAt() { return aliveAt; }
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
        b.aliveAt = 0; // b's thread has not come round since
        assertEquals(-1, merge.next(merge.horizon(100 * MS + PortMerge.MAX_WAIT_NANOS - 1)));
        assertEquals(0, merge.next(merge.horizon(100 * MS + PortMerge.MAX_WAIT_NANOS)));
    }

    @Test
    void shouldWaitForAPortThatIsReadingABacklogHoweverFarItsWatermarkLags() {
        a.frame(100 * MS); // the RST, on the idle port
        a.watermark = 399 * MS;
        b.watermark = 90 * MS; // b reads a backlog 300 ms deep: the SYN before that RST is still in it
        b.aliveAt = 399 * MS;  // ... and its thread came round a millisecond ago
        assertEquals(-1, merge.next(merge.horizon(400 * MS)), "not taken for stalled: its older frames come first");
        assertEquals(0, merge.earlyWaitedOut());
        b.watermark = 101 * MS; // it has read past the RST's time
        assertEquals(0, merge.next(merge.horizon(400 * MS)));
        assertFalse(merge.early(a.ring.peekTime()));
        b.watermark = 90 * MS;
        b.aliveAt = 199 * MS; // now its thread has not come round for 201 ms: waited for no longer
        assertEquals(0, merge.next(merge.horizon(400 * MS)));
        assertTrue(merge.early(a.ring.peekTime()));
        assertEquals(1, merge.earlyWaitedOut());
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
        b.watermark = 50 * MS;
        b.aliveAt = 50 * MS; // b's thread last came round at 50 ms: waited for no longer at 250 ms
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

    /** A port whose watermark its capture thread keeps as LiveCapture does ({@link Watermark}). */
    static final class ReadingPort implements PortMerge.Port {
        final FrameRing ring = new FrameRing(256, 64);
        long now = 150 * MS;
        final Watermark watermark;

        ReadingPort(int every) {
            watermark = new Watermark(() -> now, every);
        }

        void read(long stampNanos) {
            ring.offer(new byte[60], 60, 60, stampNanos);
            watermark.frame(stampNanos);
        }

        @Override public FrameRing ring() { return ring; }
        @Override public boolean isOpen() { return true; }
        @Override public long watermark() { return watermark.value(); }
        @Override public long aliveAt() { return watermark.aliveAt(); }
    }

    @Test
    void shouldHandOnABackloggedPortsFramesWhileItsCaptureThreadIsStillReading() {
        ReadingPort flooded = new ReadingPort(64);
        TestPort idle = new TestPort();
        PortMerge m = new PortMerge(flooded, idle);
        idle.watermark = 150 * MS; // read dry a moment ago
        // one long read of a backlog: 100 frames 100 us apart, stamped 100.0 to 109.9 ms
        for (int i = 0; i < 64; i++) {
            flooded.read(100 * MS + i * 100_000L);
        }
        // the read goes on; what it has proved so far is published: frames up to 106.3 - 2 ms
        long horizon = m.horizon(150 * MS);
        assertEquals(106_300_000L - PortMerge.REORDER_NANOS, horizon);
        int handed = 0;
        while (m.next(horizon) == 0) {
            flooded.ring.poll((f, n, w, t, l, side) -> { }, 1, 0);
            handed++;
        }
        assertEquals(44, handed, "the frames stamped 100.0 to 104.3 ms, before the read has ended");
        for (int i = 64; i < 100; i++) {
            flooded.read(100 * MS + i * 100_000L);
        }
        flooded.watermark.endOfRead(100, false, 100 * MS);
        assertEquals(109_900_000L - PortMerge.REORDER_NANOS, m.horizon(150 * MS));
    }

    @Test
    void shouldPublishEveryEngineBatchDuringARead() {
        long[] now = {150 * MS};
        Watermark w = new Watermark(() -> now[0]);
        w.cameRound();
        for (int i = 0; i < Watermark.EVERY - 1; i++) {
            w.frame(100 * MS + i * 10_000L); // a backlog, 10 us apart
        }
        now[0] = 160 * MS;
        assertEquals(Long.MIN_VALUE, w.value(), "511 frames into the read: nothing published yet");
        assertEquals(150 * MS, w.aliveAt());
        w.frame(100 * MS + 511 * 10_000L);
        assertEquals(100 * MS + 511 * 10_000L - PortMerge.REORDER_NANOS, w.value(), "the 512th frame publishes");
        assertEquals(160 * MS, w.aliveAt(), "and shows the thread reading");
        for (int i = 512; i < 1023; i++) {
            w.frame(100 * MS + i * 10_000L);
        }
        assertEquals(100 * MS + 511 * 10_000L - PortMerge.REORDER_NANOS, w.value());
        w.endOfRead(1023, false, 100 * MS);
        assertEquals(100 * MS + 1022 * 10_000L - PortMerge.REORDER_NANOS, w.value(), "the read's end publishes its last frame");
    }

    @Test
    void shouldPublishWhatADryReadProves() {
        Watermark w = new Watermark(() -> 100 * MS);
        w.endOfRead(0, false, 100 * MS); // interrupted before any frame: proves nothing
        assertEquals(Long.MIN_VALUE, w.value());
        assertEquals(Long.MIN_VALUE, w.aliveAt());
        w.endOfRead(0, true, 100 * MS); // nothing ready when the read began at 100 ms
        assertEquals(100 * MS - PortMerge.REORDER_NANOS, w.value());
        assertEquals(100 * MS, w.aliveAt());
        w.frame(90 * MS); // a frame older than the watermark does not move it back
        w.endOfRead(1, true, 95 * MS);
        assertEquals(100 * MS - PortMerge.REORDER_NANOS, w.value());
    }

    @Test
    void shouldGiveNothingWhenBothRingsAreEmpty() {
        a.watermark = 100 * MS;
        b.watermark = 100 * MS;
        assertEquals(-1, merge.next(merge.horizon(101 * MS)));
    }
}
