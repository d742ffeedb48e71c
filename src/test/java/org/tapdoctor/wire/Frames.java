package org.tapdoctor.wire;

import java.util.List;

/**
 * Test frames built byte by byte, one comment per field. Addresses are from the documentation
 * ranges (RFC 5737, RFC 3849). Checksums are zero: the decoder does not verify them.
 */
final class Frames {
    static final long CLIENT_MAC = 0x02_00_00_00_00_01L;
    static final long SERVER_MAC = 0x02_00_00_00_00_02L;
    static final String CLIENT = "192.0.2.1";
    static final String SERVER = "198.51.100.2";
    static final String ROUTER = "203.0.113.254";
    static final String CLIENT6 = "2001:db8::1";
    static final String SERVER6 = "2001:db8::2";
    static final long SYN_SEQ = 0xF0E0D0C0L;

    /** A named test frame and its link type. */
    record Sample(String name, int linkType, byte[] bytes) {
    }

    private Frames() {
    }

    static void ethernet(FrameBuilder b, int etherType) {
        b.u48(SERVER_MAC)       // destination MAC
         .u48(CLIENT_MAC)       // source MAC
         .u16(etherType);       // EtherType
    }

    /** IPv4 header without options, total length patched by {@link #finishIpv4}; returns its start. */
    static int ipv4(FrameBuilder b, int protocol, String src, String dst) {
        int start = b.position();
        b.u8(0x45)              // version 4, IHL 5 (20 bytes)
         .u8(0x00)              // DSCP 0, ECN 0
         .u16(0)                // total length: patched by finishIpv4
         .u16(0x1234)           // identification
         .u16(0x4000)           // flags DF, fragment offset 0
         .u8(64)                // TTL
         .u8(protocol)          // protocol
         .u16(0)                // header checksum
         .ipv4(src)             // source address
         .ipv4(dst);            // destination address
        return start;
    }

    static void finishIpv4(FrameBuilder b, int start) {
        b.patch16(start + 2, b.position() - start);
    }

    /** IPv6 header, payload length patched by {@link #finishIpv6}; returns its start. */
    static int ipv6(FrameBuilder b, int nextHeader, String src, String dst) {
        int start = b.position();
        b.u32(0x6000_0000L)     // version 6, traffic class 0, flow label 0
         .u16(0)                // payload length: patched by finishIpv6
         .u8(nextHeader)        // next header
         .u8(64)                // hop limit
         .ipv6(src)             // source address
         .ipv6(dst);            // destination address
        return start;
    }

    static void finishIpv6(FrameBuilder b, int start) {
        b.patch16(start + 4, b.position() - start - 40);
    }

    /** A SYN with MSS 1460, SACK permitted, timestamps, NOP, window scale 7: 40 bytes. */
    static void tcpSynWithOptions(FrameBuilder b, int srcPort, int dstPort, long seq) {
        b.u16(srcPort)          // source port
         .u16(dstPort)          // destination port
         .u32(seq)              // sequence number
         .u32(0)                // acknowledgment number
         .u8(10 << 4)           // data offset 10 (40 bytes), reserved 0
         .u8(0x02)              // flags: SYN
         .u16(64240)            // window
         .u16(0)                // checksum
         .u16(0)                // urgent pointer
         .bytes(2, 4).u16(1460) // option MSS, length 4, 1460
         .bytes(4, 2)           // option SACK permitted, length 2
         .bytes(8, 10)          // option timestamps, length 10
         .u32(0x01020304L)      //   TSval
         .u32(0)                //   TSecr
         .bytes(1)              // option NOP
         .bytes(3, 3, 7);       // option window scale, length 3, shift 7
    }

