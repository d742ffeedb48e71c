package org.tapdoctor.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class Ipv4HeaderTest {
    private final FrameDecoder decoder = new FrameDecoder();
    private final DecodedFrame frame = new DecodedFrame();

    private DecodeResult decode(byte[] bytes) {
        return decoder.decode(bytes, 0, bytes.length, LinkTypes.ETHERNET, frame);
    }

    @Test
    void shouldRejectIhlBelowFive() {
        byte[] bytes = Frames.ethernetIpv4Syn();
        bytes[14] = 0x44; // version 4, IHL 4

        assertEquals(DecodeResult.MALFORMED, decode(bytes));
    }

    @Test
    void shouldRejectVersionOtherThanFour() {
        byte[] bytes = Frames.ethernetIpv4Syn();
        bytes[14] = 0x55; // version 5

        assertEquals(DecodeResult.MALFORMED, decode(bytes));
    }

    @Test
    void shouldRejectTotalLengthShorterThanTheHeader() {
        byte[] bytes = Frames.ethernetIpv4Syn();
        bytes[14 + 2] = 0;
        bytes[14 + 3] = 19; // total length 19

        assertEquals(DecodeResult.MALFORMED, decode(bytes));
    }

    @Test
    void shouldReportTruncatedWhenOptionsAreCut() {
        byte[] bytes = Frames.ethernetIpv4Syn();
        bytes[14] = 0x4F; // IHL 15: 60 bytes of header

        assertEquals(DecodeResult.TRUNCATED, decoder.decode(bytes, 0, 14 + 59, LinkTypes.ETHERNET, frame));
    }

    @Test
    void shouldSkipIpOptions() {
        FrameBuilder b = new FrameBuilder();
        Frames.ethernet(b, 0x0800);
        int ip = b.position();
        b.u8(0x46)              // version 4, IHL 6 (24 bytes)
         .u8(0)                 // DSCP, ECN
         .u16(0)                // total length: patched
         .u16(1)                // identification
         .u16(0)                // flags, fragment offset 0
         .u8(1)                 // TTL
         .u8(6)                 // protocol TCP
         .u16(0)                // header checksum
         .ipv4(Frames.CLIENT)   // source
         .ipv4(Frames.SERVER)   // destination
         .bytes(0x94, 4, 0, 0); // option router alert (RFC 2113)
        Frames.tcp(b, 1, 2, 3, 0, 0x02, 100);
        Frames.finishIpv4(b, ip);

        assertEquals(DecodeResult.OK, decode(b.build()));
        assertEquals(DecodedFrame.Type.TCP, frame.type());
        assertEquals(1, frame.ttl());
        assertEquals(2, frame.dstPort());
    }

    @Test
    void shouldDecodeNonFirstFragmentAsOther() {
        FrameBuilder b = new FrameBuilder();
        Frames.ethernet(b, 0x0800);
        int ip = b.position();
        b.u8(0x45)              // version 4, IHL 5
         .u8(0)                 // DSCP, ECN
         .u16(0)                // total length: patched
         .u16(0x4242)           // identification
         .u16(0x00B9)           // flags 0 (last fragment), fragment offset 185 (1480 bytes)
         .u8(64)                // TTL
         .u8(17)                // protocol UDP
         .u16(0)                // header checksum
         .ipv4(Frames.CLIENT)   // source
         .ipv4(Frames.SERVER)   // destination
         .zeros(100);           // the rest of the datagram, no UDP header
        Frames.finishIpv4(b, ip);

        assertEquals(DecodeResult.OK, decode(b.build()));
        assertEquals(DecodedFrame.Type.OTHER, frame.type());
        assertEquals(17, frame.ipProtocol());
        assertEquals(-1, frame.srcPort());
        assertEquals(IpAddresses.parse(Frames.SERVER)[1], frame.dstLo());
    }

    @Test
    void shouldAcceptUdpLengthOfTheWholeDatagramInAFirstFragment() {
        FrameBuilder b = new FrameBuilder();
        Frames.ethernet(b, 0x0800);
        int ip = b.position();
        b.u8(0x45)              // version 4, IHL 5
         .u8(0)                 // DSCP, ECN
         .u16(0)                // total length: patched
         .u16(0x4243)           // identification
         .u16(0x2000)           // flags MF (more fragments), fragment offset 0
         .u8(64)                // TTL
         .u8(17)                // protocol UDP
         .u16(0)                // header checksum
         .ipv4(Frames.CLIENT)   // source
         .ipv4(Frames.SERVER);  // destination
        b.u16(161)              // UDP source port
         .u16(40000)            // UDP destination port
         .u16(3008)             // UDP length: the whole datagram, beyond this fragment
         .u16(0)                // UDP checksum
         .zeros(100);           // first 100 bytes of data
        Frames.finishIpv4(b, ip);

        assertEquals(DecodeResult.OK, decode(b.build()));
        assertEquals(DecodedFrame.Type.UDP, frame.type());
        assertEquals(3000, frame.payloadLength());

        byte[] unfragmented = b.build();
        unfragmented[14 + 6] = 0; // no MF: the UDP length now contradicts the IP total length
        assertEquals(DecodeResult.MALFORMED, decode(unfragmented));
    }

    @Test
    void shouldDecodeOtherProtocolsAsOther() {
        FrameBuilder b = new FrameBuilder();
        Frames.ethernet(b, 0x0800);
        int ip = Frames.ipv4(b, 47, Frames.CLIENT, Frames.SERVER); // GRE
        b.zeros(8);             // GRE header, not decoded
        Frames.finishIpv4(b, ip);

        assertEquals(DecodeResult.OK, decode(b.build()));
        assertEquals(DecodedFrame.Type.OTHER, frame.type());
        assertEquals(47, frame.ipProtocol());
    }
}
