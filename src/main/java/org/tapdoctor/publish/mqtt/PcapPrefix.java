package org.tapdoctor.publish.mqtt;

/**
 * A classic pcap file cut to its first frames that fit in a size: the global header (24 bytes)
 * and whole records (a 16-byte header each, then {@code incl_len} bytes), never half a record, so
 * the result opens in Wireshark like the file it was cut from. Byte order from the magic number
 * ({@code a1b2c3d4} microseconds or {@code a1b23c4d} nanoseconds, either order; pcap-savefile(5)).
 * Stateless.
 */
final class PcapPrefix {
    static final int GLOBAL_HEADER = 24;
    static final int RECORD_HEADER = 16;

    private PcapPrefix() {
    }

    /**
     * The file itself when it fits in {@code maxBytes}, else its header and first records that
     * fit; null when not even the header and one record fit, or the bytes are not a classic pcap.
     */
    static byte[] firstFrames(byte[] pcap, int maxBytes) {
        if (pcap.length <= maxBytes) {
            return pcap;
        }
        Boolean bigEndian = byteOrder(pcap);
        if (bigEndian == null) {
            return null;
        }
        int end = GLOBAL_HEADER;
        while (end + RECORD_HEADER <= pcap.length) {
            long included = u32(pcap, end + 8, bigEndian);
            long next = end + RECORD_HEADER + included;
            if (next > pcap.length || next > maxBytes) {
                break;
            }
            end = (int) next;
        }
        if (end == GLOBAL_HEADER) {
            return null;
        }
        byte[] out = new byte[end];
        System.arraycopy(pcap, 0, out, 0, end);
        return out;
    }

    /** True for big-endian, false for little-endian, null when this is not a classic pcap. */
    private static Boolean byteOrder(byte[] b) {
        if (b.length < GLOBAL_HEADER) {
            return null;
        }
        long magicBig = u32(b, 0, true);
        if (magicBig == 0xa1b2c3d4L || magicBig == 0xa1b23c4dL) {
            return true;
        }
        long magicLittle = u32(b, 0, false);
        if (magicLittle == 0xa1b2c3d4L || magicLittle == 0xa1b23c4dL) {
            return false;
        }
        return null;
    }

    private static long u32(byte[] b, int at, boolean bigEndian) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int shift = bigEndian ? 24 - 8 * i : 8 * i;
            v |= (long) (b[at + i] & 0xFF) << shift;
        }
        return v;
    }
}
