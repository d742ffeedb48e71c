package org.tapdoctor.service;

import java.util.function.LongSupplier;

/**
 * The live service's clock: monotonic ({@link System#nanoTime()}), so timeouts never jump with
 * the wall clock, but counted from the wall-clock time at start so that diagnoses carry real
 * times. Frames are stamped with it when they come out of the kernel.
 */
final class EpochClock implements LongSupplier {
    private final long epochAtStart;
    private final long nanoAtStart;

    EpochClock() {
        java.time.Instant now = java.time.Instant.now();
        this.epochAtStart = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        this.nanoAtStart = System.nanoTime();
    }

    @Override
    public long getAsLong() {
        return epochAtStart + (System.nanoTime() - nanoAtStart);
    }
}
