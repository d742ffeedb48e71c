package org.tapdoctor.wire;

import java.nio.charset.StandardCharsets;

/**
 * Builds {@link DecodedFrame}s directly, field by field, for the tests of the tracking stage: what
 * the decoder would have produced for a frame, without building the frame's bytes. Addresses are
 * given as text ({@link IpAddresses#parse}); IPv4 is stored IPv4-mapped as the decoder does. Only
 * DNS names live in a {@code byte[]} (wire form, RFC 1035 section 3.1), because the tracker copies
 * them from {@link DecodedFrame#buffer()}.
 *
 * <p>Every factory allocates; use them to prepare frames, never inside a measured loop.
 */
public final class TestPackets {
    public static final int DNS_PORT = 53;
    /** Offset of the question name in a built DNS buffer: after the 12-byte header, as on the wire. */
    public static final int DNS_QNAME_OFFSET = 12;

    private TestPackets() {
    }

    /** A TCP segment; {@code flags} are {@link DecodedFrame#SYN} and friends. */
    public static DecodedFrame tcp(long time, String src, int srcPort, String dst, int dstPort, int flags, int seq,
                                   int ack, int ttl, int window, int payloadLength) {
        long[] s = IpAddresses.parse(src);
        long[] d = IpAddresses.parse(dst);
        return tcp(time, s[0], s[1], srcPort, d[0], d[1], dstPort, flags, seq, ack, ttl, window, payloadLength);
    }

    /** A TCP segment between addresses already in their two-long form. */
    public static DecodedFrame tcp(long time, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort,
                                   int flags, int seq, int ack, int ttl, int window, int payloadLength) {
        DecodedFrame f = ip(time, srcHi, srcLo, dstHi, dstLo, ttl, 6);
        f.type = DecodedFrame.Type.TCP;
        f.srcPort = srcPort;
        f.dstPort = dstPort;
        f.tcpFlags = flags;
        f.seq = seq;
        f.ack = ack;
        f.window = window;
        f.payloadLength = payloadLength;
        return f;
    }

    /** A TCP segment carrying {@code payload} (the whole of it captured, from offset 0 of the buffer). */
    public static DecodedFrame tcp(long time, String src, int srcPort, String dst, int dstPort, int flags, int seq,
                                   int ack, int ttl, byte[] payload) {
        DecodedFrame f = tcp(time, src, srcPort, dst, dstPort, flags, seq, ack, ttl, 65535, payload.length);
        f.buffer = payload;
        f.payloadOffset = 0;
        f.payloadCaptured = payload.length;
        return f;
    }

    /** A TLS ClientHello record for {@code sni} (null: none) offering TLS 1.3 and 1.2 ({@code TlsMessages}). */
    public static byte[] tlsClientHello(String sni) {
        FrameBuilder b = new FrameBuilder();
        TlsMessages.clientHello(b, sni);
        return b.build();
    }

    /** A TLS ServerHello record selecting TLS 1.3. */
    public static byte[] tlsServerHello() {
        FrameBuilder b = new FrameBuilder();
        TlsMessages.serverHello(b, 32, 0x0304);
        return b.build();
    }

    /** A plaintext TLS alert record. */
    public static byte[] tlsAlert(int level, int description) {
        FrameBuilder b = new FrameBuilder();
        TlsMessages.alert(b, level, description);
        return b.build();
    }

    /**
     * An ICMP (type 3) or ICMPv6 (type 1) destination unreachable from {@code reporter} to the
     * quoted segment's source, quoting the TCP header of a segment from (qSrc, qSrcPort) to
     * (qDst, qDstPort) with sequence number {@code qSeq}.
     */
    public static DecodedFrame icmpUnreachable(long time, String reporter, int code, String qSrc, int qSrcPort,
                                               String qDst, int qDstPort, int qSeq) {
        DecodedFrame f = icmpUnreachable(time, reporter, code, qSrc, qSrcPort, qDst, qDstPort);
        f.quotedSeq = qSeq;
        f.quotedSeqPresent = true;
        return f;
    }

    /** As {@link #icmpUnreachable(long, String, int, String, int, String, int, int)}, with no sequence quoted. */
    public static DecodedFrame icmpUnreachable(long time, String reporter, int code, String qSrc, int qSrcPort,
                                               String qDst, int qDstPort) {
        long[] r = IpAddresses.parse(reporter);
        long[] s = IpAddresses.parse(qSrc);
        long[] d = IpAddresses.parse(qDst);
        boolean v4 = IpAddresses.isV4(r[0], r[1]);
        DecodedFrame f = ip(time, r[0], r[1], s[0], s[1], 60, v4 ? 1 : 58);
        f.type = DecodedFrame.Type.ICMP_ERROR;
        f.icmpType = v4 ? 3 : 1;
        f.icmpCode = code;
        f.quotedProtocol = 6;
        f.quotedSrcHi = s[0];
        f.quotedSrcLo = s[1];
        f.quotedDstHi = d[0];
        f.quotedDstLo = d[1];
        f.quotedSrcPort = qSrcPort;
        f.quotedDstPort = qDstPort;
        return f;
    }

