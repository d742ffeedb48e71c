package org.tapdoctor.wire;

import static org.tapdoctor.wire.DecodeResult.MALFORMED;
import static org.tapdoctor.wire.DecodeResult.OK;
import static org.tapdoctor.wire.DecodeResult.TRUNCATED;

/**
 * Decodes an IPv4 or IPv6 packet and its transport header into a {@link DecodedFrame}: the network
 * and transport half of {@link FrameDecoder}, which owns the link layer.
 *
 * <p>Lengths come from the IP headers, and the bytes read stop at the end the IP header declares,
 * so link-layer padding is never taken for payload. A packet cut by the snaplen is decoded as far
 * as its headers go. Holds one flyweight per header kind; allocates nothing per packet. Not
 * thread-safe.
 */
final class IpPacketDecoder {
    static final int ICMP = 1;
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMPV6 = 58;
    /** DNS over UDP (RFC 1035 section 4.2.1); 5353 is multicast DNS, which the engine does not follow. */
    static final int DNS_PORT = 53;

    private final Ipv4Header ipv4 = new Ipv4Header();
    private final Ipv6Header ipv6 = new Ipv6Header();
    private final TcpHeader tcp = new TcpHeader();
    private final UdpHeader udp = new UdpHeader();
    private final DnsHeader dns = new DnsHeader();
    private final IcmpError icmp = new IcmpError();
    private final DhcpMessage dhcp = new DhcpMessage();
    private final NeighborDiscovery nd = new NeighborDiscovery();

    DecodeResult decodeIpv4(byte[] buffer, int offset, int capturedEnd, DecodedFrame out) {
        DecodeResult result = ipv4.wrap(buffer, offset, capturedEnd);
        if (result != OK) {
            return result;
        }
        if (!ipv4.totalLengthValid()) {
            return MALFORMED;
        }
        out.ipVersion = 4;
        out.srcHi = IpAddresses.V4_HI;
        out.srcLo = IpAddresses.v4Lo(ipv4.source());
        out.dstHi = IpAddresses.V4_HI;
        out.dstLo = IpAddresses.v4Lo(ipv4.destination());
        out.ttl = ipv4.ttl();
        out.ipProtocol = ipv4.protocol();
        out.dontFragment = ipv4.dontFragment();
        if (ipv4.isNonFirstFragment()) {
            out.type = DecodedFrame.Type.OTHER;
            return OK;
        }
        return decodeTransport(buffer, ipv4.payloadOffset(), ipv4.payloadLength(), ipv4.payloadCapturedEnd(), 4,
                ipv4.moreFragments(), out);
    }

    DecodeResult decodeIpv6(byte[] buffer, int offset, int capturedEnd, DecodedFrame out) {
        DecodeResult result = ipv6.wrap(buffer, offset, capturedEnd);
        if (result != OK) {
            return result;
        }
        out.ipVersion = 6;
        out.srcHi = ipv6.sourceHi();
        out.srcLo = ipv6.sourceLo();
        out.dstHi = ipv6.destinationHi();
        out.dstLo = ipv6.destinationLo();
        out.ttl = ipv6.hopLimit();
        out.dontFragment = true; // RFC 8200 section 5: routers never fragment IPv6
        result = ipv6.walkExtensionHeaders(ipv6.payloadEnd());
        if (result != OK) {
            return result;
        }
        out.ipProtocol = ipv6.upperProtocol();
        if (ipv6.isNonFirstFragment()) {
            out.type = DecodedFrame.Type.OTHER;
            return OK;
        }
        int upper = ipv6.upperOffset();
        return decodeTransport(buffer, upper, ipv6.payloadEnd() - upper, ipv6.payloadCapturedEnd(), 6,
                ipv6.moreFragments(), out);
    }

    /**
     * @param offset where the transport header starts
     * @param length transport header plus payload, from the IP header
     * @param capturedEnd end of the captured bytes of this IP packet's payload
     * @param firstFragment whether this packet is the first fragment of a larger one
     */
    private DecodeResult decodeTransport(byte[] buffer, int offset, int length, int capturedEnd, int ipVersion,
            boolean firstFragment, DecodedFrame out) {
        int protocol = out.ipProtocol;
        if (protocol == TCP) {
            return decodeTcp(buffer, offset, length, capturedEnd, out);
        }
        if (protocol == UDP) {
            return decodeUdp(buffer, offset, length, capturedEnd, firstFragment, out);
        }
        if ((protocol == ICMP && ipVersion == 4) || (protocol == ICMPV6 && ipVersion == 6)) {
            return decodeIcmp(buffer, offset, length, capturedEnd, ipVersion, out);
        }
        out.type = DecodedFrame.Type.OTHER;
        return OK;
    }

