package org.tapdoctor.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes a classic pcap file (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html,
 * "PCAP Capture File Format") with nanosecond timestamps, in little-endian byte order, which
 * Wireshark, tshark, tcpdump and {@link CaptureFileReader} read.
 *
 * <pre>
 * File header (24 bytes):
 * | magic 0xA1B23C4D (0) | major 2 (4) | minor 4 (6) | reserved (8) | reserved (12) | snaplen (16) | link type (20) |
 * Record header (16 bytes), then the captured bytes:
 * | seconds (0) | nanoseconds (4) | captured length (8) | original length (12) |
 * </pre>
 *
 * One link type per file: the format has no per-frame link type. Not thread-safe; the caller
 * owns (and closes) the stream.
 */
public final class PcapWriter {
    public static final int MAGIC_NANOS = CaptureFileReader.PCAP_MAGIC_NANOS;
    public static final int FILE_HEADER_LENGTH = CaptureFileReader.PCAP_FILE_HEADER_LENGTH;
    public static final int RECORD_HEADER_LENGTH = CaptureFileReader.PCAP_RECORD_HEADER_LENGTH;
    /** The snaplen written in the header: the largest a reader must accept (libpcap's MAXIMUM_SNAPLEN). */
    static final int SNAPLEN = 262_144;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final OutputStream out;
    private final byte[] header = new byte[FILE_HEADER_LENGTH];

    /** Writes the file header for frames of {@code linkType} (see {@link org.tapdoctor.wire.LinkTypes}). */
    public PcapWriter(OutputStream out, int linkType) throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        putInt(0, MAGIC_NANOS);
        putShort(4, 2);
        putShort(6, 4);
        putInt(8, 0);
        putInt(12, 0);
        putInt(16, SNAPLEN);
        putInt(20, linkType);
        out.write(header, 0, FILE_HEADER_LENGTH);
    }

    /** Bytes a file of frames with these captured lengths takes. */
    public static long fileLength(int frames, long capturedBytes) {
        return FILE_HEADER_LENGTH + (long) frames * RECORD_HEADER_LENGTH + capturedBytes;
    }

    /** Appends one record: {@code frame[0, length)}, on the wire {@code wireLength} bytes, at {@code timeNanos} since the epoch. */
    public void write(byte[] frame, int length, int wireLength, long timeNanos) throws IOException {
        putInt(0, (int) Math.floorDiv(timeNanos, NANOS_PER_SECOND));
        putInt(4, (int) Math.floorMod(timeNanos, NANOS_PER_SECOND));
        putInt(8, length);
        putInt(12, Math.max(wireLength, length));
        out.write(header, 0, RECORD_HEADER_LENGTH);
        out.write(frame, 0, length);
    }

    private void putShort(int at, int v) {
        header[at] = (byte) v;
        header[at + 1] = (byte) (v >>> 8);
    }

    private void putInt(int at, int v) {
        header[at] = (byte) v;
        header[at + 1] = (byte) (v >>> 8);
        header[at + 2] = (byte) (v >>> 16);
        header[at + 3] = (byte) (v >>> 24);
    }
}