    /**
     * Any ICMP (v4) or ICMPv6 error of {@code type}/{@code code} from {@code reporter}, quoting a
     * TCP segment as {@link #icmpUnreachable(long, String, int, String, int, String, int, int)}
     * does; {@code pointer} is a parameter problem's (-1: none).
     */
    public static DecodedFrame icmpError(long time, String reporter, int type, int code, int pointer, String qSrc,
                                         int qSrcPort, String qDst, int qDstPort, int qSeq) {
        DecodedFrame f = icmpUnreachable(time, reporter, code, qSrc, qSrcPort, qDst, qDstPort, qSeq);
        f.icmpType = type;
        f.icmpPointer = pointer;
        return f;
    }

    /** Makes an ICMP error built here quote a UDP datagram instead of a TCP segment. */
    public static void quoteUdp(DecodedFrame f) {
        f.quotedProtocol = 17;
    }

    /**
     * An ICMP fragmentation needed (3/4) or ICMPv6 packet too big (2) from {@code reporter}, next-hop
     * MTU {@code mtu}, quoting a {@code quotedLength}-byte packet of the TCP segment from (qSrc,
     * qSrcPort) to (qDst, qDstPort) with sequence number {@code qSeq}.
     */
    public static DecodedFrame icmpTooBig(long time, String reporter, int mtu, String qSrc, int qSrcPort, String qDst,
                                          int qDstPort, int qSeq, int quotedLength) {
        DecodedFrame f = icmpUnreachable(time, reporter, 4, qSrc, qSrcPort, qDst, qDstPort, qSeq);
        if (f.ipVersion == 6) {
            f.icmpType = 2;
            f.icmpCode = 0;
        }
        f.icmpMtu = mtu;
        f.quotedLength = quotedLength;
        return f;
    }

    /** An ARP request (operation 1): who has {@code targetIp}? tell {@code senderIp}. */
    public static DecodedFrame arpRequest(long time, long senderMac, String senderIp, String targetIp) {
        return arp(time, 1, senderMac, senderIp, 0, targetIp);
    }

    /** An ARP reply (operation 2): {@code senderIp} is at {@code senderMac}. */
    public static DecodedFrame arpReply(long time, long senderMac, String senderIp, long targetMac, String targetIp) {
        return arp(time, 2, senderMac, senderIp, targetMac, targetIp);
    }

    public static DecodedFrame arp(long time, int operation, long senderMac, String senderIp, long targetMac,
                                   String targetIp) {
        DecodedFrame f = new DecodedFrame();
        f.timeNanos = time;
        f.type = DecodedFrame.Type.ARP;
        f.srcMac = senderMac;
        f.arpOperation = operation;
        f.arpSenderMac = senderMac;
        f.arpSenderIp = v4(senderIp);
        f.arpTargetMac = targetMac;
        f.arpTargetIp = v4(targetIp);
        return f;
    }

    /** A standard query (opcode 0, RD set) from (client, clientPort) to (server, 53). */
    public static DecodedFrame dnsQuery(long time, String client, int clientPort, String server, int id, String qname,
                                        int qtype) {
        long[] c = IpAddresses.parse(client);
        long[] s = IpAddresses.parse(server);
        return dns(time, c, clientPort, s, DNS_PORT, id, 0x0100, 0, qname, qtype);
    }

    /** A response (QR, RD, RA set, the given RCODE) from (server, 53) to (client, clientPort). */
    public static DecodedFrame dnsResponse(long time, String server, String client, int clientPort, int id, String qname,
                                           int qtype, int rcode, int answers) {
        long[] c = IpAddresses.parse(client);
        long[] s = IpAddresses.parse(server);
        return dns(time, s, DNS_PORT, c, clientPort, id, 0x8180 | rcode, answers, qname, qtype);
    }

    /**
     * Any DNS-shaped message over UDP: {@code flags} is the header's second 16-bit word (QR, opcode,
     * ..., RCODE), with one question and {@code answers} answers.
     */
    public static DecodedFrame dns(long time, String src, int srcPort, String dst, int dstPort, int id, int flags,
                                   int answers, String qname, int qtype) {
        return dns(time, IpAddresses.parse(src), srcPort, IpAddresses.parse(dst), dstPort, id, flags, answers, qname,
                qtype);
    }

    private static DecodedFrame dns(long time, long[] src, int srcPort, long[] dst, int dstPort, int id, int flags,
                                    int answers, String qname, int qtype) {
        DecodedFrame f = ip(time, src[0], src[1], dst[0], dst[1], 64, 17);
        byte[] name = wireName(qname);
        byte[] buffer = new byte[DNS_QNAME_OFFSET + name.length + 4];
        System.arraycopy(name, 0, buffer, DNS_QNAME_OFFSET, name.length);
        f.buffer = buffer;
        f.frameOffset = 0;
        f.frameLength = buffer.length;
        f.type = DecodedFrame.Type.DNS;
        f.srcPort = srcPort;
        f.dstPort = dstPort;
        f.payloadLength = buffer.length;
        f.dnsId = id;
        f.dnsFlags = flags;
        f.dnsQuestionCount = 1;
        f.dnsAnswerCount = answers;
        f.dnsQtype = qtype;
        f.dnsQnameOffset = DNS_QNAME_OFFSET;
        f.dnsQnameLength = name.length;
        return f;
    }

