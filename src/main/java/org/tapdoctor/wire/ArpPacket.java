package org.tapdoctor.wire;

import static org.tapdoctor.wire.Bytes.i32;
import static org.tapdoctor.wire.Bytes.u16;
import static org.tapdoctor.wire.Bytes.u48;
import static org.tapdoctor.wire.Bytes.u8;

/**
 * Flyweight over an ARP packet for IPv4 over Ethernet in a {@code byte[]} (RFC 826), read in place.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Hardware Type (1)        |    Protocol Type (0x0800)     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  HW Len (6)   | Proto Len (4) |          Operation            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Sender Hardware Address (48 bits)                |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |  Sender Protocol Address ...  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ... (32 bits)                |  Target Hardware Address ...  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              ... (48 bits)                                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Target Protocol Address (32 bits)                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Not thread-safe; one instance is reused for every frame.
 */
final class ArpPacket {
    static final int HARDWARE_TYPE_OFFSET = 0;
    static final int PROTOCOL_TYPE_OFFSET = 2;
    static final int HARDWARE_LENGTH_OFFSET = 4;
    static final int PROTOCOL_LENGTH_OFFSET = 5;
    static final int OPERATION_OFFSET = 6;
    static final int SENDER_MAC_OFFSET = 8;
    static final int SENDER_IP_OFFSET = 14;
    static final int TARGET_MAC_OFFSET = 18;
    static final int TARGET_IP_OFFSET = 24;
    static final int FIXED_LENGTH = 8;
    static final int ETHERNET_IPV4_LENGTH = 28;
    static final int HARDWARE_TYPE_ETHERNET = 1;

    private byte[] buffer;
    private int offset;

    /**
     * Sets the view on the packet at {@code offset}.
     *
     * @return {@link DecodeResult#IGNORED} for ARP that is not IPv4 over Ethernet,
     *     {@link DecodeResult#TRUNCATED} when the bytes needed were not captured, else OK
     */
    DecodeResult wrap(byte[] buffer, int offset, int capturedEnd) {
        this.buffer = buffer;
        this.offset = offset;
        if (capturedEnd - offset < FIXED_LENGTH) {
            return DecodeResult.TRUNCATED;
        }
        if (u16(buffer, offset + HARDWARE_TYPE_OFFSET) != HARDWARE_TYPE_ETHERNET
                || u16(buffer, offset + PROTOCOL_TYPE_OFFSET) != EtherTypes.IPV4
                || u8(buffer, offset + HARDWARE_LENGTH_OFFSET) != 6
                || u8(buffer, offset + PROTOCOL_LENGTH_OFFSET) != 4) {
            return DecodeResult.IGNORED;
        }
        return capturedEnd - offset < ETHERNET_IPV4_LENGTH ? DecodeResult.TRUNCATED : DecodeResult.OK;
    }

    /** 1 request, 2 reply (RFC 826; others in RFC 5494). */
    int operation() {
        return u16(buffer, offset + OPERATION_OFFSET);
    }

    long senderMac() {
        return u48(buffer, offset + SENDER_MAC_OFFSET);
    }

    int senderIp() {
        return i32(buffer, offset + SENDER_IP_OFFSET);
    }

    long targetMac() {
        return u48(buffer, offset + TARGET_MAC_OFFSET);
    }

    int targetIp() {
        return i32(buffer, offset + TARGET_IP_OFFSET);
    }
}
