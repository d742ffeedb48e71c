package org.tapdoctor.wire;

import static org.tapdoctor.wire.Bytes.i32;
import static org.tapdoctor.wire.Bytes.u16;
import static org.tapdoctor.wire.Bytes.u8;

/**
 * Flyweight over an IPv4 header in a {@code byte[]} (RFC 791 section 3.1), read in place.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (IHL > 5)          |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@link #wrap} checks once that the whole header (IHL * 4 bytes) was captured and that version
 * and IHL make sense; the accessors then read without checks. The total length is checked apart
 * ({@link #totalLengthValid()}) because a header quoted in an ICMP error may carry a total length
 * rewritten by the router that sent it. Not thread-safe; one instance is reused for every frame.
 */
final class Ipv4Header {
    static final int VERSION_IHL_OFFSET = 0;
    static final int TOTAL_LENGTH_OFFSET = 2;
    static final int FLAGS_FRAGMENT_OFFSET = 6;
    static final int TTL_OFFSET = 8;
    static final int PROTOCOL_OFFSET = 9;
    static final int SOURCE_OFFSET = 12;
    static final int DESTINATION_OFFSET = 16;
    /** IHL 5: a header without options. */
    static final int MIN_HEADER_LENGTH = 20;
    /** The 13-bit fragment offset, in 8-byte units (RFC 791 section 3.1). */
    private static final int FRAGMENT_OFFSET_MASK = 0x1FFF;
    private static final int MORE_FRAGMENTS = 0x2000;
    /** DF, RFC 791 section 3.1; path MTU discovery sets it on every segment (RFC 1191 section 3). */
    private static final int DONT_FRAGMENT = 0x4000;

    private byte[] buffer;
    private int offset;
    private int capturedEnd;

    /**
     * Sets the view on the header at {@code offset}; bytes from {@code capturedEnd} on were not captured.
     *
     * @return {@link DecodeResult#TRUNCATED} when the header is cut short, {@link DecodeResult#MALFORMED}
     *     when the version is not 4 or IHL &lt; 5, else {@link DecodeResult#OK}
     */
    DecodeResult wrap(byte[] buffer, int offset, int capturedEnd) {
        this.buffer = buffer;
        this.offset = offset;
        this.capturedEnd = capturedEnd;
        if (capturedEnd - offset < MIN_HEADER_LENGTH) {
            return DecodeResult.TRUNCATED;
        }
        if (version() != 4 || headerLength() < MIN_HEADER_LENGTH) {
            return DecodeResult.MALFORMED;
        }
        if (capturedEnd - offset < headerLength()) {
            return DecodeResult.TRUNCATED;
        }
        return DecodeResult.OK;
    }

    int version() {
        return u8(buffer, offset + VERSION_IHL_OFFSET) >>> 4;
    }

    /** IHL * 4: the header length in bytes, options included. */
    int headerLength() {
        return (u8(buffer, offset + VERSION_IHL_OFFSET) & 0x0F) * 4;
    }

    int totalLength() {
        return u16(buffer, offset + TOTAL_LENGTH_OFFSET);
    }

    /** Whether the total length covers at least the header. */
    boolean totalLengthValid() {
        return totalLength() >= headerLength();
    }

    int fragmentOffset() {
        return u16(buffer, offset + FLAGS_FRAGMENT_OFFSET) & FRAGMENT_OFFSET_MASK;
    }

    /** MF: this is not the last fragment, so the transport header's lengths describe more than this packet. */
    boolean moreFragments() {
        return (u16(buffer, offset + FLAGS_FRAGMENT_OFFSET) & MORE_FRAGMENTS) != 0;
    }

    /** DF: a router must drop this packet rather than fragment it, and say so (ICMP 3/4, RFC 1191). */
    boolean dontFragment() {
        return (u16(buffer, offset + FLAGS_FRAGMENT_OFFSET) & DONT_FRAGMENT) != 0;
    }

    /** A fragment other than the first carries no transport header (RFC 791 section 2.3). */
    boolean isNonFirstFragment() {
        return fragmentOffset() != 0;
    }

    int ttl() {
        return u8(buffer, offset + TTL_OFFSET);
    }

    int protocol() {
        return u8(buffer, offset + PROTOCOL_OFFSET);
    }

    int source() {
        return i32(buffer, offset + SOURCE_OFFSET);
    }

    int destination() {
        return i32(buffer, offset + DESTINATION_OFFSET);
    }

    int payloadOffset() {
        return offset + headerLength();
    }

    /** Payload bytes on the wire, from the total length (not from what was captured). */
    int payloadLength() {
        return totalLength() - headerLength();
    }

    /** End of the captured payload: Ethernet padding after the total length is not payload. */
    int payloadCapturedEnd() {
        return Math.min(capturedEnd, offset + totalLength());
    }
}