    /** A dotted name in wire form: length-prefixed labels and the final zero label ("." is the root). */
    public static byte[] wireName(String dotted) {
        String trimmed = dotted.endsWith(".") ? dotted.substring(0, dotted.length() - 1) : dotted;
        if (trimmed.isEmpty()) {
            return new byte[] {0};
        }
        String[] labels = trimmed.split("\\.", -1);
        int length = 1;
        for (String label : labels) {
            length += 1 + label.getBytes(StandardCharsets.US_ASCII).length;
        }
        byte[] out = new byte[length];
        int o = 0;
        for (String label : labels) {
            byte[] b = label.getBytes(StandardCharsets.US_ASCII);
            if (b.length == 0 || b.length > 63) {
                throw new IllegalArgumentException("bad label in " + dotted + ": '" + label + "' (expected 1..63 bytes)");
            }
            out[o++] = (byte) b.length;
            System.arraycopy(b, 0, out, o, b.length);
            o += b.length;
        }
        out[o] = 0;
        return out;
    }

    /** An IPv4 address as the big-endian int ARP uses. */
    public static int v4(String text) {
        long[] a = IpAddresses.parse(text);
        if (!IpAddresses.isV4(a[0], a[1])) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        return IpAddresses.v4(a[1]);
    }

    /**
     * A DHCP message (RFC 2131) as the decoder gives it: op 1 from the client (port 68 to 67) or
     * 2 from the server, message type (option 53), chaddr and xid; server identifier (option
     * 54), your address, client address, router and lease (-1: absent), giaddr ("0.0.0.0": none).
     */
    public static DecodedFrame dhcp(long time, int messageType, long chaddr, int xid, String src, String dst,
                                    String ciaddr, String yiaddr, String serverId, String router, long leaseSeconds,
                                    String giaddr) {
        boolean fromClient = messageType == 1 || messageType == 3 || messageType == 4 || messageType == 7
                || messageType == 8;
        long[] a = IpAddresses.parse(src);
        long[] b = IpAddresses.parse(dst);
        DecodedFrame f = ip(time, a[0], a[1], b[0], b[1], 64, 17);
        f.type = DecodedFrame.Type.DHCP;
        f.srcMac = fromClient ? chaddr : 0x02_00_00_00_bb_02L;
        f.srcPort = fromClient ? 68 : 67;
        f.dstPort = fromClient ? 67 : 68;
        f.site.clear();
        f.site.dhcpOp = fromClient ? 1 : 2;
        f.site.dhcpMessageType = messageType;
        f.site.dhcpXid = xid;
        f.site.dhcpClientMac = chaddr;
        f.site.dhcpClientIp = v4(ciaddr);
        f.site.dhcpYourIp = v4(yiaddr);
        f.site.dhcpServerId = v4(serverId);
        f.site.dhcpRouter = v4(router);
        f.site.dhcpLeaseSeconds = leaseSeconds;
        f.site.dhcpRelayIp = v4(giaddr);
        return f;
    }

    /** Any IPv4 packet of {@code protocol} from (srcMac, src) to dst: a sign a device uses its address. */
    public static DecodedFrame ipv4(long time, long srcMac, String src, String dst, int protocol) {
        long[] a = IpAddresses.parse(src);
        long[] b = IpAddresses.parse(dst);
        DecodedFrame f = ip(time, a[0], a[1], b[0], b[1], 64, protocol);
        f.type = DecodedFrame.Type.OTHER;
        f.srcMac = srcMac;
        return f;
    }

    /** An IPv4 packet of {@code protocol} from (srcMac, src) to dst, handed to {@code dstMac} (a next hop). */
    public static DecodedFrame ipv4(long time, long srcMac, long dstMac, String src, String dst, int protocol) {
        DecodedFrame f = ipv4(time, srcMac, src, dst, protocol);
        f.dstMac = dstMac;
        return f;
    }

    /** An ARP request sent to {@code ethDst} (a cache's unicast probe, RFC 1122 2.3.2.1). */
    public static DecodedFrame arpRequestTo(long time, long ethDst, long senderMac, String senderIp, String targetIp) {
        DecodedFrame f = arp(time, 1, senderMac, senderIp, 0, targetIp);
        f.dstMac = ethDst;
        return f;
    }

    private static DecodedFrame ip(long time, long srcHi, long srcLo, long dstHi, long dstLo, int ttl, int protocol) {
        DecodedFrame f = new DecodedFrame();
        f.timeNanos = time;
        f.ipVersion = IpAddresses.isV4(srcHi, srcLo) ? 4 : 6;
        f.srcHi = srcHi;
        f.srcLo = srcLo;
        f.dstHi = dstHi;
        f.dstLo = dstLo;
        f.ttl = ttl;
        f.ipProtocol = protocol;
        return f;
    }
}
