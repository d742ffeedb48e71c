package org.tapdoctor.wire;

import static org.tapdoctor.wire.Bytes.i64;
import static org.tapdoctor.wire.Bytes.u16;
import static org.tapdoctor.wire.Bytes.u8;

/**
 * Flyweight over an IPv6 header and its extension headers in a {@code byte[]} (RFC 8200), read in place.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   Source Address (128 bits)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Destination Address (128 bits)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Extension headers (RFC 8200 section 4): hop-by-hop options (0), routing (43) and destination
 * options (60) share this start; their length is (Hdr Ext Len + 1) * 8 bytes:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |  Hdr Ext Len  |  ...                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Fragment (44), always 8 bytes (RFC 8200 section 4.5):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
 * |                         Identification                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Authentication header (51) gives its length in 4-byte units minus 2 (RFC 4302 section 2.2).
 * </pre>
 *
 * <p>{@link #wrap} checks the fixed header; {@link #walkExtensionHeaders} then finds the upper-layer
 * protocol. Not thread-safe; one instance is reused for every frame.
 */
final class Ipv6Header {
    static final int VERSION_OFFSET = 0;
    static final int PAYLOAD_LENGTH_OFFSET = 4;
    static final int NEXT_HEADER_OFFSET = 6;
    static final int HOP_LIMIT_OFFSET = 7;
    static final int SOURCE_OFFSET = 8;
    static final int DESTINATION_OFFSET = 24;
    static final int HEADER_LENGTH = 40;

    static final int HOP_BY_HOP = 0;
    static final int ROUTING = 43;
    static final int FRAGMENT = 44;
    static final int AUTHENTICATION = 51;
    static final int NO_NEXT_HEADER = 59;
    static final int DESTINATION_OPTIONS = 60;

    private static final int EXTENSION_LENGTH_OFFSET = 1;
    private static final int FRAGMENT_OFFSET_OFFSET = 2;
    private static final int FRAGMENT_HEADER_LENGTH = 8;
    /** 13-bit offset in 8-byte units, above 3 bits (2 reserved, M). */
    private static final int FRAGMENT_OFFSET_MASK = 0xFFF8;
    private static final int MORE_FRAGMENTS = 0x0001;
    /**
     * RFC 8200 section 4.1 allows each extension header once (destination options twice); more than
     * this many is not a real packet.
     */
    static final int MAX_EXTENSION_HEADERS = 16;

    private byte[] buffer;
    private int offset;
    private int capturedEnd;
    private int upperProtocol;
    private int upperOffset;
    private boolean nonFirstFragment;
    private boolean moreFragments;

    /**
     * Sets the view on the fixed header at {@code offset}; bytes from {@code capturedEnd} on were not captured.
     *
     * @return {@link DecodeResult#TRUNCATED} when fewer than 40 bytes were captured,
     *     {@link DecodeResult#MALFORMED} when the version is not 6, else {@link DecodeResult#OK}
     */
    DecodeResult wrap(byte[] buffer, int offset, int capturedEnd) {
        this.buffer = buffer;
        this.offset = offset;
        this.capturedEnd = capturedEnd;
        this.upperProtocol = -1;
        this.upperOffset = -1;
        this.nonFirstFragment = false;
        this.moreFragments = false;
        if (capturedEnd - offset < HEADER_LENGTH) {
            return DecodeResult.TRUNCATED;
        }
        if (version() != 6) {
            return DecodeResult.MALFORMED;
        }
        return DecodeResult.OK;
    }

    /**
     * Walks the extension headers to the upper-layer protocol, stopping at a non-first fragment.
     *
     * @param declaredEnd where the packet ends by its payload length ({@link #payloadEnd()}), or
     *     {@link Integer#MAX_VALUE} for a header quoted in an ICMPv6 error, whose payload was cut
     * @return {@link DecodeResult#MALFORMED} when an extension header runs past {@code declaredEnd} or
     *     there are too many, {@link DecodeResult#TRUNCATED} when one was not captured, else OK
     */
    DecodeResult walkExtensionHeaders(int declaredEnd) {
        int next = u8(buffer, offset + NEXT_HEADER_OFFSET);
        int p = offset + HEADER_LENGTH;
        for (int i = 0; i <= MAX_EXTENSION_HEADERS; i++) {
            int length;
            if (next == HOP_BY_HOP || next == ROUTING || next == DESTINATION_OPTIONS || next == AUTHENTICATION) {
                if (p + 2 > declaredEnd) {
                    return DecodeResult.MALFORMED;
                }
                if (p + 2 > capturedEnd) {
                    return DecodeResult.TRUNCATED;
                }
                int extLen = u8(buffer, p + EXTENSION_LENGTH_OFFSET);
                length = next == AUTHENTICATION ? (extLen + 2) * 4 : (extLen + 1) * 8;
            } else if (next == FRAGMENT) {
                length = FRAGMENT_HEADER_LENGTH;
                if (p + length > declaredEnd) {
                    return DecodeResult.MALFORMED;
                }
                if (p + length > capturedEnd) {
                    return DecodeResult.TRUNCATED;
                }
                int offsetAndFlags = u16(buffer, p + FRAGMENT_OFFSET_OFFSET);
                moreFragments = (offsetAndFlags & MORE_FRAGMENTS) != 0;
                if ((offsetAndFlags & FRAGMENT_OFFSET_MASK) != 0) {
                    nonFirstFragment = true;
                    upperProtocol = u8(buffer, p);
                    upperOffset = p + length;
                    return DecodeResult.OK;
                }
            } else {
                upperProtocol = next;
                upperOffset = p;
                return DecodeResult.OK;
            }
            if (p + length > declaredEnd) {
                return DecodeResult.MALFORMED;
            }
            next = u8(buffer, p);
            p += length;
        }
        return DecodeResult.MALFORMED;
    }

    int version() {
        return u8(buffer, offset + VERSION_OFFSET) >>> 4;
    }

    int payloadLength() {
        return u16(buffer, offset + PAYLOAD_LENGTH_OFFSET);
    }

    int hopLimit() {
        return u8(buffer, offset + HOP_LIMIT_OFFSET);
    }

    long sourceHi() {
        return i64(buffer, offset + SOURCE_OFFSET);
    }

    long sourceLo() {
        return i64(buffer, offset + SOURCE_OFFSET + 8);
    }

    long destinationHi() {
        return i64(buffer, offset + DESTINATION_OFFSET);
    }

    long destinationLo() {
        return i64(buffer, offset + DESTINATION_OFFSET + 8);
    }

    /** Where the packet ends by its payload length. */
    int payloadEnd() {
        return offset + HEADER_LENGTH + payloadLength();
    }

    /** End of the captured payload: link-layer padding after the payload length is not payload. */
    int payloadCapturedEnd() {
        return Math.min(capturedEnd, payloadEnd());
    }

    /** The protocol after the extension headers (or the fragmented one), -1 before a successful walk. */
    int upperProtocol() {
        return upperProtocol;
    }

    /** Offset in the buffer of the upper-layer header, -1 before a successful walk. */
    int upperOffset() {
        return upperOffset;
    }

    /** Whether a fragment header with M = 1 was found: the upper-layer lengths describe more than this packet. */
    boolean moreFragments() {
        return moreFragments;
    }

    /** Whether a fragment header with a non-zero offset was found: no upper-layer header follows. */
    boolean isNonFirstFragment() {
        return nonFirstFragment;
    }
}