    /** A TCP header without options (data offset 5). */
    static void tcp(FrameBuilder b, int srcPort, int dstPort, long seq, long ack, int flags, int window) {
        b.u16(srcPort)          // source port
         .u16(dstPort)          // destination port
         .u32(seq)              // sequence number
         .u32(ack)              // acknowledgment number
         .u8(5 << 4)            // data offset 5 (20 bytes), reserved 0
         .u8(flags)             // flags
         .u16(window)           // window
         .u16(0)                // checksum
         .u16(0);               // urgent pointer
    }

    /** Ethernet + IPv4 + TCP SYN with options, from CLIENT:40000 to SERVER:443. */
    static byte[] ethernetIpv4Syn() {
        FrameBuilder b = new FrameBuilder();
        ethernet(b, 0x0800);
        int ip = ipv4(b, 6, CLIENT, SERVER);
        tcpSynWithOptions(b, 40000, 443, SYN_SEQ);
        finishIpv4(b, ip);
        return b.build();
    }

    /** A UDP DNS query for "example.com" type A (1), id 0xBEEF, from CLIENT:53000 to SERVER:53. */
    static void udpDnsQuery(FrameBuilder b) {
        int udp = b.position();
        b.u16(53000)            // UDP source port
         .u16(53)               // UDP destination port
         .u16(0)                // UDP length: patched below
         .u16(0)                // UDP checksum
         .u16(0xBEEF)           // DNS id
         .u16(0x0100)           // flags: query, RD
         .u16(1)                // QDCOUNT
         .u16(0)                // ANCOUNT
         .u16(0)                // NSCOUNT
         .u16(0)                // ARCOUNT
         .dnsName("example.com") // QNAME: 7 example 3 com 0
         .u16(1)                // QTYPE A
         .u16(1);               // QCLASS IN
        b.patch16(udp + 4, b.position() - udp);
    }

    static byte[] ethernetIpv4DnsQuery() {
        FrameBuilder b = new FrameBuilder();
        ethernet(b, 0x0800);
        int ip = ipv4(b, 17, CLIENT, SERVER);
        udpDnsQuery(b);
        finishIpv4(b, ip);
        return b.build();
    }

    /** ICMP port unreachable from SERVER quoting the SYN of {@link #ethernetIpv4Syn()} (28 bytes of it). */
    static byte[] ethernetIcmpPortUnreachableQuotingSyn() {
        FrameBuilder b = new FrameBuilder();
        ethernet(b, 0x0800);
        int ip = ipv4(b, 1, SERVER, CLIENT);
        b.u8(3)                 // ICMP type 3, destination unreachable
         .u8(3)                 // code 3, port unreachable
         .u16(0)                // checksum
         .u32(0);               // unused
        int quoted = ipv4(b, 6, CLIENT, SERVER); // quoted IPv4 header of the SYN
        b.u16(40000)            // quoted TCP source port
         .u16(443)              // quoted TCP destination port
         .u32(SYN_SEQ);         // quoted TCP sequence number
        b.patch16(quoted + 2, 60); // quoted total length: the original SYN's 60 bytes
        finishIpv4(b, ip);
        return b.build();
    }

    /** ICMPv6 destination unreachable (port) from SERVER6 quoting a TCP SYN from CLIENT6:40000 to :443. */
    static byte[] ipv6IcmpUnreachableQuotingSyn() {
        FrameBuilder b = new FrameBuilder();
        int ip = ipv6(b, 58, SERVER6, CLIENT6);
        b.u8(1)                 // ICMPv6 type 1, destination unreachable
         .u8(4)                 // code 4, port unreachable
         .u16(0)                // checksum
         .u32(0);               // unused
        int quoted = ipv6(b, 6, CLIENT6, SERVER6); // quoted IPv6 header of the SYN
        tcpSynWithOptions(b, 40000, 443, SYN_SEQ); // quoted SYN
        finishIpv6(b, quoted);
        finishIpv6(b, ip);
        return b.build();
    }

    static final long CLIENT_DATA_SEQ = SYN_SEQ + 1;
    static final long SERVER_ISN = 0x01020304L;

