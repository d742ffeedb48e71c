package org.tapdoctor.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private final FrameDecoder decoder = new FrameDecoder();
    private final DecodedFrame frame = new DecodedFrame();

    private DecodeResult decode(byte[] bytes, int linkType) {
        return decoder.decode(bytes, 0, bytes.length, linkType, frame);
    }

    private void assertSyn() {
        assertEquals(DecodedFrame.Type.TCP, frame.type());
        assertEquals(4, frame.ipVersion());
        assertEquals(443, frame.dstPort());
        assertTrue(frame.isSyn());
        assertEquals(1460, frame.mss());
    }

    @Test
    void shouldSetTheFrameView() {
        byte[] syn = Frames.ethernetIpv4Syn();
        byte[] buffer = new byte[syn.length + 10];
        System.arraycopy(syn, 0, buffer, 7, syn.length);

        assertEquals(DecodeResult.OK, decoder.decode(buffer, 7, syn.length, LinkTypes.ETHERNET, frame));
        assertSame(buffer, frame.buffer());
        assertEquals(7, frame.frameOffset());
        assertEquals(syn.length, frame.frameLength());
        assertEquals(LinkTypes.ETHERNET, frame.linkType());
        assertSyn();
    }

    @Test
    void shouldDecodeSingle8021qTag() {
        FrameBuilder b = new FrameBuilder();
        Frames.ethernet(b, 0x8100); // EtherType 802.1Q
        b.u16(0xA000 | 42)      // PCP 5, DEI 0, VLAN 42
         .u16(0x0800);          // EtherType IPv4
        int ip = Frames.ipv4(b, 6, Frames.CLIENT, Frames.SERVER);
        Frames.tcpSynWithOptions(b, 40000, 443, Frames.SYN_SEQ);
        Frames.finishIpv4(b, ip);

        assertEquals(DecodeResult.OK, decode(b.build(), LinkTypes.ETHERNET));
        assertEquals(1, frame.vlanCount());
        assertEquals(42, frame.outerVlanId());
        assertSyn();
    }

    @Test
    void shouldDecodeQinQ() {
        assertEquals(DecodeResult.OK, decode(Frames.qinqIpv4Syn(), LinkTypes.ETHERNET));
        assertEquals(2, frame.vlanCount());
        assertEquals(100, frame.outerVlanId());
        assertSyn();
    }

    @Test
    void shouldDecodeLegacy9100Tag() {
        byte[] bytes = Frames.qinqIpv4Syn();
        bytes[12] = (byte) 0x91; // outer EtherType 0x9100
        bytes[13] = 0x00;

        assertEquals(DecodeResult.OK, decode(bytes, LinkTypes.ETHERNET));
        assertEquals(2, frame.vlanCount());
    }

    @Test
    void shouldIgnoreMoreThanEightVlanTags() {
        FrameBuilder b = new FrameBuilder();
        Frames.ethernet(b, 0x8100);
        for (int i = 1; i <= 9; i++) {
            b.u16(i)            // VLAN i
             .u16(0x8100);      // EtherType 802.1Q again
        }
        b.zeros(40);            // whatever follows

        assertEquals(DecodeResult.IGNORED, decode(b.build(), LinkTypes.ETHERNET));
        assertEquals(8, frame.vlanCount());
        assertEquals(1, frame.outerVlanId());
    }

    @Test
    void shouldDecodeMplsLabelStack() {
        assertEquals(DecodeResult.OK, decode(Frames.mplsIpv4Syn(), LinkTypes.ETHERNET));
        assertSyn();
    }

    @Test
    void shouldDecodeLinuxCookedV1() {
        assertEquals(DecodeResult.OK, decode(Frames.sllIpv4Syn(), LinkTypes.LINUX_SLL));
        assertEquals(Frames.CLIENT_MAC, frame.srcMac());
        assertEquals(-1, frame.dstMac());
        assertSyn();
    }

    @Test
    void shouldDecodeLinuxCookedV2() {
        assertEquals(DecodeResult.OK, decode(Frames.sll2Ipv4Syn(), LinkTypes.LINUX_SLL2));
        assertEquals(Frames.CLIENT_MAC, frame.srcMac());
        assertSyn();
    }

    @Test
    void shouldLeaveSourceMacAbsentWhenCookedAddressIsNotAMac() {
        byte[] bytes = Frames.sll2Ipv4Syn();
        bytes[11] = 0; // address length 0 (e.g. a tunnel interface)

        assertEquals(DecodeResult.OK, decode(bytes, LinkTypes.LINUX_SLL2));
        assertEquals(-1, frame.srcMac());
    }

    @Test
    void shouldDecodeRawIpv4OnEveryRawLinkType() {
        byte[] raw = Arrays.copyOfRange(Frames.ethernetIpv4Syn(), 14, Frames.ethernetIpv4Syn().length);
        for (int linkType : new int[] {LinkTypes.RAW, LinkTypes.RAW_BSD_12, LinkTypes.RAW_BSD_14, LinkTypes.IPV4}) {
            assertEquals(DecodeResult.OK, decode(raw, linkType), "link type " + linkType);
            assertEquals(-1, frame.srcMac());
            assertSyn();
        }
    }

    @Test
    void shouldRejectRawFrameThatIsNotIp() {
        byte[] raw = Arrays.copyOfRange(Frames.ethernetIpv4Syn(), 14, Frames.ethernetIpv4Syn().length);
        raw[0] = 0x15; // version 1

        assertEquals(DecodeResult.MALFORMED, decode(raw, LinkTypes.RAW));
    }

    @Test
    void shouldDecodeNullLoopbackInEitherByteOrder() {
        byte[] littleEndian = Frames.nullIpv4Syn();
        assertEquals(DecodeResult.OK, decode(littleEndian, LinkTypes.NULL));
        assertSyn();

        byte[] bigEndian = littleEndian.clone();
        bigEndian[0] = 0;       // family AF_INET (2), big-endian host
        bigEndian[3] = 2;
        assertEquals(DecodeResult.OK, decode(bigEndian, LinkTypes.NULL));
        assertSyn();
    }

    @Test
    void shouldDecodeIpv6FamiliesOfEveryBsd() {
        byte[] ipv6 = Frames.ipv6HopByHopFragmentSyn();
        for (int family : new int[] {24, 28, 30}) {
            FrameBuilder b = new FrameBuilder();
            b.bytes(family, 0, 0, 0); // family AF_INET6, little-endian host
            b.bytes(toInts(ipv6));    // IPv6 packet
            assertEquals(DecodeResult.OK, decode(b.build(), LinkTypes.NULL), "family " + family);
            assertEquals(6, frame.ipVersion());
        }
    }

    @Test
    void shouldReadLoopFamilyBigEndianOnly() {
        byte[] bytes = Frames.nullIpv4Syn(); // family 2 little-endian: not AF_INET for LOOP
        assertEquals(DecodeResult.IGNORED, decode(bytes, LinkTypes.LOOP));

        bytes[0] = 0;           // family AF_INET (2), big-endian
        bytes[3] = 2;
        assertEquals(DecodeResult.OK, decode(bytes, LinkTypes.LOOP));
        assertSyn();
    }

    @Test
    void shouldIgnoreUnknownEtherTypes() {
        FrameBuilder aoe = new FrameBuilder();
        aoe.u48(0xFFFF_FFFF_FFFFL)  // destination: broadcast
           .u48(Frames.CLIENT_MAC)  // source MAC
           .u16(0x88A2)             // EtherType ATA over Ethernet
           .zeros(46);              // AoE header and padding
        assertEquals(DecodeResult.IGNORED, decode(aoe.build(), LinkTypes.ETHERNET));

        FrameBuilder stp = new FrameBuilder();
        stp.u48(0x0180_C200_0000L)  // destination: bridge group address
           .u48(Frames.CLIENT_MAC)  // source MAC
           .u16(39)                 // 802.3 length field: 39 bytes of LLC + BPDU
           .bytes(0x42, 0x42, 0x03) // LLC DSAP, SSAP, control
           .zeros(43);              // BPDU and padding
        assertEquals(DecodeResult.IGNORED, decode(stp.build(), LinkTypes.ETHERNET));
        assertEquals(Frames.CLIENT_MAC, frame.srcMac());
    }

    @Test
    void shouldReportUnsupportedLinkType() {
        assertEquals(DecodeResult.UNSUPPORTED_LINK_TYPE, decode(Frames.ethernetIpv4Syn(), 127)); // 802.11 radiotap
    }

    @Test
    void shouldReportMalformedForBoundsOutsideTheArray() {
        byte[] bytes = Frames.ethernetIpv4Syn();

        assertEquals(DecodeResult.MALFORMED, decoder.decode(bytes, 10, bytes.length, LinkTypes.ETHERNET, frame));
        assertEquals(DecodeResult.MALFORMED, decoder.decode(bytes, -1, 10, LinkTypes.ETHERNET, frame));
        assertEquals(DecodeResult.MALFORMED, decoder.decode(bytes, 0, -1, LinkTypes.ETHERNET, frame));
        assertEquals(DecodeResult.MALFORMED, decoder.decode(null, 0, 0, LinkTypes.ETHERNET, frame));
        assertEquals(DecodeResult.MALFORMED,
                decoder.decode(bytes, Integer.MAX_VALUE, Integer.MAX_VALUE, LinkTypes.ETHERNET, frame));
    }

    @Test
    void shouldCountEveryResult() {
        byte[] syn = Frames.ethernetIpv4Syn();
        decode(syn, LinkTypes.ETHERNET);
        decode(syn, LinkTypes.ETHERNET);
        decoder.decode(syn, 0, 10, LinkTypes.ETHERNET, frame);
        decode(syn, 9999);

        assertEquals(2, decoder.count(DecodeResult.OK));
        assertEquals(1, decoder.count(DecodeResult.TRUNCATED));
        assertEquals(1, decoder.count(DecodeResult.UNSUPPORTED_LINK_TYPE));
        assertEquals(0, decoder.count(DecodeResult.MALFORMED));
        assertEquals(4, decoder.total());
    }

    @Test
    void shouldClearTheFrameBeforeEachDecode() {
        decode(Frames.ethernetIpv4Syn(), LinkTypes.ETHERNET);
        decode(Frames.ethernetArpRequest(), LinkTypes.ETHERNET);

        assertEquals(DecodedFrame.Type.ARP, frame.type());
        assertEquals(-1, frame.srcPort());
        assertEquals(-1, frame.mss());
        assertEquals(0, frame.ipVersion());
        assertEquals(-1, frame.payloadOffset());
        assertEquals(0, frame.payloadCaptured());
        assertFalse(frame.dontFragment());
    }

    @Test
    void shouldClearIcmpParametersBeforeEachDecode() {
        decode(Frames.ethernetIcmpFragmentationNeeded(), LinkTypes.ETHERNET);
        assertEquals(1400, frame.icmpMtu());
        decode(Frames.ethernetIcmpParameterProblem(), LinkTypes.ETHERNET);
        assertEquals(-1, frame.icmpMtu());
        assertEquals(23, frame.icmpPointer());
        decode(Frames.ethernetIpv4Syn(), LinkTypes.ETHERNET);
        assertEquals(-1, frame.icmpPointer());
        assertEquals(-1, frame.quotedLength());
        assertEquals(-1, frame.quotedTcpFlags());
    }

    @Test
    void shouldPointAtTheUdpPayload() {
        byte[] dns = Frames.ethernetIpv4DnsQuery();
        decode(dns, LinkTypes.ETHERNET);
        assertEquals(14 + 20 + 8, frame.payloadOffset());
        assertEquals(dns.length - 14 - 20 - 8, frame.payloadCaptured());
        assertEquals(frame.payloadLength(), frame.payloadCaptured());
    }

    private static int[] toInts(byte[] bytes) {
        int[] ints = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ints[i] = bytes[i] & 0xFF;
        }
        return ints;
    }
}
