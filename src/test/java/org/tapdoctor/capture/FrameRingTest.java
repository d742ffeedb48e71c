package org.tapdoctor.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class FrameRingTest {

    private static byte[] frame(int n, int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) n);
        return b;
    }

    @Test
    void shouldHandFramesBackInOrderWithTheirMetadata() {
        FrameRing ring = new FrameRing(4, 64);
        assertEquals(Long.MAX_VALUE, ring.peekTime());
        for (int n = 1; n <= 3; n++) {
            assertTrue(ring.offer(frame(n, 10 + n), 10 + n, 100 + n, 1000L * n));
        }
        assertEquals(1000L, ring.peekTime());
        List<String> seen = new ArrayList<>();
        while (ring.poll((b, len, wire, t, link, side) -> {
            assertArrayEquals(frame((int) (t / 1000), len), Arrays.copyOf(b, len));
            seen.add(len + "/" + wire + "@" + t + " link " + link + " side " + side);
        }, 1, 7)) {
            // drain
        }
        assertEquals(List.of("11/101@1000 link 1 side 7", "12/102@2000 link 1 side 7", "13/103@3000 link 1 side 7"), seen);
    }

    @Test
    void shouldDropAndCountWhenFullInsteadOfWaiting() {
        FrameRing ring = new FrameRing(4, 64);
        for (int n = 0; n < 4; n++) {
            assertTrue(ring.offer(frame(n, 8), 8, 8, n));
        }
        assertFalse(ring.offer(frame(9, 8), 8, 8, 9));
        assertEquals(1, ring.dropped());
        assertEquals(4, ring.size());
    }

    @Test
    void shouldCutFramesLongerThanASlot() {
        FrameRing ring = new FrameRing(2, 16);
        ring.offer(frame(5, 40), 40, 1500, 1);
        ring.poll((b, len, wire, t, link, side) -> {
            assertEquals(16, len);
            assertEquals(1500, wire);
        }, 1, 0);
    }

    @Test
    void shouldWrapAroundManyTimesWithoutLosingOrder() {
        FrameRing ring = new FrameRing(8, 32);
        AtomicLong next = new AtomicLong();
        for (long t = 0; t < 10_000; t++) {
            assertTrue(ring.offer(frame((int) (t & 0x7F), 20), 20, 20, t));
            if (t % 3 != 0) {
                ring.poll((b, len, wire, time, link, side) -> assertEquals(next.getAndIncrement(), time), 1, 0);
            }
            if (ring.size() > 6) {
                while (ring.poll((b, len, wire, time, link, side) -> assertEquals(next.getAndIncrement(), time), 1, 0)) {
                    // drain
                }
            }
        }
        assertEquals(0, ring.dropped());
    }

    @Test
    void shouldPassFramesBetweenTwoThreadsIntact() throws Exception {
        FrameRing ring = new FrameRing(256, 64);
        int total = 200_000;
        Thread producer = new Thread(() -> {
            byte[] b = new byte[64];
            for (int n = 0; n < total; n++) {
                Arrays.fill(b, (byte) n);
                while (!ring.offer(b, 1 + (n % 64), n, n)) {
                    Thread.onSpinWait();
                }
            }
        });
        producer.start();
        AtomicLong expected = new AtomicLong();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (expected.get() < total && System.nanoTime() < deadline) {
            ring.poll((b, len, wire, t, link, side) -> {
                long n = expected.getAndIncrement();
                assertEquals(n, t);
                assertEquals(1 + (n % 64), len);
                for (int k = 0; k < len; k++) {
                    assertEquals((byte) n, b[k]);
                }
            }, 1, 0);
        }
        producer.join();
        assertEquals(total, expected.get());
    }

    @Test
    void shouldNotAllocatePerFrame() {
        FrameRing ring = new FrameRing(1024, 256);
        byte[] b = frame(1, 200);
        FrameHandler sinkHole = (x, len, wire, t, link, side) -> { };
        for (int n = 0; n < 200_000; n++) {
            ring.offer(b, 200, 200, n);
            ring.poll(sinkHole, 1, 0);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int n = 0; n < 200_000; n++) {
            ring.offer(b, 200, 200, n);
            ring.poll(sinkHole, 1, 0);
        }
        long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes for 200,000 frames");
    }
}
