package org.tapdoctor.wire;

/**
 * Absolute big-endian reads on a {@code byte[]}, as the decoders' flyweights need them.
 *
 * <p>No bounds checks beyond the JVM's own: callers check once, when they set a view on a frame,
 * that the bytes they read are there. Unsigned values come back widened ({@code u8}, {@code u16}
 * into an {@code int}, {@code u48} into a {@code long}); 32-bit fields come back raw in an {@code int}.
 */
final class Bytes {
    private Bytes() {
    }

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static int i32(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    /** A 32-bit field in little-endian order (BSD loopback headers written by a little-endian host). */
    static int i32Le(byte[] b, int i) {
        return (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8) | ((b[i + 2] & 0xFF) << 16) | ((b[i + 3] & 0xFF) << 24);
    }

    /** A 48-bit MAC address. */
    static long u48(byte[] b, int i) {
        return ((long) u16(b, i) << 32) | (i32(b, i + 2) & 0xFFFF_FFFFL);
    }

    static long i64(byte[] b, int i) {
        return ((long) i32(b, i) << 32) | (i32(b, i + 4) & 0xFFFF_FFFFL);
    }
}