    /** Ethernet + IPv4 (DF) + TCP ACK/PSH from CLIENT:40000 to SERVER:443 carrying a TLS ClientHello with SNI. */
    static byte[] ethernetIpv4TlsClientHello() {
        FrameBuilder b = new FrameBuilder();
        ethernet(b, 0x0800);
        int ip = ipv4(b, 6, CLIENT, SERVER);
        tcp(b, 40000, 443, CLIENT_DATA_SEQ, SERVER_ISN + 1, 0x18, 502); // flags ACK, PSH
        TlsMessages.clientHello(b, TlsMessages.SNI);
        finishIpv4(b, ip);
        return b.build();
    }

    /**
     * ICMP fragmentation needed (3/4), next-hop MTU 1400, from ROUTER, quoting the IP header and
     * the TCP header of a 1500-byte DF data segment from CLIENT:40000 to SERVER:443.
     */
    static byte[] ethernetIcmpFragmentationNeeded() {
        FrameBuilder b = new FrameBuilder();
        ethernet(b, 0x0800);
        int ip = ipv4(b, 1, ROUTER, CLIENT);
        b.u8(3)                 // ICMP type 3, destination unreachable
         .u8(4)                 // code 4, fragmentation needed and DF set
         .u16(0)                // checksum
         .u16(0)                // unused (RFC 1191 section 4)
         .u16(1400);            // next-hop MTU
        int quoted = ipv4(b, 6, CLIENT, SERVER); // quoted IPv4 header, DF set
        tcp(b, 40000, 443, CLIENT_DATA_SEQ, SERVER_ISN + 1, 0x10, 502); // quoted TCP header, ACK
        b.patch16(quoted + 2, 1500); // quoted total length: the segment that did not fit
        finishIpv4(b, ip);
        return b.build();
    }

    /** ICMPv6 packet too big (type 2), MTU 1280, from a router, quoting a 1500-byte TCP segment from CLIENT6. */
    static byte[] ipv6PacketTooBig() {
        FrameBuilder b = new FrameBuilder();
        int ip = ipv6(b, 58, "2001:db8::fe", CLIENT6);
        b.u8(2)                 // ICMPv6 type 2, packet too big
         .u8(0)                 // code 0
         .u16(0)                // checksum
         .u32(1280);            // MTU
        int quoted = ipv6(b, 6, CLIENT6, SERVER6); // quoted IPv6 header
        tcp(b, 40000, 443, CLIENT_DATA_SEQ, SERVER_ISN + 1, 0x10, 502); // quoted TCP header, ACK
        b.patch16(quoted + 4, 1460); // quoted payload length: 40 + 1460 = 1500 bytes on the wire
        finishIpv6(b, ip);
        return b.build();
    }

    /** ICMP time exceeded in transit (11/0) from ROUTER quoting the SYN of {@link #ethernetIpv4Syn()} (its first 20 TCP bytes). */
    static byte[] ethernetIcmpTimeExceededQuotingSyn() {
        FrameBuilder b = new FrameBuilder();
        ethernet(b, 0x0800);
        int ip = ipv4(b, 1, ROUTER, CLIENT);
        b.u8(11)                // ICMP type 11, time exceeded
         .u8(0)                 // code 0, TTL exceeded in transit
         .u16(0)                // checksum
         .u32(0);               // unused
        int quoted = ipv4(b, 6, CLIENT, SERVER); // quoted IPv4 header of the SYN
        tcp(b, 40000, 443, SYN_SEQ, 0, 0x02, 64240); // quoted TCP header: SYN
        b.patch16(quoted + 2, 60); // quoted total length: the original SYN's 60 bytes
        b.patch16(quoted + 8, 0x0106); // quoted TTL 1 (it expired there), protocol 6
        finishIpv4(b, ip);
        return b.build();
    }

