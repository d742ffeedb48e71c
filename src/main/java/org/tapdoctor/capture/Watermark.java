package org.tapdoctor.capture;

/**
 * A capture thread's watermark for the {@link PortMerge}: every frame the kernel stamped before it
 * is in the port's ring. One NIC's socket gives its frames in stamp order, so after a frame
 * stamped T everything before T (less {@link PortMerge#REORDER_NANOS}) is in; after a read that
 * found nothing, everything stamped before the read began is.
 *
 * <p>Published every {@link #EVERY} frames during a read, not only at its end: under a flood one
 * read takes up to the ring's room (thousands of frames, milliseconds, more when the thread is
 * descheduled), and a watermark that stood still meanwhile held every frame of that read, and
 * every frame of the other port stamped after the read began, until the read ended: the engine
 * idled while the ring filled, then the capture thread idled while the engine drained it.
 * Two volatile stores per {@link #EVERY} frames; written by the capture thread only.
 *
 * <p>It also says when the thread last showed it was reading ({@link #aliveAt()}: a publication,
 * or the loop coming round), so that the merge tells a port whose thread is not scheduled from one
 * that is reading a backlog: the second's watermark lags as far behind the clock as its backlog,
 * and it is waited for.
 */
final class Watermark {
    /**
     * Frames between two publications during a read: the engine's batch ({@code LiveService}
     * drains at most 512 frames a round). Measured against 64 in live-latency.sh (src/bench/README.md).
     */
    static final int EVERY = 512;
    private final java.util.function.LongSupplier clock;
    private final int every;
    private volatile long value = Long.MIN_VALUE;
    private volatile long aliveAt = Long.MIN_VALUE;
    /** The stamp of the last frame read (capture thread only). */
    private long lastStamp = Long.MIN_VALUE;
    private int unpublished;

    /** @param clock the merge's clock (the service's), in which {@link #aliveAt()} is given */
    Watermark(java.util.function.LongSupplier clock) {
        this(clock, EVERY);
    }

    /** @param every frames between two publications during a read */
    Watermark(java.util.function.LongSupplier clock, int every) {
        this.clock = clock;
        this.every = every;
    }

    /** The capture loop came round (at open, after every read, with the ring full or not). */
    void cameRound() {
        aliveAt = clock.getAsLong();
    }

    /** A frame stamped {@code stamp} was put into the ring. */
    void frame(long stamp) {
        lastStamp = stamp;
        if (++unpublished >= every) {
            publish(stamp - PortMerge.REORDER_NANOS);
        }
    }

    /**
     * A read ended after {@code frames} frames; {@code dry} if the socket had no more, the read
     * having begun at {@code readStart} (in the stamps' time base).
     */
    void endOfRead(int frames, boolean dry, long readStart) {
        if (frames > 0 || dry) {
            publish((dry ? Math.max(readStart, lastStamp) : lastStamp) - PortMerge.REORDER_NANOS);
        }
    }

    private void publish(long caughtUp) {
        unpublished = 0;
        if (caughtUp > value) {
            value = caughtUp;
        }
        cameRound();
    }

    /** Every frame stamped before this is in the ring; {@link Long#MIN_VALUE} before the first read. */
    long value() {
        return value;
    }

    /** The clock when the thread last read or came round; {@link Long#MIN_VALUE} before. */
    long aliveAt() {
        return aliveAt;
    }
}
