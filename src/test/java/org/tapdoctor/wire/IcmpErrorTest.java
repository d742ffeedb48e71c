package org.tapdoctor.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IcmpErrorTest {
    private final FrameDecoder decoder = new FrameDecoder();
    private final DecodedFrame frame = new DecodedFrame();

    @Test
    void shouldDecodePortUnreachableQuotingTcpSyn() {
        byte[] bytes = Frames.ethernetIcmpPortUnreachableQuotingSyn();

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, LinkTypes.ETHERNET, frame));
        assertEquals(DecodedFrame.Type.ICMP_ERROR, frame.type());
        assertEquals(1, frame.ipProtocol());
        assertEquals(3, frame.icmpType());
        assertEquals(3, frame.icmpCode());
        assertEquals(6, frame.quotedProtocol());
        assertEquals(IpAddresses.parse(Frames.CLIENT)[1], frame.quotedSrcLo());
        assertEquals(0, frame.quotedSrcHi());
        assertEquals(IpAddresses.parse(Frames.SERVER)[1], frame.quotedDstLo());
        assertEquals(40000, frame.quotedSrcPort());
        assertEquals(443, frame.quotedDstPort());
        assertTrue(frame.quotedSeqPresent());
        assertEquals((int) Frames.SYN_SEQ, frame.quotedSeq());
    }

    @Test
    void shouldKeepPortsButNoSequenceWhenQuoteHasFourBytes() {
        byte[] bytes = Frames.ethernetIcmpPortUnreachableQuotingSyn();
        int cut = bytes.length - 4; // the quoted sequence number was not captured

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, cut, LinkTypes.ETHERNET, frame));
        assertEquals(DecodedFrame.Type.ICMP_ERROR, frame.type());
        assertEquals(443, frame.quotedDstPort());
        assertFalse(frame.quotedSeqPresent());
    }

    @Test
    void shouldStillBeAnErrorWhenTheQuotedHeaderIsCut() {
        byte[] bytes = Frames.ethernetIcmpPortUnreachableQuotingSyn();
        int cut = 14 + 20 + 8 + 19;

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, cut, LinkTypes.ETHERNET, frame));
        assertEquals(DecodedFrame.Type.ICMP_ERROR, frame.type());
        assertEquals(-1, frame.quotedProtocol());
        assertEquals(-1, frame.quotedSrcPort());
    }

    @Test
    void shouldDecodePortUnreachableQuotingUdp() {
        FrameBuilder b = new FrameBuilder();
        Frames.ethernet(b, 0x0800);
        int ip = Frames.ipv4(b, 1, Frames.SERVER, Frames.CLIENT);
        b.u8(3)                 // type 3, destination unreachable
         .u8(3)                 // code 3, port unreachable
         .u16(0)                // checksum
         .u32(0);               // unused
        int quoted = Frames.ipv4(b, 17, Frames.CLIENT, Frames.SERVER); // quoted IPv4 header
        b.u16(53000)            // quoted UDP source port
         .u16(53)               // quoted UDP destination port
         .u16(41)               // quoted UDP length
         .u16(0);               // quoted UDP checksum
        b.patch16(quoted + 2, 61);
        Frames.finishIpv4(b, ip);
        byte[] bytes = b.build();

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, LinkTypes.ETHERNET, frame));
        assertEquals(DecodedFrame.Type.ICMP_ERROR, frame.type());
        assertEquals(17, frame.quotedProtocol());
        assertEquals(53000, frame.quotedSrcPort());
        assertEquals(53, frame.quotedDstPort());
        assertFalse(frame.quotedSeqPresent());
    }

    @Test
    void shouldDecodeEchoRequestAsOther() {
        FrameBuilder b = new FrameBuilder();
        Frames.ethernet(b, 0x0800);
        int ip = Frames.ipv4(b, 1, Frames.CLIENT, Frames.SERVER);
        b.u8(8)                 // type 8, echo request
         .u8(0)                 // code 0
         .u16(0)                // checksum
         .u16(1)                // identifier
         .u16(1)                // sequence number
         .zeros(32);            // data
        Frames.finishIpv4(b, ip);
        byte[] bytes = b.build();

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, LinkTypes.ETHERNET, frame));
        assertEquals(DecodedFrame.Type.ICMP_OTHER, frame.type());
        assertEquals(8, frame.icmpType());
        assertEquals(-1, frame.quotedProtocol());
    }

    @Test
    void shouldDecodeIcmpv6DestinationUnreachableQuotingTcp() {
        byte[] bytes = Frames.ipv6IcmpUnreachableQuotingSyn();

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, LinkTypes.IPV6, frame));
        assertEquals(DecodedFrame.Type.ICMP_ERROR, frame.type());
        assertEquals(58, frame.ipProtocol());
        assertEquals(1, frame.icmpType());
        assertEquals(4, frame.icmpCode());
        assertEquals(6, frame.quotedProtocol());
        long[] client = IpAddresses.parse(Frames.CLIENT6);
        assertEquals(client[0], frame.quotedSrcHi());
        assertEquals(client[1], frame.quotedSrcLo());
        assertEquals(IpAddresses.parse(Frames.SERVER6)[1], frame.quotedDstLo());
        assertEquals(40000, frame.quotedSrcPort());
        assertEquals(443, frame.quotedDstPort());
        assertTrue(frame.quotedSeqPresent());
        assertEquals((int) Frames.SYN_SEQ, frame.quotedSeq());
    }

    @Test
    void shouldDecodeIcmpv6NeighbourSolicitationAsOther() {
        FrameBuilder b = new FrameBuilder();
        int ip = Frames.ipv6(b, 58, Frames.CLIENT6, "ff02::1:ff00:2");
        b.u8(135)               // type 135, neighbour solicitation
         .u8(0)                 // code 0
         .u16(0)                // checksum
         .u32(0)                // reserved
         .ipv6(Frames.SERVER6); // target address
        Frames.finishIpv6(b, ip);
        byte[] bytes = b.build();

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, LinkTypes.RAW, frame));
        assertEquals(DecodedFrame.Type.ICMP_OTHER, frame.type());
        assertEquals(135, frame.icmpType());
    }
    @Test
    void shouldReadTheNextHopMtuOfFragmentationNeededAndWhatDidNotFit() {
        byte[] bytes = Frames.ethernetIcmpFragmentationNeeded();

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, LinkTypes.ETHERNET, frame));
        assertEquals(DecodedFrame.Type.ICMP_ERROR, frame.type());
        assertEquals(3, frame.icmpType());
        assertEquals(4, frame.icmpCode());
        assertEquals(1400, frame.icmpMtu());
        assertEquals(-1, frame.icmpPointer());
        assertEquals(1500, frame.quotedLength());
        assertEquals(6, frame.quotedProtocol());
        assertEquals(40000, frame.quotedSrcPort());
        assertEquals(443, frame.quotedDstPort());
        assertEquals((int) Frames.CLIENT_DATA_SEQ, frame.quotedSeq());
        assertEquals(DecodedFrame.ACK, frame.quotedTcpFlags());
        assertEquals(IpAddresses.parse(Frames.ROUTER)[1], frame.srcLo());
    }

    @Test
    void shouldLeaveTheMtuAbsentWhenTheIcmpHeaderIsCutBeforeIt() {
        byte[] bytes = Frames.ethernetIcmpFragmentationNeeded();
        for (int cut = 14 + 20 + 4; cut < 14 + 20 + 8; cut++) {
            assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, cut, LinkTypes.ETHERNET, frame), "cut " + cut);
            assertEquals(DecodedFrame.Type.ICMP_ERROR, frame.type());
            assertEquals(-1, frame.icmpMtu(), "cut " + cut);
            assertEquals(-1, frame.quotedLength(), "cut " + cut);
        }
        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, 14 + 20 + 8, LinkTypes.ETHERNET, frame));
        assertEquals(1400, frame.icmpMtu());
    }

    @Test
    void shouldKeepSequenceButNoFlagsWhenOnlyEightBytesOfTcpAreQuoted() {
        byte[] bytes = Frames.ethernetIcmpFragmentationNeeded();
        int tcpQuote = 14 + 20 + 8 + 20;

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, tcpQuote + 8, LinkTypes.ETHERNET, frame));
        assertTrue(frame.quotedSeqPresent());
        assertEquals(-1, frame.quotedTcpFlags());
        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, tcpQuote + 14, LinkTypes.ETHERNET, frame));
        assertEquals(DecodedFrame.ACK, frame.quotedTcpFlags());
    }

    @Test
    void shouldReadTheMtuOfPacketTooBig() {
        byte[] bytes = Frames.ipv6PacketTooBig();

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, LinkTypes.IPV6, frame));
        assertEquals(DecodedFrame.Type.ICMP_ERROR, frame.type());
        assertEquals(2, frame.icmpType());
        assertEquals(1280, frame.icmpMtu());
        assertEquals(1500, frame.quotedLength());
        assertEquals(6, frame.quotedProtocol());
        assertEquals(443, frame.quotedDstPort());
        assertEquals(DecodedFrame.ACK, frame.quotedTcpFlags());
    }

    @Test
    void shouldCapAPacketTooBigMtuBeyondTwoToTheThirtyOne() {
        byte[] bytes = Frames.ipv6PacketTooBig();
        bytes[40 + 4] = (byte) 0xFF; // MTU 0xFF000500

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, LinkTypes.IPV6, frame));
        assertEquals(Integer.MAX_VALUE, frame.icmpMtu());
    }

    @Test
    void shouldDecodeTimeExceededQuotingASyn() {
        byte[] bytes = Frames.ethernetIcmpTimeExceededQuotingSyn();

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, LinkTypes.ETHERNET, frame));
        assertEquals(DecodedFrame.Type.ICMP_ERROR, frame.type());
        assertEquals(11, frame.icmpType());
        assertEquals(0, frame.icmpCode());
        assertEquals(-1, frame.icmpMtu());
        assertEquals(-1, frame.icmpPointer());
        assertEquals(60, frame.quotedLength());
        assertEquals(40000, frame.quotedSrcPort());
        assertEquals((int) Frames.SYN_SEQ, frame.quotedSeq());
        assertEquals(DecodedFrame.SYN, frame.quotedTcpFlags());
    }

    @Test
    void shouldReadThePointerOfAnIpv4ParameterProblemPastTheQuotedOptions() {
        byte[] bytes = Frames.ethernetIcmpParameterProblem();

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, LinkTypes.ETHERNET, frame));
        assertEquals(12, frame.icmpType());
        assertEquals(23, frame.icmpPointer());
        assertEquals(-1, frame.icmpMtu());
        assertEquals(48, frame.quotedLength());
        assertEquals(40000, frame.quotedSrcPort());
        assertEquals(443, frame.quotedDstPort());
        assertEquals(DecodedFrame.SYN, frame.quotedTcpFlags());
    }

    @Test
    void shouldReadNoPointerForParameterProblemCodesOtherThanZero() {
        byte[] bytes = Frames.ethernetIcmpParameterProblem();
        bytes[14 + 20 + 1] = 1; // code 1: missing a required option (RFC 1108), no pointer

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, LinkTypes.ETHERNET, frame));
        assertEquals(-1, frame.icmpPointer());
        assertEquals(443, frame.quotedDstPort());
    }

    @Test
    void shouldReadThePointerOfAnIpv6ParameterProblemAndWalkTheQuotedHopByHopHeader() {
        byte[] bytes = Frames.ipv6ParameterProblem();

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, LinkTypes.RAW, frame));
        assertEquals(4, frame.icmpType());
        assertEquals(2, frame.icmpCode());
        assertEquals(42, frame.icmpPointer());
        assertEquals(6, frame.quotedProtocol());
        assertEquals(40000, frame.quotedSrcPort());
        assertEquals(DecodedFrame.SYN, frame.quotedTcpFlags());
        assertEquals(40 + 8 + 20, frame.quotedLength());
    }

    @Test
    void shouldReadNoMtuFromOtherUnreachableCodes() {
        byte[] bytes = Frames.ethernetIcmpPortUnreachableQuotingSyn();

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, LinkTypes.ETHERNET, frame));
        assertEquals(-1, frame.icmpMtu());
        assertEquals(-1, frame.quotedTcpFlags()); // only 8 bytes of TCP quoted
        assertEquals(60, frame.quotedLength());
    }
}
