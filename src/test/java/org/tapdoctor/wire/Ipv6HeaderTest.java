package org.tapdoctor.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Ipv6HeaderTest {
    private final FrameDecoder decoder = new FrameDecoder();
    private final DecodedFrame frame = new DecodedFrame();

    private DecodeResult decodeRaw(byte[] bytes) {
        return decoder.decode(bytes, 0, bytes.length, LinkTypes.RAW, frame);
    }

    @Test
    void shouldDecodeRawIpv6Syn() {
        FrameBuilder b = new FrameBuilder();
        int ip = Frames.ipv6(b, 6, Frames.CLIENT6, Frames.SERVER6);
        Frames.tcpSynWithOptions(b, 40000, 443, Frames.SYN_SEQ);
        Frames.finishIpv6(b, ip);

        assertEquals(DecodeResult.OK, decodeRaw(b.build()));
        assertEquals(DecodedFrame.Type.TCP, frame.type());
        assertEquals(6, frame.ipVersion());
        long[] client = IpAddresses.parse(Frames.CLIENT6);
        assertEquals(client[0], frame.srcHi());
        assertEquals(client[1], frame.srcLo());
        assertEquals(IpAddresses.parse(Frames.SERVER6)[1], frame.dstLo());
        assertEquals(64, frame.ttl());
        assertEquals(-1, frame.srcMac());
        assertTrue(frame.isSyn());
        assertEquals(1460, frame.mss());
    }

    @Test
    void shouldWalkHopByHopAndFirstFragmentHeaders() {
        assertEquals(DecodeResult.OK, decodeRaw(Frames.ipv6HopByHopFragmentSyn()));
        assertEquals(DecodedFrame.Type.TCP, frame.type());
        assertEquals(6, frame.ipProtocol());
        assertEquals(443, frame.dstPort());
        assertEquals(0, frame.payloadLength());
        assertEquals(7, frame.windowScale());
    }

    @Test
    void shouldDecodeNonFirstFragmentAsOther() {
        FrameBuilder b = new FrameBuilder();
        int ip = Frames.ipv6(b, 44, Frames.CLIENT6, Frames.SERVER6);
        b.u8(6)                 // fragment: next header TCP
         .u8(0)                 // reserved
         .u16(0x05A8)           // fragment offset 181 (1448 bytes), M = 0
         .u32(0xCAFEBABEL)      // identification
         .zeros(40);            // the rest of the segment
        Frames.finishIpv6(b, ip);

        assertEquals(DecodeResult.OK, decodeRaw(b.build()));
        assertEquals(DecodedFrame.Type.OTHER, frame.type());
        assertEquals(6, frame.ipProtocol());
        assertEquals(-1, frame.srcPort());
    }

    @Test
    void shouldWalkRoutingDestinationOptionsAndAuthenticationHeaders() {
        FrameBuilder b = new FrameBuilder();
        int ip = Frames.ipv6(b, 43, Frames.CLIENT6, Frames.SERVER6);
        b.u8(60)                // routing: next header destination options
         .u8(0)                 // hdr ext len 0 (8 bytes)
         .u8(4)                 // routing type 4 (segment routing)
         .u8(0)                 // segments left 0
         .zeros(4);             // type-specific data
        b.u8(51)                // destination options: next header AH
         .u8(1)                 // hdr ext len 1 (16 bytes)
         .bytes(1, 12).zeros(12); // PadN, 12 bytes of padding
        b.u8(17)                // AH: next header UDP
         .u8(4)                 // payload len 4: (4 + 2) * 4 = 24 bytes
         .u16(0)                // reserved
         .u32(0x100)            // SPI
         .u32(1)                // sequence number
         .zeros(12);            // ICV (HMAC-SHA1-96)
        b.u16(5000)             // UDP source port
         .u16(5001)             // UDP destination port
         .u16(12)               // UDP length
         .u16(0)                // UDP checksum
         .u32(0xDEADBEEFL);     // UDP payload
        Frames.finishIpv6(b, ip);

        assertEquals(DecodeResult.OK, decodeRaw(b.build()));
        assertEquals(DecodedFrame.Type.UDP, frame.type());
        assertEquals(17, frame.ipProtocol());
        assertEquals(5001, frame.dstPort());
        assertEquals(4, frame.payloadLength());
    }

    @Test
    void shouldDecodeNoNextHeaderAsOther() {
        FrameBuilder b = new FrameBuilder();
        int ip = Frames.ipv6(b, 59, Frames.CLIENT6, Frames.SERVER6);
        Frames.finishIpv6(b, ip);

        assertEquals(DecodeResult.OK, decodeRaw(b.build()));
        assertEquals(DecodedFrame.Type.OTHER, frame.type());
        assertEquals(59, frame.ipProtocol());
    }

    @Test
    void shouldRejectExtensionHeaderRunningPastThePayloadLength() {
        FrameBuilder b = new FrameBuilder();
        int ip = Frames.ipv6(b, 0, Frames.CLIENT6, Frames.SERVER6);
        b.u8(6)                 // hop-by-hop: next header TCP
         .u8(10)                // hdr ext len 10: 88 bytes, more than the packet
         .zeros(6);             // options
        Frames.finishIpv6(b, ip);

        assertEquals(DecodeResult.MALFORMED, decodeRaw(b.build()));
    }

    @Test
    void shouldRejectVersionOtherThanSix() {
        byte[] bytes = Frames.ipv6HopByHopFragmentSyn();
        bytes[0] = 0x40; // version 4 on link type IPV6

        assertEquals(DecodeResult.MALFORMED, decoder.decode(bytes, 0, bytes.length, LinkTypes.IPV6, frame));
    }
}
