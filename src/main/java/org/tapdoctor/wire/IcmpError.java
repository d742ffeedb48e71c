package org.tapdoctor.wire;

import static org.tapdoctor.wire.Bytes.i32;
import static org.tapdoctor.wire.Bytes.u16;
import static org.tapdoctor.wire.Bytes.u8;

/**
 * Reads ICMP (RFC 792) and ICMPv6 (RFC 4443) messages in place, and for error messages the invoking
 * packet's header quoted after the first 8 bytes.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Unused / next-hop MTU / pointer (type dependent)      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   ICMP 3/4 fragmentation needed (RFC 1191 section 4):  | unused (16) | next-hop MTU (16) |
 *   ICMP 12 parameter problem, code 0 (RFC 792):         | pointer (8) | unused (24)       |
 *   ICMPv6 2 packet too big (RFC 4443 section 3.2):      |            MTU (32)             |
 *   ICMPv6 4 parameter problem (RFC 4443 section 3.4):   |          pointer (32)           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Invoking packet: IP header + at least 8 bytes of its data   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * First 8 bytes of the quoted transport header:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       TCP: Sequence Number (UDP: length, checksum)            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * TCP only, when the router quoted more than 8 bytes (Linux quotes up to 576 / 1280 bytes in all):
 * |                    Acknowledgment Number                      |
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>A quote is often cut short (RFC 792 promises only 8 bytes of data; routers may send less when
 * rate limited or tunnelling), so each quoted field is filled only when its bytes are present and
 * the rest keep their absent values; the message is still an {@link DecodedFrame.Type#ICMP_ERROR}.
 * Not thread-safe; one instance is reused for every frame.
 */
final class IcmpError {
    static final int TYPE_OFFSET = 0;
    static final int CODE_OFFSET = 1;
    /** Type, code and checksum: what every ICMP and ICMPv6 message has. */
    static final int MIN_LENGTH = 4;
    static final int QUOTE_OFFSET = 8;

    /** ICMPv4 error types (RFC 792, RFC 1812 section 4.3.2.1). */
    static final int V4_DESTINATION_UNREACHABLE = 3;
    static final int V4_SOURCE_QUENCH = 4;
    static final int V4_TIME_EXCEEDED = 11;
    static final int V4_PARAMETER_PROBLEM = 12;
    /** Destination unreachable code 4: fragmentation needed and DF set (RFC 792, RFC 1191). */
    static final int V4_FRAGMENTATION_NEEDED = 4;
    /** Parameter problem code 0: the pointer indicates the error (RFC 792); codes 1 and 2 carry none. */
    static final int V4_POINTER_INDICATES_ERROR = 0;
    /** ICMPv6 error types are 0-127 (RFC 4443 section 2.1); these four are defined. */
    static final int V6_DESTINATION_UNREACHABLE = 1;
    static final int V6_PACKET_TOO_BIG = 2;
    static final int V6_PARAMETER_PROBLEM = 4;
    /** Byte 4: RFC 792's pointer, RFC 4443's 32-bit MTU or pointer. */
    static final int PARAMETER_OFFSET = 4;
    /** Bytes 6-7: RFC 1191's next-hop MTU in the second half of the unused word. */
    static final int NEXT_HOP_MTU_OFFSET = 6;

    private static final int QUOTED_PORTS_LENGTH = 4;
    private static final int QUOTED_SEQUENCE_END = 8;
    private static final int QUOTED_FLAGS_END = TcpHeader.FLAGS_OFFSET + 1;
    private static final int TCP = 6;
    private static final int UDP = 17;

    private final Ipv4Header quotedV4 = new Ipv4Header();
    private final Ipv6Header quotedV6 = new Ipv6Header();

    static int type(byte[] buffer, int icmpOffset) {
        return u8(buffer, icmpOffset + TYPE_OFFSET);
    }

    static int code(byte[] buffer, int icmpOffset) {
        return u8(buffer, icmpOffset + CODE_OFFSET);
    }

    static boolean isV4Error(int type) {
        return type == V4_DESTINATION_UNREACHABLE || type == V4_SOURCE_QUENCH
                || type == V4_TIME_EXCEEDED || type == V4_PARAMETER_PROBLEM;
    }

    static boolean isV6Error(int type) {
        return type >= V6_DESTINATION_UNREACHABLE && type <= V6_PARAMETER_PROBLEM;
    }