    /** ICMP parameter problem (12/0), pointer 23, from SERVER quoting a SYN whose IPv4 header has an option. */
    static byte[] ethernetIcmpParameterProblem() {
        FrameBuilder b = new FrameBuilder();
        ethernet(b, 0x0800);
        int ip = ipv4(b, 1, SERVER, CLIENT);
        b.u8(12)                // ICMP type 12, parameter problem
         .u8(0)                 // code 0, pointer indicates the error
         .u16(0)                // checksum
         .u8(23)                // pointer: byte 23 of the quoted header (the option's overflow field)
         .u8(0).u16(0);         // unused
        b.u8(0x47)              // quoted IPv4: version 4, IHL 7 (28 bytes)
         .u8(0)                 // DSCP, ECN
         .u16(48)               // total length: 28 of header, 20 of TCP
         .u16(0x1234)           // identification
         .u16(0x4000)           // DF
         .u8(63)                // TTL
         .u8(6)                 // protocol TCP
         .u16(0)                // checksum
         .ipv4(CLIENT)          // source
         .ipv4(SERVER)          // destination
         .u8(68)                // option: timestamp (RFC 791)
         .u8(8)                 //   length
         .u8(9)                 //   pointer past the end: full
         .u8(0xF0)              //   overflow 15, flag 0: cannot count another hop
         .u32(0);               //   one timestamp slot
        tcp(b, 40000, 443, SYN_SEQ, 0, 0x02, 64240); // quoted TCP header: SYN
        finishIpv4(b, ip);
        return b.build();
    }

    /** ICMPv6 parameter problem (4/2, unrecognized option), pointer 42, quoting a SYN with a hop-by-hop header. */
    static byte[] ipv6ParameterProblem() {
        FrameBuilder b = new FrameBuilder();
        int ip = ipv6(b, 58, "2001:db8::fe", CLIENT6);
        b.u8(4)                 // ICMPv6 type 4, parameter problem
         .u8(2)                 // code 2, unrecognized IPv6 option
         .u16(0)                // checksum
         .u32(42);              // pointer: the option type byte after the 2-byte hop-by-hop header
        int quoted = ipv6(b, 0, CLIENT6, SERVER6); // quoted IPv6 header, next header hop-by-hop
        b.u8(6)                 // hop-by-hop: next header TCP
         .u8(0)                 // hdr ext len 0 (8 bytes)
         .u8(0x9E)              // option type: action 10 (discard, send ICMP), unknown
         .u8(4)                 // option length
         .u32(0);               // option data
        tcp(b, 40000, 443, SYN_SEQ, 0, 0x02, 64240); // quoted TCP header: SYN
        finishIpv6(b, quoted);
        finishIpv6(b, ip);
        return b.build();
    }

    /** ARP request: who has SERVER? tell CLIENT. */
    static byte[] ethernetArpRequest() {
        FrameBuilder b = new FrameBuilder();
        b.u48(0xFFFF_FFFF_FFFFL) // destination MAC: broadcast
         .u48(CLIENT_MAC)       // source MAC
         .u16(0x0806);          // EtherType ARP
        b.u16(1)                // hardware type Ethernet
         .u16(0x0800)           // protocol type IPv4
         .u8(6)                 // hardware address length
         .u8(4)                 // protocol address length
         .u16(1)                // operation: request
         .u48(CLIENT_MAC)       // sender MAC
         .ipv4(CLIENT)          // sender IP
         .u48(0)                // target MAC: unknown
         .ipv4(SERVER);         // target IP
        b.zeros(18);            // Ethernet padding to 60 bytes
        return b.build();
    }

