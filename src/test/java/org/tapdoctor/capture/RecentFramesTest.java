package org.tapdoctor.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class RecentFramesTest {
    private static final int BUDGET = RecentFrames.MIN_BUDGET;

    private static byte[] frame(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    private static List<RecordingHandler.Frame> contents(RecentFrames ring) {
        RecordingHandler h = new RecordingHandler();
        ring.forEach(h);
        return h.frames;
    }

    @Test
    void shouldSizeSlabAndSlotsFromTheBudget() {
        RecentFrames ring = new RecentFrames(16 * 1024 * 1024);
        assertEquals(131072, ring.slots());
        assertEquals(16 * 1024 * 1024 - 131072 * RecentFrames.SLOT_BYTES, ring.slabBytes());
        assertThrows(IllegalArgumentException.class, () -> new RecentFrames(1000));
    }

    @Test
    void shouldGiveBackExactBytesAndMetadataOldestFirst() {
        RecentFrames ring = new RecentFrames(BUDGET);
        byte[] a = frame(74, 1), b = frame(60, 2);
        ring.add(a, a.length, 74, 1_000L, 1, 0);
        ring.add(b, b.length, 1514, 2_000L, 113, -1);
        List<RecordingHandler.Frame> got = contents(ring);
        assertEquals(List.of(new RecordingHandler.Frame(a, 74, 1_000L, 1, 0),
                new RecordingHandler.Frame(b, 1514, 2_000L, 113, -1)), got);
    }

    @Test
    void shouldKeepTheNewestFramesAcrossWrapAroundLikeABoundedQueue() {
        RecentFrames ring = new RecentFrames(BUDGET);
        int slab = ring.slabBytes();
        SplittableRandom random = new SplittableRandom(7);
        Deque<RecordingHandler.Frame> model = new ArrayDeque<>();
        long modelBytes = 0;
        for (int k = 0; k < 20_000; k++) {
            int n = random.nextInt(0, 1600);
            byte[] f = frame(n, k);
            ring.add(f, n, n + 4, k, 1, k & 1);
            model.addLast(new RecordingHandler.Frame(f, n + 4, k, 1, k & 1));
            modelBytes += n;
            // The ring keeps a suffix of what was added: never more bytes than the slab, never more
            // frames than the slots, and at most a skipped tail and one cut-into frame less than the slab.
            List<RecordingHandler.Frame> got = k % 97 == 0 ? contents(ring) : null;
            while (model.size() > ring.size()) {
                modelBytes -= model.removeFirst().bytes().length;
            }
            assertTrue(modelBytes <= slab, "held " + modelBytes + " bytes in a slab of " + slab);
            assertTrue(ring.size() <= ring.slots());
            if (got != null) {
                assertEquals(new ArrayList<>(model), got, "after frame " + k);
                assertTrue(ring.added() == ring.size() || modelBytes >= slab - 2 * 1600,
                        "forgot too much: " + modelBytes + " bytes held");
            }
        }
        assertEquals(new ArrayList<>(model), contents(ring));
        assertEquals(20_000, ring.added());
    }

    @Test
    void shouldForgetTheOldestWhenSlotsRunOut() {
        RecentFrames ring = new RecentFrames(BUDGET);
        byte[] tiny = frame(1, 0);
        for (int k = 0; k < ring.slots() + 5; k++) {
            ring.add(tiny, 1, 1, k, 1, 0);
        }
        List<RecordingHandler.Frame> got = contents(ring);
        assertEquals(ring.slots(), got.size());
        assertEquals(5L, got.get(0).timeNanos());
    }

    @Test
    void shouldCutFramesLongerThanTheLongestKept() {
        RecentFrames ring = new RecentFrames(1 << 20);
        byte[] jumbo = frame(70_000, 3);
        ring.add(jumbo, jumbo.length, jumbo.length, 1, 1, 0);
        RecordingHandler.Frame f = contents(ring).get(0);
        assertArrayEquals(java.util.Arrays.copyOf(jumbo, RecentFrames.MAX_FRAME), f.bytes());
        assertEquals(70_000, f.wireLength());
    }

    @Test
    void shouldAllocateNothingPerFrame() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation counting not supported");
        threads.setThreadAllocatedMemoryEnabled(true);
        RecentFrames ring = new RecentFrames(BUDGET);
        FrameHandler sink = (frame, length, wireLength, timeNanos, linkType, side) -> { };
        FrameHandler tee = ring.tee(sink);
        byte[][] frames = new byte[64][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = frame(60 + i * 23, i);
        }
        for (int k = 0; k < 200_000; k++) { // warm-up: JIT
            byte[] f = frames[k & 63];
            tee.onFrame(f, f.length, f.length, k, 1, k & 1);
        }
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int k = 0; k < 1_000_000; k++) {
            byte[] f = frames[k & 63];
            tee.onFrame(f, f.length, f.length, k, 1, k & 1);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < 1024, allocated + " bytes allocated by 1000000 frames (expected: < 1024)");
    }
}
