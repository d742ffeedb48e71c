package org.tapdoctor.wire;

import static org.tapdoctor.wire.Bytes.i32;
import static org.tapdoctor.wire.Bytes.u16;
import static org.tapdoctor.wire.Bytes.u8;

/**
 * Flyweight over a TCP header in a {@code byte[]} (RFC 9293 section 3.1), read in place.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   Options (Data Offset > 5)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@link #wrap} checks once that the fixed 20 bytes were captured and that the data offset fits
 * the segment; options may be cut by the snaplen, and {@link #readOptions} reads those present.
 * Not thread-safe; one instance is reused for every frame.
 */
final class TcpHeader {
    static final int SOURCE_PORT_OFFSET = 0;
    static final int DESTINATION_PORT_OFFSET = 2;
    static final int SEQUENCE_OFFSET = 4;
    static final int ACKNOWLEDGMENT_OFFSET = 8;
    static final int DATA_OFFSET_OFFSET = 12;
    static final int FLAGS_OFFSET = 13;
    static final int WINDOW_OFFSET = 14;
    static final int MIN_HEADER_LENGTH = 20;

    /** Option kinds: RFC 9293 section 3.2 (0, 1, 2), RFC 7323 (3, 8), RFC 2018 (4). */
    static final int OPTION_END = 0;
    static final int OPTION_NOP = 1;
    static final int OPTION_MSS = 2;
    static final int OPTION_WINDOW_SCALE = 3;
    static final int OPTION_SACK_PERMITTED = 4;
    static final int OPTION_TIMESTAMPS = 8;

    private byte[] buffer;
    private int offset;
    private int capturedEnd;

    /**
     * Sets the view on the header at {@code offset}.
     *
     * @param segmentLength the TCP segment length from the IP header (header plus payload)
     * @return {@link DecodeResult#MALFORMED} when the segment cannot hold the header the data offset
     *     announces or the data offset is below 5, {@link DecodeResult#TRUNCATED} when the fixed 20
     *     bytes were not captured, else {@link DecodeResult#OK}
     */
    DecodeResult wrap(byte[] buffer, int offset, int capturedEnd, int segmentLength) {
        this.buffer = buffer;
        this.offset = offset;
        this.capturedEnd = capturedEnd;
        if (segmentLength < MIN_HEADER_LENGTH) {
            return DecodeResult.MALFORMED;
        }
        if (capturedEnd - offset < MIN_HEADER_LENGTH) {
            return DecodeResult.TRUNCATED;
        }
        int headerLength = headerLength();
        if (headerLength < MIN_HEADER_LENGTH || headerLength > segmentLength) {
            return DecodeResult.MALFORMED;
        }
        return DecodeResult.OK;
    }

    int sourcePort() {
        return u16(buffer, offset + SOURCE_PORT_OFFSET);
    }

    int destinationPort() {
        return u16(buffer, offset + DESTINATION_PORT_OFFSET);
    }

    int sequenceNumber() {
        return i32(buffer, offset + SEQUENCE_OFFSET);
    }

    int acknowledgmentNumber() {
        return i32(buffer, offset + ACKNOWLEDGMENT_OFFSET);
    }

    /** Data offset * 4: the header length in bytes, options included. */
    int headerLength() {
        return (u8(buffer, offset + DATA_OFFSET_OFFSET) >>> 4) * 4;
    }

    /** CWR ECE URG ACK PSH RST SYN FIN, the low 8 bits of byte 13; see {@link DecodedFrame#SYN} and friends. */
    int flags() {
        return u8(buffer, offset + FLAGS_OFFSET);
    }

    int window() {
        return u16(buffer, offset + WINDOW_OFFSET);
    }

    /**
     * Copies MSS, window scale, SACK-permitted and timestamps into {@code out} from the options that
     * were captured. A bad option (length below 2, or running past the header) ends the parsing
     * without failing the segment, as a receiver would ignore what it cannot read.
     */
    void readOptions(DecodedFrame out) {
        int end = Math.min(offset + headerLength(), capturedEnd);
        int p = offset + MIN_HEADER_LENGTH;
        while (p < end) {
            int kind = u8(buffer, p);
            if (kind == OPTION_END) {
                return;
            }
            if (kind == OPTION_NOP) {
                p++;
                continue;
            }
            if (p + 1 >= end) {
                return;
            }
            int length = u8(buffer, p + 1);
            if (length < 2 || p + length > end) {
                return;
            }
            if (kind == OPTION_MSS && length == 4) {
                out.mss = u16(buffer, p + 2);
            } else if (kind == OPTION_WINDOW_SCALE && length == 3) {
                out.windowScale = u8(buffer, p + 2);
            } else if (kind == OPTION_SACK_PERMITTED && length == 2) {
                out.sackPermitted = true;
            } else if (kind == OPTION_TIMESTAMPS && length == 10) {
                out.timestamps = true;
            }
            p += length;
        }
    }
}
