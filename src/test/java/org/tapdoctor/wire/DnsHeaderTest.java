package org.tapdoctor.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DnsHeaderTest {
    private final FrameDecoder decoder = new FrameDecoder();
    private final DecodedFrame frame = new DecodedFrame();

    private DecodeResult decode(byte[] bytes) {
        return decoder.decode(bytes, 0, bytes.length, LinkTypes.ETHERNET, frame);
    }

    private String qname() {
        return new String(frame.buffer(), frame.dnsQnameOffset(), frame.dnsQnameLength(), StandardCharsets.ISO_8859_1);
    }

    /** NXDOMAIN for "nope.example" AAAA from SERVER:53, with an SOA in the authority section. */
    private static byte[] nxdomainResponse(int port) {
        FrameBuilder b = new FrameBuilder();
        Frames.ethernet(b, 0x0800);
        int ip = Frames.ipv4(b, 17, Frames.SERVER, Frames.CLIENT);
        int udp = b.position();
        b.u16(port)             // UDP source port
         .u16(53001)            // UDP destination port
         .u16(0)                // UDP length: patched
         .u16(0)                // UDP checksum
         .u16(0x1234)           // DNS id
         .u16(0x8183)           // flags: response, RD, RA, RCODE 3 NXDOMAIN
         .u16(1)                // QDCOUNT
         .u16(0)                // ANCOUNT
         .u16(1)                // NSCOUNT
         .u16(0)                // ARCOUNT
         .dnsName("nope.example") // QNAME
         .u16(28)               // QTYPE AAAA
         .u16(1)                // QCLASS IN
         .u16(0xC011)           // authority NAME: pointer to "example" at offset 17
         .u16(6)                // TYPE SOA
         .u16(1)                // CLASS IN
         .u32(900)              // TTL
         .u16(0);               // RDLENGTH (RDATA left out)
        b.patch16(udp + 4, b.position() - udp);
        Frames.finishIpv4(b, ip);
        return b.build();
    }

    @Test
    void shouldDecodeQuery() {
        byte[] bytes = Frames.ethernetIpv4DnsQuery();

        assertEquals(DecodeResult.OK, decode(bytes));
        assertEquals(DecodedFrame.Type.DNS, frame.type());
        assertEquals(53, frame.dstPort());
        assertEquals(0xBEEF, frame.dnsId());
        assertEquals(false, frame.dnsIsResponse());
        assertEquals(1, frame.dnsQuestionCount());
        assertEquals(0, frame.dnsAnswerCount());
        assertEquals(14 + 20 + 8 + 12, frame.dnsQnameOffset());
        assertEquals(13, frame.dnsQnameLength());
        assertEquals("\u0007example\u0003com\u0000", qname());
        assertEquals(1, frame.dnsQtype());
        assertEquals(12 + 13 + 4, frame.payloadLength());
    }

    @Test
    void shouldDecodeNxdomainResponse() {
        assertEquals(DecodeResult.OK, decode(nxdomainResponse(53)));
        assertEquals(DecodedFrame.Type.DNS, frame.type());
        assertTrue(frame.dnsIsResponse());
        assertEquals(3, frame.dnsRcode());
        assertEquals(0x1234, frame.dnsId());
        assertEquals(0, frame.dnsAnswerCount());
        assertEquals("\u0004nope\u0007example\u0000", qname());
        assertEquals(28, frame.dnsQtype());
    }

    @Test
    void shouldNotTreatMulticastDnsAsDns() {
        assertEquals(DecodeResult.OK, decode(nxdomainResponse(5353)));
        assertEquals(DecodedFrame.Type.UDP, frame.type());
        assertEquals(-1, frame.dnsId());
    }

    @Test
    void shouldStopTheNameAtACompressionPointer() {
        byte[] bytes = Frames.ethernetIpv4DnsQuery();
        int name = 14 + 20 + 8 + 12;
        bytes[name] = (byte) 0xC0; // the first question starts with a pointer to offset 12
        bytes[name + 1] = 12;

        assertEquals(DecodeResult.OK, decode(bytes));
        assertEquals(DecodedFrame.Type.DNS, frame.type());
        assertEquals(name, frame.dnsQnameOffset());
        assertEquals(2, frame.dnsQnameLength());
        assertEquals(0x7861, frame.dnsQtype()); // "xa": the bytes after the pointer
    }

    @Test
    void shouldKeepTheHeaderWhenTheNameRunsPastTheCapture() {
        byte[] bytes = Frames.ethernetIpv4DnsQuery();
        int cut = 14 + 20 + 8 + 12 + 5; // inside "example"

        assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, cut, LinkTypes.ETHERNET, frame));
        assertEquals(DecodedFrame.Type.DNS, frame.type());
        assertEquals(0xBEEF, frame.dnsId());
        assertEquals(-1, frame.dnsQnameOffset());
        assertEquals(-1, frame.dnsQtype());
    }

    @Test
    void shouldReportTruncatedWhenTheDnsHeaderIsCut() {
        byte[] bytes = Frames.ethernetIpv4DnsQuery();

        assertEquals(DecodeResult.TRUNCATED, decoder.decode(bytes, 0, 14 + 20 + 8 + 11, LinkTypes.ETHERNET, frame));
    }

    @Test
    void shouldRejectUdpLengthBeyondTheIpPayload() {
        byte[] bytes = Frames.ethernetIpv4DnsQuery();
        bytes[14 + 20 + 4] = 0x10; // UDP length 4096+

        assertEquals(DecodeResult.MALFORMED, decode(bytes));
    }
}