    private DecodeResult decodeTcp(byte[] buffer, int offset, int length, int capturedEnd, DecodedFrame out) {
        DecodeResult result = tcp.wrap(buffer, offset, capturedEnd, length);
        if (result != OK) {
            return result;
        }
        out.type = DecodedFrame.Type.TCP;
        out.srcPort = tcp.sourcePort();
        out.dstPort = tcp.destinationPort();
        out.seq = tcp.sequenceNumber();
        out.ack = tcp.acknowledgmentNumber();
        out.tcpFlags = tcp.flags();
        out.window = tcp.window();
        int payload = offset + tcp.headerLength();
        out.payloadLength = length - tcp.headerLength();
        out.payloadOffset = payload;
        out.payloadCaptured = Math.max(0, capturedEnd - payload);
        if ((out.tcpFlags & DecodedFrame.SYN) != 0) {
            // MSS, window scale and SACK-permitted are only valid in SYNs (RFC 9293 3.7.1, RFC 7323
            // 2.2, RFC 2018 2), and the engine summarises handshakes only: skipping the options of
            // every other segment was a quarter of the per-frame time in the engine benchmark.
            tcp.readOptions(out);
        }
        return OK;
    }

    private DecodeResult decodeUdp(byte[] buffer, int offset, int length, int capturedEnd, boolean firstFragment,
            DecodedFrame out) {
        DecodeResult result = udp.wrap(buffer, offset, capturedEnd, length, firstFragment);
        if (result != OK) {
            return result;
        }
        out.type = DecodedFrame.Type.UDP;
        out.srcPort = udp.sourcePort();
        out.dstPort = udp.destinationPort();
        out.payloadLength = udp.payloadLength(); // of the whole datagram, also in a first fragment
        int payload = udp.payloadOffset();
        int payloadEnd = Math.min(capturedEnd, payload + out.payloadLength);
        out.payloadOffset = payload;
        out.payloadCaptured = Math.max(0, payloadEnd - payload);
        if ((out.srcPort == DNS_PORT || out.dstPort == DNS_PORT) && out.payloadLength >= DnsHeader.HEADER_LENGTH) {
            return decodeDns(buffer, payload, payloadEnd, out);
        }
        if (DhcpMessage.isDhcpPorts(out.srcPort, out.dstPort) && out.payloadLength >= DhcpMessage.OPTIONS_OFFSET
                && !firstFragment) {
            return decodeDhcp(buffer, udp.payloadOffset(), out.payloadLength, capturedEnd, out);
        }
        return OK;
    }

    /** A datagram on the DHCP ports long enough for the fixed header: DHCP if it has the cookie, else BOOTP (UDP). */
    private DecodeResult decodeDhcp(byte[] buffer, int payload, int payloadLength, int capturedEnd, DecodedFrame out) {
        int end = payload + payloadLength;
        int captured = Math.min(capturedEnd, end);
        if (captured - payload < DhcpMessage.OPTIONS_OFFSET) {
            return TRUNCATED;
        }
        if (!DhcpMessage.isDhcp(buffer, payload)) {
            return OK;
        }
        return dhcp.read(buffer, payload, end, captured, out);
    }

    private DecodeResult decodeDns(byte[] buffer, int offset, int capturedEnd, DecodedFrame out) {
        if (dns.wrap(buffer, offset, capturedEnd) != OK) {
            return TRUNCATED;
        }
        out.type = DecodedFrame.Type.DNS;
        out.dnsId = dns.id();
        out.dnsFlags = dns.flags();
        out.dnsQuestionCount = dns.questionCount();
        out.dnsAnswerCount = dns.answerCount();
        if (out.dnsQuestionCount > 0) {
            int nameLength = dns.questionNameLength();
            if (nameLength > 0) {
                out.dnsQnameOffset = dns.questionNameOffset();
                out.dnsQnameLength = nameLength;
                out.dnsQtype = dns.questionType(nameLength);
            }
        }
        return OK;
    }

    private DecodeResult decodeIcmp(byte[] buffer, int offset, int length, int capturedEnd, int ipVersion,
            DecodedFrame out) {
        if (length < IcmpError.MIN_LENGTH) {
            return MALFORMED;
        }
        if (capturedEnd - offset < IcmpError.MIN_LENGTH) {
            return TRUNCATED;
        }
        int type = IcmpError.type(buffer, offset);
        out.icmpType = type;
        out.icmpCode = IcmpError.code(buffer, offset);
        if ((ipVersion == 4 && IcmpError.isV4Error(type)) || (ipVersion == 6 && IcmpError.isV6Error(type))) {
            // not reset by DecodedFrame.clear(): set here for every ICMP error
            out.icmpMtu = out.icmpPointer = out.quotedLength = out.quotedTcpFlags = -1;
        }
        if (ipVersion == 4 && IcmpError.isV4Error(type)) {
            out.type = DecodedFrame.Type.ICMP_ERROR;
            IcmpError.readV4Parameter(buffer, offset, capturedEnd, out);
            icmp.readQuotedIpv4(buffer, offset, capturedEnd, out);
        } else if (ipVersion == 6 && IcmpError.isV6Error(type)) {
            out.type = DecodedFrame.Type.ICMP_ERROR;
            IcmpError.readV6Parameter(buffer, offset, capturedEnd, out);
            icmp.readQuotedIpv6(buffer, offset, capturedEnd, out);
        } else if (ipVersion == 6 && NeighborDiscovery.isNeighborDiscovery(type, out.icmpCode, out.ttl)) {
            out.type = DecodedFrame.Type.ICMP_OTHER;
            return nd.read(buffer, offset, offset + length, capturedEnd, type, out);
        } else {
            out.type = DecodedFrame.Type.ICMP_OTHER;
        }
        return OK;
    }
}
