package org.tapdoctor.capture;

/**
 * Merges the frames of the bridge's ports in time order, holding a frame back only as long as
 * another port may still deliver an older one.
 *
 * <p>Each port's capture thread publishes a watermark: every frame the kernel stamped before it is
 * already in the port's ring. One NIC's frames come out of its socket in stamp order, so after
 * reading a frame stamped T the thread knows everything before T (less {@link #REORDER_NANOS}) is
 * in; after a read that found nothing, everything stamped before the read began is. The merge
 * hands on the oldest frame of all rings while it is older than every open port's watermark: a
 * frame waits for the slowest port's next read (a millisecond when idle, none under load), not a
 * fixed hold-back, so the rings need only hold what the engine is behind, not rate x hold-back.
 *
 * <p>Two bounds keep a stalled port from blinding the merge: a port whose watermark lags more than
 * {@link #MAX_WAIT_NANOS} behind the clock (its thread not scheduled) is waited for no longer, and
 * a ring three quarters full is drained regardless of order, which is better than dropping frames.
 * A port that is not open (reopening after an unplug) is not waited for.
 */
public final class PortMerge {
    /** How far a NIC's stamps may run out of order (stamped on different CPUs, softirq latency). */
    public static final long REORDER_NANOS = 2_000_000L;
    /** The longest a frame waits for a port whose capture thread has not come round. */
    public static final long MAX_WAIT_NANOS = 200_000_000L;

    /** One port as the merge sees it. */
    public interface Port {
        FrameRing ring();
        boolean isOpen();
        /** Every frame stamped before this is in {@link #ring()}; {@link Long#MIN_VALUE} before the first read. */
        long watermark();
    }

    private final Port[] ports;

    public PortMerge(Port... ports) {
        this.ports = ports.clone();
    }

    /** The latest stamp a frame may have to be handed on at {@code now}. */
    public long horizon(long now) {
        long horizon = Long.MAX_VALUE;
        for (Port p : ports) {
            FrameRing r = p.ring();
            if (r.size() >= r.capacity() - (r.capacity() >> 2)) {
                return Long.MAX_VALUE; // three quarters full: order gives way to not dropping
            }
            if (p.isOpen()) {
                horizon = Math.min(horizon, p.watermark());
            }
        }
        return Math.max(horizon, now - MAX_WAIT_NANOS);
    }

    /** The index of the port whose oldest frame is next (stamped at or before {@code horizon}), or -1. */
    public int next(long horizon) {
        int best = -1;
        long bestTime = Long.MAX_VALUE;
        for (int i = 0; i < ports.length; i++) {
            long t = ports[i].ring().peekTime();
            if (t < bestTime) {
                bestTime = t;
                best = i;
            }
        }
        return best >= 0 && bestTime <= horizon ? best : -1;
    }
}
