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
 * <p>Two bounds keep a stalled port from blinding the merge: a port whose capture thread has not
 * come round for {@link #MAX_WAIT_NANOS} (not scheduled) is waited for no longer than that, and a
 * ring three quarters full is drained regardless of order, which is better than dropping frames.
 * A port whose thread is reading is waited for however far its watermark lags: it is reading a
 * backlog (bounded by its kernel buffer), and the frames in that backlog are older than the other
 * port's (a refused connection's SYN on one port, its RST on the other).
 * A port that is not open (reopening after an unplug) is not waited for.
 *
 * <p>The merge counts the frames it hands on before every open port has caught up with them
 * ({@link #early(long)}, by which bound): each is one that an older frame of another port may
 * still follow.
 */
public final class PortMerge {
    /** How far a NIC's stamps may run out of order (stamped on different CPUs, softirq latency). */
    public static final long REORDER_NANOS = 2_000_000L;
    /** The longest a frame waits for a port whose capture thread has not come round. */
    public static final long MAX_WAIT_NANOS = 200_000_000L;

    /** Why the last {@link #horizon} went past the slowest open port's watermark. */
    private static final int IN_ORDER = 0, FULL = 1, WAITED_OUT = 2;

    /** One port as the merge sees it. */
    public interface Port {
        FrameRing ring();
        boolean isOpen();
        /** Every frame stamped before this is in {@link #ring()}; {@link Long#MIN_VALUE} before the first read. */
        long watermark();
        /** When (the merge's clock) the port's capture thread last read or came round. */
        long aliveAt();
    }

    private final Port[] ports;
    /** The slowest open port's watermark at the last {@link #horizon}, and why the horizon passed it. */
    private long ordered = Long.MAX_VALUE;
    private int bound = IN_ORDER;
    private long earlyFull, earlyWaitedOut;

    public PortMerge(Port... ports) {
        this.ports = ports.clone();
    }

    /** The latest stamp a frame may have to be handed on at {@code now}. */
    public long horizon(long now) {
        long horizon = Long.MAX_VALUE, slowest = Long.MAX_VALUE;
        boolean full = false;
        for (Port p : ports) {
            FrameRing r = p.ring();
            if (r.size() >= r.capacity() - (r.capacity() >> 2)) {
                full = true; // three quarters full: order gives way to not dropping
            }
            if (p.isOpen()) {
                long w = p.watermark();
                slowest = Math.min(slowest, w);
                if (now - p.aliveAt() > MAX_WAIT_NANOS) {
                    w = Math.max(w, now - MAX_WAIT_NANOS); // its thread is not coming round
                }
                horizon = Math.min(horizon, w);
            }
        }
        ordered = slowest;
        if (full) {
            bound = FULL;
            return Long.MAX_VALUE;
        }
        bound = horizon > slowest ? WAITED_OUT : IN_ORDER;
        return horizon;
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

    /**
     * Counts a frame stamped {@code stamp}, about to be handed on under the last {@link #horizon},
     * if some open port had not caught up with it; true if so.
     */
    public boolean early(long stamp) {
        if (stamp <= ordered) {
            return false;
        }
        if (bound == FULL) {
            earlyFull++;
        } else {
            earlyWaitedOut++;
        }
        return true;
    }

    /** Frames handed on early because a ring was three quarters full. */
    public long earlyFull() {
        return earlyFull;
    }

    /** Frames handed on early because a port's thread had not come round for {@link #MAX_WAIT_NANOS}. */
    public long earlyWaitedOut() {
        return earlyWaitedOut;
    }
}
