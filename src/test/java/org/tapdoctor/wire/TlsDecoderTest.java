package org.tapdoctor.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TlsDecoderTest {
    private static final int TCP_PAYLOAD = 14 + 20 + 20;

    private final FrameDecoder decoder = new FrameDecoder();
    private final TlsDecoder tls = new TlsDecoder();
    private final DecodedFrame frame = new DecodedFrame();

    /** Ethernet + IPv4 + TCP (no options) from SERVER:443 to CLIENT:40000 carrying {@code records}. */
    private static byte[] fromServer(java.util.function.Consumer<FrameBuilder> records) {
        FrameBuilder b = new FrameBuilder();
        Frames.ethernet(b, 0x0800);
        int ip = Frames.ipv4(b, 6, Frames.SERVER, Frames.CLIENT);
        Frames.tcp(b, 443, 40000, Frames.SERVER_ISN + 1, Frames.CLIENT_DATA_SEQ + 200, 0x18, 509);
        records.accept(b);
        Frames.finishIpv4(b, ip);
        return b.build();
    }

    private DecodeResult decodeTls(byte[] bytes, int length) {
        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, length, LinkTypes.ETHERNET, frame));
        return tls.decode(frame);
    }

    private String sni() {
        return frame.tlsSniOffset() < 0 ? null
                : new String(frame.buffer(), frame.tlsSniOffset(), frame.tlsSniLength(), StandardCharsets.US_ASCII);
    }

    @Test
    void shouldReadTheServerNameAndFirstChoiceVersionOfAClientHello() {
        byte[] bytes = Frames.ethernetIpv4TlsClientHello();

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, LinkTypes.ETHERNET, frame));
        assertTrue(TlsDecoder.startsWithRecord(frame));
        assertEquals(-1, frame.tlsRecordType(), "TLS is decoded only when asked");
        assertEquals(DecodeResult.OK, tls.decode(frame));
        assertEquals(22, frame.tlsRecordType());
        assertEquals(0x0301, frame.tlsRecordVersion());
        assertEquals(1, frame.tlsRecords());
        assertTrue(frame.tlsClientHello());
        assertFalse(frame.tlsServerHello());
        assertFalse(frame.tlsHandshakeCut());
        assertEquals(frame.payloadCaptured() - 9, frame.tlsHandshakeLength());
        assertEquals(0x0303, frame.tlsHelloVersion());
        assertEquals(0x0304, frame.tlsVersion(), "GREASE skipped, TLS 1.3 first");
        assertEquals(TlsMessages.SNI, sni());
        assertEquals(TCP_PAYLOAD + TlsMessages.SNI_OFFSET_IN_RECORD, frame.tlsSniOffset());
        assertEquals(-1, frame.tlsAlertLevel());
    }

    @Test
    void shouldResetTheTlsFieldsWithTheNextFrame() {
        byte[] hello = Frames.ethernetIpv4TlsClientHello();
        assertEquals(DecodeResult.OK, decodeTls(hello, hello.length));
        byte[] syn = Frames.ethernetIpv4Syn();

        assertEquals(DecodeResult.OK, decoder.decode(syn, 0, syn.length, LinkTypes.ETHERNET, frame));
        assertEquals(-1, frame.tlsRecordType());
        assertEquals(-1, frame.tlsSniOffset());
        assertEquals(0, frame.tlsSniLength());
        assertEquals(-1, frame.tlsVersion());
        assertEquals(0, frame.tlsRecords());
        assertFalse(TlsDecoder.startsWithRecord(frame));
        assertEquals(DecodeResult.IGNORED, tls.decode(frame), "a SYN has no payload");
    }

    @Test
    void shouldReadAClientHelloWithoutServerName() {
        FrameBuilder b = new FrameBuilder();
        Frames.ethernet(b, 0x0800);
        int ip = Frames.ipv4(b, 6, Frames.CLIENT, Frames.SERVER);
        Frames.tcp(b, 40000, 443, Frames.CLIENT_DATA_SEQ, Frames.SERVER_ISN + 1, 0x18, 502);
        TlsMessages.clientHello(b, null);
        Frames.finishIpv4(b, ip);
        byte[] bytes = b.build();

        assertEquals(DecodeResult.OK, decodeTls(bytes, bytes.length));
        assertTrue(frame.tlsClientHello());
        assertNull(sni());
        assertEquals(0x0304, frame.tlsVersion());
    }

    @Test
    void shouldReadTheVersionATls13ServerSelected() {
        byte[] bytes = fromServer(b -> TlsMessages.serverHello(b, 32, 0x0304));

        assertEquals(DecodeResult.OK, decodeTls(bytes, bytes.length));
        assertEquals(22, frame.tlsRecordType());
        assertTrue(frame.tlsServerHello());
        assertEquals(0x0303, frame.tlsHelloVersion());
        assertEquals(0x0304, frame.tlsVersion());
        assertEquals(-1, frame.tlsSniOffset());
    }

    @Test
    void shouldReadATls12ServerHelloWithoutExtensions() {
        byte[] bytes = fromServer(b -> TlsMessages.serverHello(b, 0, -1));

        assertEquals(DecodeResult.OK, decodeTls(bytes, bytes.length));
        assertTrue(frame.tlsServerHello());
        assertEquals(0x0303, frame.tlsHelloVersion());
        assertEquals(-1, frame.tlsVersion());
        assertFalse(frame.tlsHandshakeCut());
    }

    @Test
    void shouldReadAFatalAlertAndItsName() {
        byte[] bytes = fromServer(b -> TlsMessages.alert(b, TlsAlert.FATAL, 70));

        assertEquals(DecodeResult.OK, decodeTls(bytes, bytes.length));
        assertEquals(21, frame.tlsRecordType());
        assertEquals(TlsAlert.FATAL, frame.tlsAlertLevel());
        assertEquals(70, frame.tlsAlertDescription());
        assertEquals(TlsAlert.PROTOCOL_VERSION, TlsAlert.of(frame.tlsAlertDescription()));
        assertEquals("protocol_version", TlsAlert.label(frame.tlsAlertDescription()));
        assertEquals(-1, frame.tlsHandshakeType());
    }

    @Test
    void shouldReadAnAlertAndAServerHelloInOneSegment() {
        // As zk_tls-early-alert_unrecognized_name.pcap: a warning, then the ServerHello.
        byte[] bytes = fromServer(b -> {
            TlsMessages.alert(b, TlsAlert.WARNING, 112);
            TlsMessages.serverHello(b, 32, 0x0304);
        });

        assertEquals(DecodeResult.OK, decodeTls(bytes, bytes.length));
        assertEquals(21, frame.tlsRecordType(), "the first record's type");
        assertEquals(2, frame.tlsRecords());
        assertEquals(TlsAlert.WARNING, frame.tlsAlertLevel());
        assertEquals("unrecognized_name", TlsAlert.label(frame.tlsAlertDescription()));
        assertTrue(frame.tlsServerHello());
        assertEquals(0x0304, frame.tlsVersion());
    }

    @Test
    void shouldNotReadAnEncryptedAlert() {
        byte[] bytes = fromServer(b -> {
            b.u8(21)            // record type: alert
             .u16(0x0303)       // version
             .u16(26);          // length 26: encrypted (TLS 1.2 after ChangeCipherSpec)
            b.zeros(26);        // ciphertext
        });

        assertEquals(DecodeResult.OK, decodeTls(bytes, bytes.length));
        assertEquals(21, frame.tlsRecordType());
        assertEquals(-1, frame.tlsAlertLevel());
        assertEquals(-1, frame.tlsAlertDescription());
    }

    @Test
    void shouldIgnoreAPlainTextPayload() {
        FrameBuilder b = new FrameBuilder();
        Frames.ethernet(b, 0x0800);
        int ip = Frames.ipv4(b, 6, Frames.CLIENT, Frames.SERVER);
        Frames.tcp(b, 40000, 80, Frames.CLIENT_DATA_SEQ, Frames.SERVER_ISN + 1, 0x18, 502);
        b.ascii("GET / HTTP/1.1\r\nHost: www.example.test\r\n\r\n"); // HTTP request
        Frames.finishIpv4(b, ip);
        byte[] bytes = b.build();

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, LinkTypes.ETHERNET, frame));
        assertFalse(TlsDecoder.startsWithRecord(frame));
        assertEquals(DecodeResult.IGNORED, tls.decode(frame));
        assertEquals(-1, frame.tlsRecordType());
        assertEquals(0, frame.tlsRecords());
    }

    @Test
    void shouldNotDecodeOtherThanTcp() {
        byte[] bytes = Frames.ethernetIpv4DnsQuery();

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, LinkTypes.ETHERNET, frame));
        assertFalse(TlsDecoder.startsWithRecord(frame));
        assertEquals(DecodeResult.IGNORED, tls.decode(frame));
    }

    @Test
    void shouldFindTheRecordAfterTcpOptions() {
        // A SYN's 20 bytes of options, reused as a data segment's: the payload starts after them.
        byte[] syn = Frames.ethernetIpv4Syn();
        FrameBuilder b = new FrameBuilder();
        for (int i = 0; i < syn.length; i++) {
            b.u8(i == 14 + 20 + 13 ? 0x18 : syn[i]); // same frame, flags ACK PSH
        }
        TlsMessages.alert(b, TlsAlert.FATAL, 40);
        byte[] bytes = b.build();
        bytes[14 + 3] = (byte) (bytes.length - 14); // IPv4 total length (below 256)

        assertEquals(DecodeResult.OK, decodeTls(bytes, bytes.length));
        assertEquals(14 + 20 + 40, frame.payloadOffset());
        assertEquals(7, frame.payloadCaptured());
        assertEquals("handshake_failure", TlsAlert.label(frame.tlsAlertDescription()));
    }

    @Test
    void shouldNeverReadPastTheCutAndOnlyGainFieldsAsTheCaptureGrows() {
        byte[] bytes = Frames.ethernetIpv4TlsClientHello();
        int sniEnd = TCP_PAYLOAD + TlsMessages.SNI_OFFSET_IN_RECORD + TlsMessages.SNI.length();
        for (int length = TCP_PAYLOAD; length <= bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length); // reading past the cut would throw
            String where = "cut at " + length + " of " + bytes.length;
            DecodeResult result = decodeTls(cut, length);
            int captured = length - TCP_PAYLOAD;
            if (captured == 0) {
                assertEquals(DecodeResult.IGNORED, result, where);
            } else if (captured < 5) {
                assertEquals(DecodeResult.TRUNCATED, result, where);
            } else {
                assertEquals(DecodeResult.OK, result, where);
                assertEquals(22, frame.tlsRecordType(), where);
                assertEquals(length < bytes.length, frame.tlsHandshakeCut(), where);
            }
            assertEquals(length >= sniEnd ? TlsMessages.SNI : null, sni(), where);
            assertEquals(length == bytes.length ? 0x0304 : -1, frame.tlsVersion(), where);
            assertEquals(captured >= 9 + 2 ? 0x0303 : -1, frame.tlsHelloVersion(), where);
        }
    }

    @Test
    void shouldReadTheFirstSegmentOfAClientHelloThatSpansTwo() {
        // A 1,800-byte ClientHello (post-quantum key share): server_name, then a large extension.
        FrameBuilder b = new FrameBuilder();
        Frames.ethernet(b, 0x0800);
        int ip = Frames.ipv4(b, 6, Frames.CLIENT, Frames.SERVER);
        Frames.tcp(b, 40000, 443, Frames.CLIENT_DATA_SEQ, Frames.SERVER_ISN + 1, 0x10, 502);
        TlsMessages.clientHello(b, TlsMessages.SNI);
        int end = b.position();
        Frames.finishIpv4(b, ip); // the TLS bytes end the segment; the rest comes in the next one
        byte[] whole = b.build();
        // grow the record, the handshake and the extensions by 1,700 bytes that are in the next segment
        int record = TCP_PAYLOAD;
        whole[record + 3] = (byte) ((end - record - 5 + 1700) >>> 8);
        whole[record + 4] = (byte) (end - record - 5 + 1700);
        int handshakeLength = end - record - 9 + 1700;
        whole[record + 6] = (byte) (handshakeLength >>> 16);
        whole[record + 7] = (byte) (handshakeLength >>> 8);
        whole[record + 8] = (byte) handshakeLength;
        int extensions = record + 86;
        int extensionsLength = end - extensions - 2 + 1700;
        whole[extensions] = (byte) (extensionsLength >>> 8);
        whole[extensions + 1] = (byte) extensionsLength;

        assertEquals(DecodeResult.OK, decodeTls(whole, whole.length));
        assertTrue(frame.tlsClientHello());
        assertTrue(frame.tlsHandshakeCut());
        assertEquals(handshakeLength, frame.tlsHandshakeLength());
        assertEquals(TlsMessages.SNI, sni());
        assertEquals(0x0304, frame.tlsVersion());
    }

    @Test
    void shouldReportAHelloThatContradictsItsLengthsAsMalformedAndKeepWhatWasRead() {
        byte[] bytes = Frames.ethernetIpv4TlsClientHello();
        bytes[TCP_PAYLOAD + 9 + 2 + 32] = 33; // session id length 33 (RFC 8446: at most 32)

        assertEquals(DecodeResult.MALFORMED, decodeTls(bytes, bytes.length));
        assertTrue(frame.tlsClientHello());
        assertEquals(0x0303, frame.tlsHelloVersion());
        assertNull(sni());
    }

    @Test
    void shouldReportAnExtensionRunningPastTheHelloAsMalformed() {
        byte[] bytes = Frames.ethernetIpv4TlsClientHello();
        int extensions = TCP_PAYLOAD + 86;
        bytes[extensions] = 0x7F; // extensions length far past the handshake message

        assertEquals(DecodeResult.MALFORMED, decodeTls(bytes, bytes.length));
        assertNull(sni());
    }

    @Test
    void shouldReportARecordLongerThanTheMaximumAsMalformed() {
        byte[] bytes = fromServer(b -> b.u8(23).u16(0x0303).u16((1 << 14) + 2049).zeros(8));

        assertEquals(DecodeResult.MALFORMED, decodeTls(bytes, bytes.length));
        assertEquals(0, frame.tlsRecords());
    }

    @Test
    void shouldSkipAServerNameListThatContradictsItsLength() {
        byte[] bytes = Frames.ethernetIpv4TlsClientHello();
        int list = TCP_PAYLOAD + 92;
        bytes[list + 1] = 100; // server_name_list length past the extension

        assertEquals(DecodeResult.OK, decodeTls(bytes, bytes.length));
        assertNull(sni());
        assertEquals(0x0304, frame.tlsVersion(), "the extensions after it are still read");
    }

    @Test
    void shouldStopAtBytesThatAreNotARecord() {
        byte[] bytes = fromServer(b -> {
            TlsMessages.alert(b, TlsAlert.FATAL, 40);
            b.ascii("220 smtp ready\r\n"); // not a record
        });

        assertEquals(DecodeResult.OK, decodeTls(bytes, bytes.length));
        assertEquals(1, frame.tlsRecords());
        assertEquals(40, frame.tlsAlertDescription());
    }

    @Test
    void shouldRecogniseGreaseValues() {
        for (int x = 0; x < 16; x++) {
            assertTrue(TlsDecoder.isGrease((x << 12) | 0x0A00 | (x << 4) | 0x0A), Integer.toHexString(x));
        }
        assertFalse(TlsDecoder.isGrease(0x0304));
        assertFalse(TlsDecoder.isGrease(0x1A2A));
    }

    @Test
    void shouldNameVersionsAndAlerts() {
        assertEquals("TLS 1.2", TlsVersion.label(0x0303));
        assertEquals("TLS 1.3", TlsVersion.label(0x0304));
        assertEquals("TLS 1.3 draft 16", TlsVersion.label(0x7F10));
        assertEquals("0x1234", TlsVersion.label(0x1234));
        assertEquals(TlsVersion.SSL_3_0, TlsVersion.of(0x0300));
        assertNull(TlsVersion.of(-1));
        assertEquals("unrecognized_name", TlsAlert.label(112));
        assertEquals("alert_7", TlsAlert.label(7));
        assertNull(TlsAlert.of(-1));
        assertNull(TlsAlert.of(300));
        for (TlsAlert a : TlsAlert.values()) {
            assertEquals(a, TlsAlert.of(a.code()));
        }
    }

    @Test
    void shouldNeverThrowOnRandomPayloadsAfterARecordHeader() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(0x715);
        byte[] hello = Frames.ethernetIpv4TlsClientHello();
        int ok = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] bytes = hello.clone();
            int flips = 1 + random.nextInt(6);
            for (int f = 0; f < flips; f++) {
                int at = TCP_PAYLOAD + random.nextInt(bytes.length - TCP_PAYLOAD);
                bytes[at] = (byte) random.nextInt(256);
            }
            int length = TCP_PAYLOAD + random.nextInt(bytes.length - TCP_PAYLOAD + 1);
            try {
                if (decoder.decode(bytes, 0, length, LinkTypes.ETHERNET, frame) == DecodeResult.OK
                        && tls.decode(frame) == DecodeResult.OK) {
                    ok++;
                    if (frame.tlsSniOffset() >= 0) {
                        assertTrue(frame.tlsSniOffset() + frame.tlsSniLength() <= length, "SNI inside the capture");
                    }
                }
            } catch (RuntimeException e) {
                fail("iteration " + i + " threw", e);
            }
        }
        assertTrue(ok > 0);
    }
}
