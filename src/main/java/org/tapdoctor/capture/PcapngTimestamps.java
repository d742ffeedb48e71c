package org.tapdoctor.capture;

/**
 * Converts pcapng timestamps to nanoseconds since the epoch, exactly.
 *
 * <p>An Enhanced Packet Block stores a 64-bit unsigned count of units since the epoch; the unit
 * is the interface's {@code if_tsresol} option (draft-ietf-opsawg-pcapng section 4.2): if its
 * high bit is 0, 10^-n seconds with n the remaining bits; if 1, 2^-n seconds; absent, 10^-6.
 * {@code if_tsoffset} adds whole seconds. The result is floor(fraction × 10^9 / units per
 * second) plus the seconds times 10^9, computed without intermediate overflow (libpcap
 * multiplies before it divides for power-of-2 resolutions, which overflows above 2^-34 s).
 * Instants outside the range of a {@code long} of nanoseconds (about 1677 to 2262) throw.
 */
final class PcapngTimestamps {
    static final int DEFAULT_TSRESOL = 6;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** 10^0 .. 10^19; 10^19 does not fit a signed long and is meant unsigned. */
    private static final long[] POWERS_OF_TEN = new long[20];

    static {
        long p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private PcapngTimestamps() {
    }

    /** Whether {@code tsresol} (the option's byte, 0-255) is a resolution this class converts. */
    static boolean isValidResolution(int tsresol) {
        return (tsresol & 0x80) != 0 ? (tsresol & 0x7F) <= 63 : tsresol <= 19;
    }

    /**
     * @param units the timestamp, a 64-bit unsigned count of {@code tsresol} units
     * @param tsresol the {@code if_tsresol} byte (validated by {@link #isValidResolution})
     * @param offsetSeconds the {@code if_tsoffset}, 0 when absent
     * @throws ArithmeticException when the instant does not fit a long of nanoseconds
     */
    static long toNanos(long units, int tsresol, long offsetSeconds) {
        long seconds;
        long fractionNanos;
        if ((tsresol & 0x80) != 0) {
            int shift = tsresol & 0x7F;
            seconds = shift == 0 ? units : units >>> shift;
            long fraction = shift == 0 ? 0 : units & ((1L << shift) - 1);
            // floor(fraction * 10^9 / 2^shift) in 128 bits: fraction < 2^63, so the product is non-negative
            long high = Math.multiplyHigh(fraction, NANOS_PER_SECOND);
            long low = fraction * NANOS_PER_SECOND;
            fractionNanos = shift == 0 ? 0 : (high << (64 - shift)) | (low >>> shift);
        } else {
            long perSecond = POWERS_OF_TEN[tsresol];
            long fraction;
            if (units >= 0 && perSecond > 0) {
                seconds = units / perSecond;
                fraction = units % perSecond;
            } else {
                seconds = Long.divideUnsigned(units, perSecond);
                fraction = Long.remainderUnsigned(units, perSecond);
            }
            fractionNanos = tsresol <= 9 ? fraction * POWERS_OF_TEN[9 - tsresol]
                    : Long.divideUnsigned(fraction, POWERS_OF_TEN[tsresol - 9]);
        }
        if (seconds < 0) { // 2^63 or more, unsigned
            throw new ArithmeticException("long overflow");
        }
        seconds = Math.addExact(seconds, offsetSeconds);
        return Math.addExact(Math.multiplyExact(seconds, NANOS_PER_SECOND), fractionNanos);
    }
}
