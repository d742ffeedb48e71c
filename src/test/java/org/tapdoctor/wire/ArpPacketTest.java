package org.tapdoctor.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ArpPacketTest {
    private final FrameDecoder decoder = new FrameDecoder();
    private final DecodedFrame frame = new DecodedFrame();

    private static int ip(String dottedQuad) {
        return IpAddresses.v4(IpAddresses.parse(dottedQuad)[1]);
    }

    @Test
    void shouldDecodeRequest() {
        byte[] bytes = Frames.ethernetArpRequest();

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, LinkTypes.ETHERNET, frame));
        assertEquals(DecodedFrame.Type.ARP, frame.type());
        assertEquals(1, frame.arpOperation());
        assertEquals(Frames.CLIENT_MAC, frame.arpSenderMac());
        assertEquals(ip(Frames.CLIENT), frame.arpSenderIp());
        assertEquals(0, frame.arpTargetMac());
        assertEquals(ip(Frames.SERVER), frame.arpTargetIp());
        assertEquals(0xFFFF_FFFF_FFFFL, frame.dstMac());
        assertEquals(0, frame.ipVersion());
    }

    @Test
    void shouldDecodeReplyOverLinuxCooked() {
        FrameBuilder b = new FrameBuilder();
        b.u16(0)                // packet type: to us
         .u16(1)                // ARPHRD_ETHER
         .u16(6)                // link-layer address length
         .u48(Frames.SERVER_MAC) // link-layer address
         .u16(0)                // address padding
         .u16(0x0806);          // protocol: ARP
        b.u16(1)                // hardware type Ethernet
         .u16(0x0800)           // protocol type IPv4
         .u8(6)                 // hardware address length
         .u8(4)                 // protocol address length
         .u16(2)                // operation: reply
         .u48(Frames.SERVER_MAC) // sender MAC
         .ipv4(Frames.SERVER)   // sender IP
         .u48(Frames.CLIENT_MAC) // target MAC
         .ipv4(Frames.CLIENT);  // target IP
        byte[] bytes = b.build();

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, LinkTypes.LINUX_SLL, frame));
        assertEquals(DecodedFrame.Type.ARP, frame.type());
        assertEquals(2, frame.arpOperation());
        assertEquals(Frames.SERVER_MAC, frame.arpSenderMac());
        assertEquals(Frames.SERVER_MAC, frame.srcMac());
        assertEquals(ip(Frames.SERVER), frame.arpSenderIp());
        assertEquals(Frames.CLIENT_MAC, frame.arpTargetMac());
        assertEquals(ip(Frames.CLIENT), frame.arpTargetIp());
    }

    @Test
    void shouldIgnoreArpForOtherHardware() {
        byte[] bytes = Frames.ethernetArpRequest();
        bytes[14 + 1] = 6; // hardware type 6, IEEE 802

        assertEquals(DecodeResult.IGNORED, decoder.decode(bytes, 0, bytes.length, LinkTypes.ETHERNET, frame));
    }

    @Test
    void shouldReportTruncatedWhenAddressesAreCut() {
        byte[] bytes = Frames.ethernetArpRequest();

        assertEquals(DecodeResult.TRUNCATED, decoder.decode(bytes, 0, 14 + 27, LinkTypes.ETHERNET, frame));
    }
}
