package org.tapdoctor.capture;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A single-producer single-consumer ring of captured frames between one capture thread and the
 * engine thread, in memory allocated once: {@code capacity} slots of {@code slotBytes} bytes each
 * (frames longer than a slot, which the snaplen prevents, are cut to it). When the ring is full
 * the new frame is dropped and counted: the capture thread never waits for the engine.
 *
 * <p>Caveats: exactly one thread may {@link #offer} and exactly one may {@link #poll}; the head
 * and tail are published with release/acquire ordering, so frame bytes written before an offer
 * are visible to the poll that sees it.
 */
public final class FrameRing {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(FrameRing.class, "head", long.class);
            TAIL = l.findVarHandle(FrameRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int mask;
    private final int slotBytes;
    private final byte[] slab;
    private final int[] lengths;
    private final int[] wireLengths;
    private final long[] times;
    private final byte[] frame;
    @SuppressWarnings("unused") // accessed through HEAD
    private volatile long head; // next slot to read (consumer)
    @SuppressWarnings("unused") // accessed through TAIL
    private volatile long tail; // next slot to write (producer)
    private volatile long dropped;

    /**
     * @param capacity slots, rounded up to a power of two
     * @param slotBytes the largest frame kept whole (the capture's snaplen)
     */
    public FrameRing(int capacity, int slotBytes) {
        if (capacity <= 0 || slotBytes <= 0) {
            throw new IllegalArgumentException("capacity and slotBytes must be > 0: " + capacity + ", " + slotBytes);
        }
        int slots = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.mask = slots - 1;
        this.slotBytes = slotBytes;
        this.slab = new byte[slots * slotBytes];
        this.lengths = new int[slots];
        this.wireLengths = new int[slots];
        this.times = new long[slots];
        this.frame = new byte[slotBytes];
    }

    /** Producer: copies a frame in; false (and counted) when the ring is full. */
    public boolean offer(byte[] bytes, int length, int wireLength, long timeNanos) {
        long t = (long) TAIL.getOpaque(this);
        long h = (long) HEAD.getAcquire(this);
        if (t - h > mask) {
            dropped++;
            return false;
        }
        int i = (int) t & mask;
        int n = Math.min(length, slotBytes);
        System.arraycopy(bytes, 0, slab, i * slotBytes, n);
        lengths[i] = n;
        wireLengths[i] = wireLength;
        times[i] = timeNanos;
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /** Consumer: the time of the oldest frame, or {@link Long#MAX_VALUE} when empty. */
    public long peekTime() {
        long h = (long) HEAD.getOpaque(this);
        if (h == (long) TAIL.getAcquire(this)) {
            return Long.MAX_VALUE;
        }
        return times[(int) h & mask];
    }

    /** Consumer: hands the oldest frame to {@code handler}; false when empty. */
    public boolean poll(FrameHandler handler, int linkType, int side) {
        long h = (long) HEAD.getOpaque(this);
        if (h == (long) TAIL.getAcquire(this)) {
            return false;
        }
        int i = (int) h & mask;
        int n = lengths[i];
        // Copied out so the slot is free again before the engine works on the frame.
        System.arraycopy(slab, i * slotBytes, frame, 0, n);
        int wire = wireLengths[i];
        long time = times[i];
        HEAD.setRelease(this, h + 1);
        handler.onFrame(frame, n, wire, time, linkType, side);
        return true;
    }

    /** Frames dropped because the engine fell behind (the ring was full). */
    public long dropped() {
        return dropped;
    }

    public int capacity() {
        return mask + 1;
    }

    /** Frames waiting. */
    public int size() {
        return (int) ((long) TAIL.getAcquire(this) - (long) HEAD.getAcquire(this));
    }
}