    /** IPv6 (raw) with a hop-by-hop header and a first-fragment header before a TCP SYN. */
    static byte[] ipv6HopByHopFragmentSyn() {
        FrameBuilder b = new FrameBuilder();
        int ip = ipv6(b, 0, CLIENT6, SERVER6);
        b.u8(44)                // hop-by-hop: next header fragment
         .u8(0)                 // hdr ext len 0 (8 bytes)
         .bytes(1, 4, 0, 0, 0, 0); // PadN option, 4 bytes of padding
        b.u8(6)                 // fragment: next header TCP
         .u8(0)                 // reserved
         .u16(0x0001)           // fragment offset 0, M = 1 (more fragments)
         .u32(0xCAFEBABEL);     // identification
        tcpSynWithOptions(b, 40000, 443, SYN_SEQ);
        finishIpv6(b, ip);
        return b.build();
    }

    /** Linux cooked v1 with an IPv4 SYN. */
    static byte[] sllIpv4Syn() {
        FrameBuilder b = new FrameBuilder();
        b.u16(4)                // packet type: sent by us
         .u16(1)                // ARPHRD_ETHER
         .u16(6)                // link-layer address length
         .u48(CLIENT_MAC)       // link-layer address
         .u16(0)                // address padding to 8 bytes
         .u16(0x0800);          // protocol: IPv4
        int ip = ipv4(b, 6, CLIENT, SERVER);
        tcpSynWithOptions(b, 40000, 443, SYN_SEQ);
        finishIpv4(b, ip);
        return b.build();
    }

    /** Linux cooked v2 with an IPv4 SYN. */
    static byte[] sll2Ipv4Syn() {
        FrameBuilder b = new FrameBuilder();
        b.u16(0x0800)           // protocol: IPv4
         .u16(0)                // reserved
         .u32(3)                // interface index
         .u16(1)                // ARPHRD_ETHER
         .u8(4)                 // packet type: sent by us
         .u8(6)                 // link-layer address length
         .u48(CLIENT_MAC)       // link-layer address
         .u16(0);               // address padding to 8 bytes
        int ip = ipv4(b, 6, CLIENT, SERVER);
        tcpSynWithOptions(b, 40000, 443, SYN_SEQ);
        finishIpv4(b, ip);
        return b.build();
    }

    /** Ethernet + 802.1ad tag (VLAN 100) + 802.1Q tag (VLAN 200) + IPv4 SYN. */
    static byte[] qinqIpv4Syn() {
        FrameBuilder b = new FrameBuilder();
        ethernet(b, 0x88A8);    // EtherType 802.1ad service tag
        b.u16(100)              // PCP 0, DEI 0, VLAN 100
         .u16(0x8100)           // EtherType 802.1Q customer tag
         .u16(0x2000 | 200)     // PCP 1, DEI 0, VLAN 200
         .u16(0x0800);          // EtherType IPv4
        int ip = ipv4(b, 6, CLIENT, SERVER);
        tcpSynWithOptions(b, 40000, 443, SYN_SEQ);
        finishIpv4(b, ip);
        return b.build();
    }

    /** BSD loopback (NULL) with family AF_INET in little-endian order, then an IPv4 SYN. */
    static byte[] nullIpv4Syn() {
        FrameBuilder b = new FrameBuilder();
        b.bytes(2, 0, 0, 0);    // family AF_INET (2), little-endian host
        int ip = ipv4(b, 6, CLIENT, SERVER);
        tcpSynWithOptions(b, 40000, 443, SYN_SEQ);
        finishIpv4(b, ip);
        return b.build();
    }

    /** Ethernet + MPLS (2 labels) + IPv4 SYN. */
    static byte[] mplsIpv4Syn() {
        FrameBuilder b = new FrameBuilder();
        ethernet(b, 0x8847);    // EtherType MPLS unicast
        b.u32(0x0001_00FFL)     // label 16, TC 0, S 0, TTL 255
         .u32(0x0001_11FFL);    // label 17, TC 0, S 1 (bottom), TTL 255
        int ip = ipv4(b, 6, CLIENT, SERVER);
        tcpSynWithOptions(b, 40000, 443, SYN_SEQ);
        finishIpv4(b, ip);
        return b.build();
    }

