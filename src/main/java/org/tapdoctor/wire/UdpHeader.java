package org.tapdoctor.wire;

import static org.tapdoctor.wire.Bytes.u16;

/**
 * Flyweight over a UDP header in a {@code byte[]} (RFC 768), read in place.
 *
 * <pre>
 *  0      7 8     15 16    23 24    31
 * +--------+--------+--------+--------+
 * |   Source Port   |Destination Port |
 * +--------+--------+--------+--------+
 * |     Length      |    Checksum     |
 * +--------+--------+--------+--------+
 * </pre>
 *
 * Not thread-safe; one instance is reused for every frame.
 */
final class UdpHeader {
    static final int SOURCE_PORT_OFFSET = 0;
    static final int DESTINATION_PORT_OFFSET = 2;
    static final int LENGTH_OFFSET = 4;
    static final int HEADER_LENGTH = 8;

    private byte[] buffer;
    private int offset;

    /**
     * Sets the view on the header at {@code offset}.
     *
     * @param ipPayloadLength the datagram length from the IP header
     * @param firstFragment whether the IP packet is the first fragment of a larger datagram, whose
     *     UDP length then exceeds this packet's payload
     * @return {@link DecodeResult#MALFORMED} when the IP payload or the UDP length cannot hold the
     *     header, or the UDP length exceeds the IP payload of an unfragmented packet;
     *     {@link DecodeResult#TRUNCATED} when the 8 bytes were not captured; else {@link DecodeResult#OK}
     */
    DecodeResult wrap(byte[] buffer, int offset, int capturedEnd, int ipPayloadLength, boolean firstFragment) {
        this.buffer = buffer;
        this.offset = offset;
        if (ipPayloadLength < HEADER_LENGTH) {
            return DecodeResult.MALFORMED;
        }
        if (capturedEnd - offset < HEADER_LENGTH) {
            return DecodeResult.TRUNCATED;
        }
        if (length() < HEADER_LENGTH || (length() > ipPayloadLength && !firstFragment)) {
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

    /** Header plus data, in bytes. */
    int length() {
        return u16(buffer, offset + LENGTH_OFFSET);
    }

    int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    int payloadLength() {
        return length() - HEADER_LENGTH;
    }
}