    /** Fills {@link DecodedFrame#icmpMtu()} or {@link DecodedFrame#icmpPointer()} of an ICMPv4 error, when captured. */
    static void readV4Parameter(byte[] buffer, int icmpOffset, int capturedEnd, DecodedFrame out) {
        if (capturedEnd - icmpOffset < QUOTE_OFFSET) {
            return;
        }
        if (out.icmpType == V4_DESTINATION_UNREACHABLE && out.icmpCode == V4_FRAGMENTATION_NEEDED) {
            out.icmpMtu = u16(buffer, icmpOffset + NEXT_HOP_MTU_OFFSET);
        } else if (out.icmpType == V4_PARAMETER_PROBLEM && out.icmpCode == V4_POINTER_INDICATES_ERROR) {
            out.icmpPointer = u8(buffer, icmpOffset + PARAMETER_OFFSET);
        }
    }

    /** Fills {@link DecodedFrame#icmpMtu()} or {@link DecodedFrame#icmpPointer()} of an ICMPv6 error, when captured. */
    static void readV6Parameter(byte[] buffer, int icmpOffset, int capturedEnd, DecodedFrame out) {
        if (capturedEnd - icmpOffset < QUOTE_OFFSET
                || (out.icmpType != V6_PACKET_TOO_BIG && out.icmpType != V6_PARAMETER_PROBLEM)) {
            return;
        }
        // 32 bits unsigned on the wire; a value past 2^31 - 1 is no real MTU or offset, and is capped.
        long value = i32(buffer, icmpOffset + PARAMETER_OFFSET) & 0xFFFF_FFFFL;
        int capped = (int) Math.min(value, Integer.MAX_VALUE);
        if (out.icmpType == V6_PACKET_TOO_BIG) {
            out.icmpMtu = capped;
        } else {
            out.icmpPointer = capped;
        }
    }

    /** Fills the quoted fields of {@code out} from the IPv4 packet quoted in the ICMP error at {@code icmpOffset}. */
    void readQuotedIpv4(byte[] buffer, int icmpOffset, int capturedEnd, DecodedFrame out) {
        if (quotedV4.wrap(buffer, icmpOffset + QUOTE_OFFSET, capturedEnd) != DecodeResult.OK) {
            return;
        }
        out.quotedProtocol = quotedV4.protocol();
        out.quotedSrcHi = IpAddresses.V4_HI;
        out.quotedSrcLo = IpAddresses.v4Lo(quotedV4.source());
        out.quotedDstHi = IpAddresses.V4_HI;
        out.quotedDstLo = IpAddresses.v4Lo(quotedV4.destination());
        out.quotedLength = quotedV4.totalLength();
        if (!quotedV4.isNonFirstFragment()) {
            readQuotedPorts(buffer, quotedV4.payloadOffset(), capturedEnd, out);
        }
    }

    /** Fills the quoted fields of {@code out} from the IPv6 packet quoted in the ICMPv6 error at {@code icmpOffset}. */
    void readQuotedIpv6(byte[] buffer, int icmpOffset, int capturedEnd, DecodedFrame out) {
        if (quotedV6.wrap(buffer, icmpOffset + QUOTE_OFFSET, capturedEnd) != DecodeResult.OK) {
            return;
        }
        out.quotedSrcHi = quotedV6.sourceHi();
        out.quotedSrcLo = quotedV6.sourceLo();
        out.quotedDstHi = quotedV6.destinationHi();
        out.quotedDstLo = quotedV6.destinationLo();
        out.quotedLength = quotedV6.payloadLength() + Ipv6Header.HEADER_LENGTH;
        // The quoted payload length describes the original packet, not the quote: bound by the capture only.
        if (quotedV6.walkExtensionHeaders(Integer.MAX_VALUE) != DecodeResult.OK) {
            return;
        }
        out.quotedProtocol = quotedV6.upperProtocol();
        if (!quotedV6.isNonFirstFragment()) {
            readQuotedPorts(buffer, quotedV6.upperOffset(), capturedEnd, out);
        }
    }

    private static void readQuotedPorts(byte[] buffer, int transportOffset, int capturedEnd, DecodedFrame out) {
        int protocol = out.quotedProtocol;
        if ((protocol != TCP && protocol != UDP) || capturedEnd - transportOffset < QUOTED_PORTS_LENGTH) {
            return;
        }
        out.quotedSrcPort = u16(buffer, transportOffset + TcpHeader.SOURCE_PORT_OFFSET);
        out.quotedDstPort = u16(buffer, transportOffset + TcpHeader.DESTINATION_PORT_OFFSET);
        if (protocol == TCP && capturedEnd - transportOffset >= QUOTED_SEQUENCE_END) {
            out.quotedSeq = i32(buffer, transportOffset + TcpHeader.SEQUENCE_OFFSET);
            out.quotedSeqPresent = true;
        }
        if (protocol == TCP && capturedEnd - transportOffset >= QUOTED_FLAGS_END) {
            out.quotedTcpFlags = u8(buffer, transportOffset + TcpHeader.FLAGS_OFFSET);
        }
    }
}
