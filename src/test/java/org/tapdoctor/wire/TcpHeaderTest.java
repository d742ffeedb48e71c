package org.tapdoctor.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TcpHeaderTest {
    private final FrameDecoder decoder = new FrameDecoder();
    private final DecodedFrame frame = new DecodedFrame();

    private DecodeResult decode(byte[] bytes) {
        return decoder.decode(bytes, 0, bytes.length, LinkTypes.ETHERNET, frame);
    }

    private static byte[] ethernetIpv4Tcp(long seq, long ack, int flags, int window, int payloadBytes) {
        FrameBuilder b = new FrameBuilder();
        Frames.ethernet(b, 0x0800);
        int ip = Frames.ipv4(b, 6, Frames.SERVER, Frames.CLIENT);
        Frames.tcp(b, 443, 40000, seq, ack, flags, window);
        b.zeros(payloadBytes);  // payload
        Frames.finishIpv4(b, ip);
        return b.build();
    }

    @Test
    void shouldDecodeSynWithMssWindowScaleSackAndTimestamps() {
        byte[] bytes = Frames.ethernetIpv4Syn();

        assertEquals(DecodeResult.OK, decode(bytes));
        assertEquals(DecodedFrame.Type.TCP, frame.type());
        assertEquals(Frames.SERVER_MAC, frame.dstMac());
        assertEquals(Frames.CLIENT_MAC, frame.srcMac());
        assertEquals(4, frame.ipVersion());
        assertEquals(IpAddresses.parse(Frames.CLIENT)[1], frame.srcLo());
        assertEquals(0, frame.srcHi());
        assertEquals(IpAddresses.parse(Frames.SERVER)[1], frame.dstLo());
        assertEquals(64, frame.ttl());
        assertEquals(6, frame.ipProtocol());
        assertEquals(40000, frame.srcPort());
        assertEquals(443, frame.dstPort());
        assertEquals((int) Frames.SYN_SEQ, frame.seq());
        assertEquals(0, frame.ack());
        assertTrue(frame.isSyn());
        assertFalse(frame.isSynAck());
        assertEquals(64240, frame.window());
        assertEquals(0, frame.payloadLength());
        assertEquals(1460, frame.mss());
        assertEquals(7, frame.windowScale());
        assertTrue(frame.sackPermitted());
        assertTrue(frame.timestamps());
    }

    @Test
    void shouldDecodeSynAck() {
        assertEquals(DecodeResult.OK, decode(ethernetIpv4Tcp(0x11111111L, Frames.SYN_SEQ + 1, 0x12, 65535, 0)));
        assertTrue(frame.isSynAck());
        assertFalse(frame.isSyn());
        assertEquals(0x11111111, frame.seq());
        assertEquals((int) (Frames.SYN_SEQ + 1), frame.ack());
        assertEquals(65535, frame.window());
        assertEquals(-1, frame.mss());
        assertEquals(-1, frame.windowScale());
        assertFalse(frame.sackPermitted());
    }

    @Test
    void shouldDecodeRstAck() {
        assertEquals(DecodeResult.OK, decode(ethernetIpv4Tcp(0, Frames.SYN_SEQ + 1, 0x14, 0, 0)));
        assertTrue(frame.isRst());
        assertTrue(frame.hasFlags(DecodedFrame.RST | DecodedFrame.ACK));
        assertEquals(0, frame.window());
    }

    @Test
    void shouldTakePayloadLengthFromIpNotFromEthernetPadding() {
        byte[] bytes = ethernetIpv4Tcp(1, 1, 0x18, 1000, 3);
        byte[] padded = java.util.Arrays.copyOf(bytes, 60); // 57 bytes padded to the 60-byte minimum

        assertEquals(DecodeResult.OK, decode(padded));
        assertEquals(3, frame.payloadLength());
    }

    @Test
    void shouldTakePayloadLengthFromIpWhenSnaplenCutsThePayload() {
        byte[] bytes = ethernetIpv4Tcp(1, 1, 0x18, 1000, 1000);

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, 14 + 20 + 20 + 10, LinkTypes.ETHERNET, frame));
        assertEquals(1000, frame.payloadLength());
    }

    @Test
    void shouldPointAtThePayloadAndCountOnlyItsCapturedBytes() {
        byte[] bytes = ethernetIpv4Tcp(1, 1, 0x18, 1000, 1000);

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, 14 + 20 + 20 + 10, LinkTypes.ETHERNET, frame));
        assertEquals(14 + 20 + 20, frame.payloadOffset());
        assertEquals(10, frame.payloadCaptured());
        assertEquals(DecodeResult.OK, decode(bytes));
        assertEquals(1000, frame.payloadCaptured());
    }

    @Test
    void shouldNotCountEthernetPaddingAsCapturedPayload() {
        byte[] padded = java.util.Arrays.copyOf(ethernetIpv4Tcp(1, 1, 0x18, 1000, 3), 60);

        assertEquals(DecodeResult.OK, decode(padded));
        assertEquals(3, frame.payloadCaptured());
        byte[] pureAck = java.util.Arrays.copyOf(ethernetIpv4Tcp(1, 1, 0x10, 1000, 0), 60);
        assertEquals(DecodeResult.OK, decode(pureAck));
        assertEquals(54, frame.payloadOffset());
        assertEquals(0, frame.payloadCaptured());
        assertEquals(0, frame.payloadLength());
    }

    @Test
    void shouldReadDontFragmentFromIpv4AndAlwaysSetItForIpv6() {
        byte[] bytes = ethernetIpv4Tcp(1, 1, 0x18, 1000, 100);
        assertEquals(DecodeResult.OK, decode(bytes));
        assertTrue(frame.dontFragment(), "Frames.ipv4 sets DF");
        bytes[14 + 6] = 0; // flags 0: fragmentable
        assertEquals(DecodeResult.OK, decode(bytes));
        assertFalse(frame.dontFragment());

        byte[] v6 = Frames.ipv6HopByHopFragmentSyn();
        assertEquals(DecodeResult.OK, decoder.decode(v6, 0, v6.length, LinkTypes.RAW, frame));
        assertTrue(frame.dontFragment());
        byte[] arp = Frames.ethernetArpRequest();
        assertEquals(DecodeResult.OK, decode(arp));
        assertFalse(frame.dontFragment());
    }

    @Test
    void shouldRejectDataOffsetBelowFive() {
        byte[] bytes = ethernetIpv4Tcp(1, 1, 0x10, 1000, 0);
        bytes[14 + 20 + 12] = 0x40; // data offset 4

        assertEquals(DecodeResult.MALFORMED, decode(bytes));
    }

    @Test
    void shouldRejectDataOffsetBeyondTheSegment() {
        byte[] bytes = ethernetIpv4Tcp(1, 1, 0x10, 1000, 0);
        bytes[14 + 20 + 12] = 0x60; // data offset 6: 24 bytes in a 20-byte segment

        assertEquals(DecodeResult.MALFORMED, decode(bytes));
    }

    @Test
    void shouldStopParsingOptionsAtAnOptionShorterThanTwo() {
        byte[] bytes = Frames.ethernetIpv4Syn();
        bytes[14 + 20 + 20 + 5] = 1; // SACK-permitted length 1: parsing stops after the MSS

        assertEquals(DecodeResult.OK, decode(bytes));
        assertEquals(1460, frame.mss());
        assertFalse(frame.sackPermitted());
        assertFalse(frame.timestamps());
        assertEquals(-1, frame.windowScale());
    }

    @Test
    void shouldStopParsingOptionsAtAnOptionOverrunningTheHeader() {
        byte[] bytes = Frames.ethernetIpv4Syn();
        bytes[14 + 20 + 20 + 6 + 1] = 40; // timestamps length 40: past the 40-byte header

        assertEquals(DecodeResult.OK, decode(bytes));
        assertEquals(1460, frame.mss());
        assertTrue(frame.sackPermitted());
        assertFalse(frame.timestamps());
        assertEquals(-1, frame.windowScale());
    }

    @Test
    void shouldStopAtEndOfOptionList() {
        byte[] bytes = Frames.ethernetIpv4Syn();
        bytes[14 + 20 + 20 + 4] = 0; // EOL where SACK-permitted was

        assertEquals(DecodeResult.OK, decode(bytes));
        assertEquals(1460, frame.mss());
        assertFalse(frame.sackPermitted());
    }

    @Test
    void shouldParseTheOptionsThatTheSnaplenKept() {
        byte[] bytes = Frames.ethernetIpv4Syn();
        int cut = 14 + 20 + 20 + 4 + 2 + 5; // MSS, SACK-permitted, half of timestamps

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, cut, LinkTypes.ETHERNET, frame));
        assertEquals(1460, frame.mss());
        assertTrue(frame.sackPermitted());
        assertFalse(frame.timestamps());
        assertTrue(frame.isSyn());
    }

    @Test
    void shouldReportTruncatedWhenTheFixedHeaderIsCut() {
        byte[] bytes = Frames.ethernetIpv4Syn();

        assertEquals(DecodeResult.TRUNCATED, decoder.decode(bytes, 0, 14 + 20 + 19, LinkTypes.ETHERNET, frame));
    }
}
