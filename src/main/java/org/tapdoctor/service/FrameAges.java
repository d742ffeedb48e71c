package org.tapdoctor.service;

/**
 * How old frames are when the merge hands them to the engine (the clock at the batch's start less
 * the frame's kernel stamp): what the capture threads, the merge's wait and the engine's backlog
 * add to a diagnosis's latency before the engine sees its deciding frame. Whole milliseconds up to
 * {@link #MAX_MILLIS}, allocated once; written by the engine thread only.
 */
final class FrameAges {
    static final int MAX_MILLIS = 2_000;
    private final long[] counts = new long[MAX_MILLIS + 1];
    private long total;
    private long maxNanos;

    void add(long ageNanos) {
        long ms = ageNanos <= 0 ? 0 : ageNanos / 1_000_000L;
        counts[(int) Math.min(ms, MAX_MILLIS)]++;
        total++;
        if (ageNanos > maxNanos) {
            maxNanos = ageNanos;
        }
    }

    long total() {
        return total;
    }

    /** The age in whole milliseconds that {@code percent} % of the frames had at most (0 when none). */
    long percentileMillis(double percent) {
        long rank = (long) Math.ceil(percent / 100.0 * total);
        long seen = 0;
        for (int ms = 0; ms <= MAX_MILLIS; ms++) {
            seen += counts[ms];
            if (seen >= rank && seen > 0) {
                return ms;
            }
        }
        return 0;
    }

    double maxMillis() {
        return maxNanos / 1e6;
    }
}
