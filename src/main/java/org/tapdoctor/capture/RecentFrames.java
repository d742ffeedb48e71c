package org.tapdoctor.capture;

/**
 * The most recent frames the engine saw, kept for evidence files: one byte slab allocated once
 * plus parallel metadata arrays (slab position, time, captured length, wire length, link type and
 * side). Adding a frame copies its bytes in and forgets the oldest frames whose bytes it
 * overwrites, or the oldest one when every metadata slot is in use; it allocates nothing.
 *
 * <p>Sizing: {@code budgetBytes} is the whole memory of the ring. One metadata slot
 * ({@value #SLOT_BYTES} bytes) is reserved per {@value #BYTES_PER_SLOT} bytes of budget, rounded
 * down to a power of two; the slab gets the rest. Frames of {@value #BYTES_PER_SLOT} bytes or more
 * on average (a SYN over Ethernet is 74) run out of slab before slots. A frame is kept up to
 * {@value #MAX_FRAME} bytes (and at most the slab's length); the rest is cut, as a snaplen would.
 *
 * <p>Layout: frames are written one after the other at increasing virtual positions; a frame never
 * straddles the slab's end (the tail is skipped, which counts as used). A frame is live while its
 * virtual start is within {@code slab.length} bytes of the newest frame's end.
 *
 * <p>Caveats: not thread-safe. Live, it is filled and read on the engine thread only (frames are
 * added as they are handed to the engine, and evidence is read when diagnoses are published).
 */
public final class RecentFrames {
    /** The default of {@code evidence.ring-bytes}: 16 MiB. */
    public static final int DEFAULT_BYTES = 16 << 20;
    /** Metadata per slot: start (8), time (8), captured length (4), wire length (4), link type and side (4). */
    static final int SLOT_BYTES = 28;
    /** Budget per metadata slot (slot plus 64 bytes of slab). */
    static final int BYTES_PER_SLOT = SLOT_BYTES + 64;
    /** The smallest budget accepted. */
    public static final int MIN_BUDGET = 64 * 1024;
    /** The longest frame kept whole: the largest snaplen of a live capture. */
    public static final int MAX_FRAME = 65535;

    private final byte[] slab;
    private final int mask;
    private final long[] starts;
    private final long[] times;
    private final int[] lengths;
    private final int[] wireLengths;
    /** Link type in the high 16 bits, side + 1 in the low 16 (side -1, unknown, is 0). */
    private final int[] linkAndSide;
    private final byte[] scratch;
    private long head; // oldest live frame
    private long tail; // next frame
    private long end;  // virtual end of the newest frame's bytes
    private long added;

    /** @param budgetBytes memory of the ring, metadata included; at least {@link #MIN_BUDGET} */
    public RecentFrames(int budgetBytes) {
        if (budgetBytes < MIN_BUDGET) {
            throw new IllegalArgumentException("budget too small: " + budgetBytes + " bytes (expected: >= " + MIN_BUDGET + ")");
        }
        int slots = Integer.highestOneBit(budgetBytes / BYTES_PER_SLOT);
        this.mask = slots - 1;
        this.slab = new byte[budgetBytes - slots * SLOT_BYTES];
        this.starts = new long[slots];
        this.times = new long[slots];
        this.lengths = new int[slots];
        this.wireLengths = new int[slots];
        this.linkAndSide = new int[slots];
        this.scratch = new byte[Math.min(MAX_FRAME, slab.length)];
    }

    /** Copies a frame in (cut to {@link #MAX_FRAME}), forgetting the oldest ones to make room. */
    public void add(byte[] frame, int length, int wireLength, long timeNanos, int linkType, int side) {
        final int capacity = slab.length;
        int n = Math.min(Math.max(length, 0), scratch.length);
        long start = end;
        int offset = (int) (start % capacity);
        if (offset + n > capacity) {
            start += capacity - offset; // skip the tail: frames never straddle the end
            offset = 0;
        }
        long newEnd = start + n;
        if (tail - head > mask) {
            head++;
        }
        while (head < tail && starts[(int) head & mask] < newEnd - capacity) {
            head++;
        }
        int i = (int) tail & mask;
        System.arraycopy(frame, 0, slab, offset, n);
        starts[i] = start;
        times[i] = timeNanos;
        lengths[i] = n;
        wireLengths[i] = wireLength;
        linkAndSide[i] = (linkType << 16) | ((side + 1) & 0xFFFF);
        tail++;
        end = newEnd;
        added++;
    }

    /** A handler that adds each frame here, then hands it on to {@code next}. Allocated once, by the caller. */
    public FrameHandler tee(FrameHandler next) {
        return (frame, length, wireLength, timeNanos, linkType, side) -> {
            add(frame, length, wireLength, timeNanos, linkType, side);
            next.onFrame(frame, length, wireLength, timeNanos, linkType, side);
        };
    }

    /** Hands every live frame to {@code handler}, oldest first; the bytes are valid during the call only. */
    public void forEach(FrameHandler handler) {
        for (long s = head; s < tail; s++) {
            int i = (int) s & mask;
            int n = lengths[i];
            System.arraycopy(slab, (int) (starts[i] % slab.length), scratch, 0, n);
            int ls = linkAndSide[i];
            handler.onFrame(scratch, n, wireLengths[i], times[i], ls >>> 16, (ls & 0xFFFF) - 1);
        }
    }

    /** Frames held now. */
    public int size() {
        return (int) (tail - head);
    }

    /** Frames ever added. */
    public long added() {
        return added;
    }

    /** Metadata slots: the most frames the ring can hold. */
    public int slots() {
        return mask + 1;
    }

    /** Bytes of frame data the ring can hold. */
    public int slabBytes() {
        return slab.length;
    }
}