    /** OpenBSD loopback (LOOP): family AF_INET6 (24) big-endian, then IPv6 with extension headers. */
    static byte[] loopIpv6Syn() {
        FrameBuilder b = new FrameBuilder();
        b.u32(24);              // family AF_INET6 (24), big-endian
        for (byte x : ipv6HopByHopFragmentSyn()) {
            b.u8(x);            // IPv6 packet
        }
        return b.build();
    }

    /** Every sample, the site protocols' included, for the truncation, fuzz and allocation tests. */
    static List<Sample> samples() {
        List<Sample> all = new java.util.ArrayList<>(ipSamples());
        all.addAll(SiteFrames.samples());
        return all;
    }

    /** The samples of IP and ARP. */
    static List<Sample> ipSamples() {
        byte[] rawIpv6Icmp = ipv6IcmpUnreachableQuotingSyn();
        byte[] rawIpv4Syn = java.util.Arrays.copyOfRange(ethernetIpv4Syn(), 14, ethernetIpv4Syn().length);
        byte[] rawIpv4Dns = java.util.Arrays.copyOfRange(ethernetIpv4DnsQuery(), 14, ethernetIpv4DnsQuery().length);
        return List.of(
                new Sample("ipv4 syn", LinkTypes.IPV4, rawIpv4Syn),
                new Sample("raw bsd 12 ipv4 dns", LinkTypes.RAW_BSD_12, rawIpv4Dns),
                new Sample("raw bsd 14 ipv4 syn", LinkTypes.RAW_BSD_14, rawIpv4Syn),
                new Sample("loop ipv6 syn", LinkTypes.LOOP, loopIpv6Syn()),
                new Sample("ethernet ipv4 syn", LinkTypes.ETHERNET, ethernetIpv4Syn()),
                new Sample("ethernet ipv4 dns query", LinkTypes.ETHERNET, ethernetIpv4DnsQuery()),
                new Sample("ethernet icmp quoting syn", LinkTypes.ETHERNET, ethernetIcmpPortUnreachableQuotingSyn()),
                new Sample("ethernet arp request", LinkTypes.ETHERNET, ethernetArpRequest()),
                new Sample("qinq ipv4 syn", LinkTypes.ETHERNET, qinqIpv4Syn()),
                new Sample("mpls ipv4 syn", LinkTypes.ETHERNET, mplsIpv4Syn()),
                new Sample("sll ipv4 syn", LinkTypes.LINUX_SLL, sllIpv4Syn()),
                new Sample("sll2 ipv4 syn", LinkTypes.LINUX_SLL2, sll2Ipv4Syn()),
                new Sample("null ipv4 syn", LinkTypes.NULL, nullIpv4Syn()),
                new Sample("raw ipv6 icmpv6 quoting syn", LinkTypes.RAW, rawIpv6Icmp),
                new Sample("ipv6 icmpv6 quoting syn", LinkTypes.IPV6, rawIpv6Icmp),
                new Sample("raw ipv6 hop-by-hop fragment syn", LinkTypes.RAW, ipv6HopByHopFragmentSyn()),
                new Sample("ethernet ipv4 tls client hello", LinkTypes.ETHERNET, ethernetIpv4TlsClientHello()),
                new Sample("ethernet icmp fragmentation needed", LinkTypes.ETHERNET, ethernetIcmpFragmentationNeeded()),
                new Sample("ipv6 icmpv6 packet too big", LinkTypes.IPV6, ipv6PacketTooBig()),
                new Sample("ethernet icmp time exceeded quoting syn", LinkTypes.ETHERNET, ethernetIcmpTimeExceededQuotingSyn()),
                new Sample("ethernet icmp parameter problem", LinkTypes.ETHERNET, ethernetIcmpParameterProblem()),
                new Sample("raw ipv6 icmpv6 parameter problem", LinkTypes.RAW, ipv6ParameterProblem()));
    }
}
