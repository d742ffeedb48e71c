package org.tapdoctor.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The decoders of the site protocols on the frames of {@link SiteFrames}, field by field, and their edge cases. */
class SiteDecoderTest {
    private final FrameDecoder decoder = new FrameDecoder();
    private final DecodedFrame frame = new DecodedFrame();

    private DecodeResult decode(byte[] bytes, int linkType) {
        return decoder.decode(bytes, 0, bytes.length, linkType, frame);
    }

    private DecodeResult decode(byte[] bytes) {
        return decode(bytes, LinkTypes.ETHERNET);
    }

    private String text(int offset, int length) {
        return WireText.text(frame.buffer(), offset, length);
    }

    private static String v4(int ip) {
        return IpAddresses.formatV4(ip);
    }

    // ---------------------------------------------------------------- LLDP

    @Test
    void shouldDecodeLldp() {
        assertEquals(DecodeResult.OK, decode(SiteFrames.ethernetLldp()));
        assertEquals(DecodedFrame.Type.LLDP, frame.type());
        assertEquals(SiteFrames.SWITCH_MAC, frame.srcMac());
        assertEquals(4, frame.chassisIdSubtype());
        assertEquals("02:00:00:00:bb:01", WireText.hex(frame.buffer(), frame.chassisIdOffset(), frame.chassisIdLength()));
        assertEquals(7, frame.portIdSubtype());
        assertEquals("Gi1/0/12", text(frame.portIdOffset(), frame.portIdLength()));
        assertEquals(120, frame.discoveryTtl());
        assertEquals("access port 12", text(frame.portDescriptionOffset(), frame.portDescriptionLength()));
        assertEquals("sw-3f-access-01", text(frame.systemNameOffset(), frame.systemNameLength()));
        assertEquals("Test switch OS 1.0", text(frame.systemDescriptionOffset(), frame.systemDescriptionLength()));
        assertEquals("WS-C3560X", text(frame.platformOffset(), frame.platformLength()));
        assertEquals(4, frame.managementIpVersion());
        assertEquals("192.0.2.3", IpAddresses.format(frame.managementHi(), frame.managementLo()));
        assertEquals(10, frame.portVlanId());
        assertEquals(20, frame.voiceVlanId(), "the voice policy, not the voice signalling one before it");
        assertEquals(-1, frame.cdpVersion());
        assertFalse(frame.optionsTruncated());
    }

    @Test
    void shouldRefuseAnLldpduWhoseMandatoryTlvsAreOutOfOrder() {
        FrameBuilder b = new FrameBuilder();
        b.u48(SiteFrames.LLDP_MULTICAST).u48(SiteFrames.SWITCH_MAC).u16(0x88CC);
        SiteFrames.tlv(b, 2, 2).u8(7).u8('1');          // Port ID TLV first
        SiteFrames.tlv(b, 1, 7).u8(4).u48(SiteFrames.SWITCH_MAC); // then Chassis ID
        SiteFrames.tlv(b, 3, 2).u16(120);                // TTL
        SiteFrames.tlv(b, 0, 0);                         // End
        assertEquals(DecodeResult.MALFORMED, decode(b.build()));
    }

    @Test
    void shouldRefuseAnLldpChassisIdWithoutId() {
        FrameBuilder b = new FrameBuilder();
        b.u48(SiteFrames.LLDP_MULTICAST).u48(SiteFrames.SWITCH_MAC).u16(0x88CC);
        SiteFrames.tlv(b, 1, 1).u8(4);                   // Chassis ID TLV of 1 octet: subtype only
        SiteFrames.tlv(b, 2, 2).u8(7).u8('1');           // Port ID
        SiteFrames.tlv(b, 3, 2).u16(120);                // TTL
        assertEquals(DecodeResult.MALFORMED, decode(b.build()));
    }

    @Test
    void shouldKeepAnLldpduWithoutEndTlvAndShutdownTtl() {
        FrameBuilder b = new FrameBuilder();
        b.u48(SiteFrames.LLDP_MULTICAST).u48(SiteFrames.SWITCH_MAC).u16(0x88CC);
        SiteFrames.tlv(b, 1, 7).u8(4).u48(SiteFrames.SWITCH_MAC); // Chassis ID
        SiteFrames.tlv(b, 2, 2).u8(7).u8('1');           // Port ID "1"
        SiteFrames.tlv(b, 3, 2).u16(0);                  // TTL 0: the port is shutting down (9.2.7.7.3)
        assertEquals(DecodeResult.OK, decode(b.build()));
        assertEquals(0, frame.discoveryTtl());
        assertEquals(-1, frame.systemNameOffset());
        assertEquals(-1, frame.portVlanId());
        assertEquals(-1, frame.voiceVlanId());
        assertFalse(frame.optionsTruncated());
    }

    @Test
    void shouldIgnoreAVoicePolicyMarkedUnknown() {
        FrameBuilder b = new FrameBuilder();
        b.u48(SiteFrames.LLDP_MULTICAST).u48(SiteFrames.SWITCH_MAC).u16(0x88CC);
        SiteFrames.tlv(b, 1, 7).u8(4).u48(SiteFrames.SWITCH_MAC); // Chassis ID
        SiteFrames.tlv(b, 2, 2).u8(7).u8('1');           // Port ID
        SiteFrames.tlv(b, 3, 2).u16(120);                // TTL
        SiteFrames.tlv(b, 127, 8).bytes(0x00, 0x12, 0xBB).u8(2) // MED network policy
         .u8(1)                  // application voice
         .bytes(0x80, 0x00, 0x00); // U 1: policy unknown, VLAN 0
        assertEquals(DecodeResult.OK, decode(b.build()));
        assertEquals(-1, frame.voiceVlanId());
    }

    @Test
    void shouldMarkAnLldpduCutInsideAnOptionalTlv() {
        byte[] whole = SiteFrames.ethernetLldp();
        // cut inside the System Name TLV: chassis (9) + port (10) + TTL (4) + port description (16) after 14
        int cut = 14 + 9 + 10 + 4 + 16 + 5;
        assertEquals(DecodeResult.OK, decoder.decode(Arrays.copyOf(whole, cut), 0, cut, LinkTypes.ETHERNET, frame));
        assertEquals(DecodedFrame.Type.LLDP, frame.type());
        assertTrue(frame.optionsTruncated());
        assertEquals("access port 12", text(frame.portDescriptionOffset(), frame.portDescriptionLength()));
        assertEquals(-1, frame.systemNameOffset());
    }

    // ---------------------------------------------------------------- CDP

    private void assertCdp() {
        assertEquals(DecodedFrame.Type.CDP, frame.type());
        assertEquals(2, frame.cdpVersion());
        assertEquals(180, frame.discoveryTtl());
        assertEquals("sw-3f-access-01", text(frame.systemNameOffset(), frame.systemNameLength()));
        assertEquals("GigabitEthernet1/0/12", text(frame.portIdOffset(), frame.portIdLength()));
        assertEquals(-1, frame.portIdSubtype());
        assertEquals(-1, frame.chassisIdOffset());
        assertEquals("Test switch OS 1.0", text(frame.systemDescriptionOffset(), frame.systemDescriptionLength()));
        assertEquals("cisco WS-C3560CX-12PC", text(frame.platformOffset(), frame.platformLength()));
        assertEquals("192.0.2.3", IpAddresses.format(frame.managementHi(), frame.managementLo()));
        assertEquals(10, frame.portVlanId());
        assertEquals(20, frame.voiceVlanId());
        assertFalse(frame.optionsTruncated());
    }

    @Test
    void shouldDecodeCdp() {
        assertEquals(DecodeResult.OK, decode(SiteFrames.ethernetCdp()));
        assertCdp();
        assertEquals(0, frame.vlanCount());
    }

    @Test
    void shouldDecodeCdpAfterAVlanTagAndStopAtThe8023Length() {
        assertEquals(DecodeResult.OK, decode(SiteFrames.vlanCdp()));
        assertCdp();
        assertEquals(1, frame.vlanCount());
        assertEquals(1, frame.outerVlanId());
    }

    @Test
    void shouldDecodeCdpInALinuxCookedCapture() {
        assertEquals(DecodeResult.OK, decode(SiteFrames.sllCdp(), LinkTypes.LINUX_SLL));
        assertCdp();
    }

    @Test
    void shouldPreferTheCdpManagementAddress() {
        FrameBuilder b = new FrameBuilder();
        b.u48(SiteFrames.CDP_MULTICAST).u48(SiteFrames.SWITCH_MAC).u16(0);
        SiteFrames.llcSnapCdp(b);
        b.u8(2).u8(180).u16(0);                          // CDP header
        b.u16(0x0002).u16(4 + 4 + 9).u32(1).u8(1).u8(1).u8(0xCC).u16(4).ipv4("192.0.2.3"); // Addresses
        b.u16(0x0016).u16(4 + 4 + 9 + 9).u32(2)          // Management addresses: two
         .u8(2).u8(1).u8(0x00).u16(4).ipv4("0.0.0.1")    //   802.2 protocol, not IP: skipped
         .u8(1).u8(1).u8(0xCC).u16(4).ipv4("198.51.100.3"); //   IP
        b.patch16(12, b.position() - 14);
        assertEquals(DecodeResult.OK, decode(b.build()));
        assertEquals("198.51.100.3", IpAddresses.format(frame.managementHi(), frame.managementLo()));
    }

    @Test
    void shouldRefuseACdpTlvShorterThanItsHeaderOrLongerThanTheMessage() {
        byte[] cdp = SiteFrames.ethernetCdp();
        int firstTlvLength = 14 + 8 + 4 + 2; // Ethernet, LLC/SNAP, CDP header, TLV type
        byte[] shortTlv = cdp.clone();
        shortTlv[firstTlvLength] = 0;
        shortTlv[firstTlvLength + 1] = 3;        // length 3 < 4
        assertEquals(DecodeResult.MALFORMED, decode(shortTlv));
        byte[] longTlv = cdp.clone();
        longTlv[firstTlvLength] = 0x05;          // length 1280: past the 802.3 length
        assertEquals(DecodeResult.MALFORMED, decode(longTlv));
    }

    @Test
    void shouldIgnoreOtherLlcAndSnapProtocols() {
        FrameBuilder dtp = new FrameBuilder();
        dtp.u48(SiteFrames.CDP_MULTICAST).u48(SiteFrames.SWITCH_MAC)
           .u16(38)                               // 802.3 length
           .bytes(0xAA, 0xAA, 0x03)               // LLC: SNAP, UI
           .bytes(0x00, 0x00, 0x0C).u16(0x2004)   // SNAP: Cisco, PID 0x2004 DTP
           .zeros(30);
        assertEquals(DecodeResult.IGNORED, decode(dtp.build()));
        FrameBuilder bad = new FrameBuilder();
        bad.u48(SiteFrames.CDP_MULTICAST).u48(SiteFrames.SWITCH_MAC)
           .u16(1520)                              // neither a length nor a type
           .zeros(46);
        assertEquals(DecodeResult.IGNORED, decode(bad.build()));
    }

    // ---------------------------------------------------------------- DHCP

    @Test
    void shouldDecodeADhcpAck() {
        assertEquals(DecodeResult.OK, decode(SiteFrames.ethernetDhcpAck()));
        assertEquals(DecodedFrame.Type.DHCP, frame.type());
        assertEquals(67, frame.srcPort());
        assertEquals(2, frame.dhcpOp());
        assertEquals(5, frame.dhcpMessageType());
        assertEquals(SiteFrames.DHCP_XID, frame.dhcpXid());
        assertEquals(0, frame.dhcpHops());
        assertEquals(SiteFrames.CLIENT_MAC, frame.dhcpClientMac());
        assertEquals("0.0.0.0", v4(frame.dhcpClientIp()));
        assertEquals("192.0.2.100", v4(frame.dhcpYourIp()));
        assertEquals("0.0.0.0", v4(frame.dhcpRelayIp()));
        assertEquals("192.0.2.2", v4(frame.dhcpServerId()));
        assertEquals("192.0.2.1", v4(frame.dhcpRouter()), "the first router");
        assertEquals(2, frame.dhcpDnsCount());
        assertEquals("192.0.2.2", v4(frame.dhcpDnsServer(0)));
        assertEquals("198.51.100.53", v4(frame.dhcpDnsServer(1)));
        assertThrows(IndexOutOfBoundsException.class, () -> frame.dhcpDnsServer(2));
        assertEquals(3600, frame.dhcpLeaseSeconds());
        assertEquals(0, frame.dhcpRequestedIp());
        assertEquals(-1, frame.dhcpMessageOffset());
        assertFalse(frame.optionsTruncated());
    }

    @Test
    void shouldDecodeADhcpNakAndItsMessage() {
        assertEquals(DecodeResult.OK, decode(SiteFrames.ethernetDhcpNak()));
        assertEquals(6, frame.dhcpMessageType());
        assertEquals("wrong network", text(frame.dhcpMessageOffset(), frame.dhcpMessageLength()));
        assertEquals(0, frame.dhcpYourIp());
        assertEquals(-1, frame.dhcpLeaseSeconds());
        assertEquals(0, frame.dhcpRouter());
        assertEquals(0, frame.dhcpDnsCount());
    }

    @Test
    void shouldDecodeARelayedRequest() {
        assertEquals(DecodeResult.OK, decode(SiteFrames.ethernetDhcpRelayedRequest()));
        assertEquals(1, frame.dhcpOp());
        assertEquals(3, frame.dhcpMessageType());
        assertEquals(1, frame.dhcpHops());
        assertEquals("203.0.113.1", v4(frame.dhcpRelayIp()));
        assertEquals("192.0.2.100", v4(frame.dhcpRequestedIp()));
        assertEquals("192.0.2.2", v4(frame.dhcpServerId()));
    }

    @Test
    void shouldReadOptionsOverloadedIntoTheFileAndSnameFields() {
        byte[] ack = SiteFrames.ethernetDhcpAck();
        int bootp = 14 + 20 + 8;
        byte[] b = ack.clone();
        int options = bootp + DhcpMessage.OPTIONS_OFFSET;
        // main options: message type ACK, overload 3 (file and sname), end
        byte[] main = {53, 1, 5, 52, 1, 3, (byte) 255};
        Arrays.fill(b, options, b.length, (byte) 0);
        System.arraycopy(main, 0, b, options, main.length);
        // file: lease 7200; sname: server identifier 192.0.2.2, then end
        byte[] file = {51, 4, 0, 0, 0x1C, 0x20, (byte) 255};
        byte[] sname = {54, 4, (byte) 192, 0, 2, 2, (byte) 255};
        System.arraycopy(file, 0, b, bootp + DhcpMessage.FILE_OFFSET, file.length);
        System.arraycopy(sname, 0, b, bootp + DhcpMessage.SNAME_OFFSET, sname.length);

        assertEquals(DecodeResult.OK, decode(b));
        assertEquals(5, frame.dhcpMessageType());
        assertEquals(7200, frame.dhcpLeaseSeconds());
        assertEquals("192.0.2.2", v4(frame.dhcpServerId()));
    }

    @Test
    void shouldTakeBootpWithoutTheCookieForPlainUdp() {
        byte[] b = SiteFrames.ethernetDhcpAck();
        b[14 + 20 + 8 + DhcpMessage.COOKIE_OFFSET] = 0;  // no magic cookie
        assertEquals(DecodeResult.OK, decode(b));
        assertEquals(DecodedFrame.Type.UDP, frame.type());
        assertEquals(-1, frame.dhcpOp());
    }

    @Test
    void shouldRefuseADhcpOptionRunningPastTheDatagram() {
        byte[] b = SiteFrames.ethernetDhcpNak();
        int message = 14 + 20 + 8 + DhcpMessage.OPTIONS_OFFSET + 3 + 6; // the option 56 after 53 and 54
        assertEquals(56, b[message]);
        b[message + 1] = (byte) 200;            // message length 200: past the end of the datagram
        assertEquals(DecodeResult.MALFORMED, decode(b));
    }

    @Test
    void shouldMarkDhcpOptionsCutByTheCapture() {
        byte[] ack = SiteFrames.ethernetDhcpAck();
        int cut = 14 + 20 + 8 + DhcpMessage.OPTIONS_OFFSET + 3 + 6 + 3; // inside the lease option
        assertEquals(DecodeResult.OK, decoder.decode(Arrays.copyOf(ack, cut), 0, cut, LinkTypes.ETHERNET, frame));
        assertEquals(DecodedFrame.Type.DHCP, frame.type());
        assertTrue(frame.optionsTruncated());
        assertEquals(5, frame.dhcpMessageType());
        assertEquals(-1, frame.dhcpLeaseSeconds());
        // the old 256-byte snaplen cuts every DHCP message before its options
        assertEquals(DecodeResult.TRUNCATED, decoder.decode(Arrays.copyOf(ack, 256), 0, 256, LinkTypes.ETHERNET, frame));
    }

    @Test
    void shouldLeaveOtherUdpOnPort67Alone() {
        byte[] ack = SiteFrames.ethernetDhcpAck();
        ack[14 + 20 + 3] = 99;                  // destination port 99: not DHCP
        assertEquals(DecodeResult.OK, decode(ack));
        assertEquals(DecodedFrame.Type.UDP, frame.type());
    }

    // ---------------------------------------------------------------- neighbour discovery

    @Test
    void shouldDecodeARouterAdvertisement() {
        assertEquals(DecodeResult.OK, decode(SiteFrames.ethernetRouterAdvertisement()));
        assertEquals(DecodedFrame.Type.NEIGHBOR_DISCOVERY, frame.type());
        assertEquals(134, frame.icmpType());
        assertEquals("fe80::1", IpAddresses.format(frame.srcHi(), frame.srcLo()));
        assertEquals(1800, frame.raRouterLifetime());
        assertFalse(frame.raManaged());
        assertTrue(frame.raOther());
        assertEquals(0x02_00_00_00_00_01L, frame.ndLinkAddress());
        assertEquals(1, frame.raPrefixCount());
        assertEquals("2001:db8:a::", IpAddresses.format(frame.raPrefixHi(0), frame.raPrefixLo(0)));
        assertEquals(64, frame.raPrefixLength(0));
        assertEquals(0xC0, frame.raPrefixFlags(0));
        assertEquals(2592000, frame.raPrefixValid(0));
        assertEquals(604800, frame.raPrefixPreferred(0));
        assertThrows(IndexOutOfBoundsException.class, () -> frame.raPrefixHi(1));
        assertFalse(frame.isDadProbe());
    }

    @Test
    void shouldCountPrefixesBeyondThoseKept() {
        FrameBuilder b = new FrameBuilder();
        b.u48(0x33_33_00_00_00_01L).u48(0x02_00_00_00_00_01L).u16(0x86DD);
        int ip = Frames.ipv6(b, 58, SiteFrames.ROUTER_LINK_LOCAL, "ff02::1");
        b.u8(134).u8(0).u16(0).u8(64).u8(0).u16(0).u32(0).u32(0); // RA, router lifetime 0: not a default router
        for (int i = 1; i <= 6; i++) {
            b.u8(3).u8(4).u8(64).u8(0x80).u32(3600).u32(1800).u32(0) // prefix option, L only
             .ipv6("2001:db8:" + i + "::");
        }
        Frames.finishIpv6(b, ip);
        byte[] bytes = b.build();
        SiteFrames.hopLimit255(bytes, ip);
        assertEquals(DecodeResult.OK, decode(bytes));
        assertEquals(0, frame.raRouterLifetime());
        assertEquals(6, frame.raPrefixCount());
        assertEquals("2001:db8:4::", IpAddresses.format(frame.raPrefixHi(3), frame.raPrefixLo(3)));
        assertThrows(IndexOutOfBoundsException.class, () -> frame.raPrefixHi(4));
    }

    @Test
    void shouldDecodeADadProbeAndTheAnswerThatDefendsTheAddress() {
        assertEquals(DecodeResult.OK, decode(SiteFrames.ethernetDadProbe()));
        assertEquals(135, frame.icmpType());
        assertTrue(frame.isDadProbe());
        assertEquals("2001:db8:a::50", IpAddresses.format(frame.ndTargetHi(), frame.ndTargetLo()));
        assertEquals(-1, frame.ndLinkAddress());

        assertEquals(DecodeResult.OK, decode(SiteFrames.ethernetNeighborAdvertisement()));
        assertEquals(136, frame.icmpType());
        assertFalse(frame.isDadProbe());
        assertFalse(frame.naRouter());
        assertFalse(frame.naSolicited());
        assertTrue(frame.naOverride());
        assertEquals("2001:db8:a::50", IpAddresses.format(frame.ndTargetHi(), frame.ndTargetLo()));
        assertEquals(0x02_00_00_00_00_50L, frame.ndLinkAddress());
    }

    @Test
    void shouldNotTakeNeighbourDiscoveryFromOffLinkForValid() {
        byte[] ra = SiteFrames.ethernetRouterAdvertisement();
        ra[14 + 7] = 64;                         // hop limit 64: forwarded, a host discards it
        assertEquals(DecodeResult.OK, decode(ra));
        assertEquals(DecodedFrame.Type.ICMP_OTHER, frame.type());
        assertEquals(-1, frame.raRouterLifetime());
    }

    @Test
    void shouldRefuseAnNdOptionOfLengthZero() {
        byte[] ra = SiteFrames.ethernetRouterAdvertisement();
        ra[14 + 40 + 16 + 1] = 0;                // the SLLA option's length: 0
        assertEquals(DecodeResult.MALFORMED, decode(ra));
        byte[] shortNs = SiteFrames.ethernetDadProbe();
        assertEquals(DecodeResult.MALFORMED, decoder.decode(patchIpv6PayloadLength(shortNs, 20), 0, shortNs.length,
                LinkTypes.ETHERNET, frame), "an NS of 20 octets, shorter than its target");
    }

    private static byte[] patchIpv6PayloadLength(byte[] frame, int length) {
        frame[14 + 4] = (byte) (length >>> 8);
        frame[14 + 5] = (byte) length;
        return frame;
    }

    // ---------------------------------------------------------------- EAPOL

    @Test
    void shouldDecodeEapolStart() {
        assertEquals(DecodeResult.OK, decode(SiteFrames.eapolStart()));
        assertEquals(DecodedFrame.Type.EAPOL, frame.type());
        assertEquals(SiteFrames.PAE_GROUP, frame.dstMac());
        assertEquals(2, frame.eapolVersion());
        assertEquals(1, frame.eapolType());
        assertEquals(-1, frame.eapCode());
        assertEquals(-1, frame.eapType());
    }

    @Test
    void shouldDecodeAnEapIdentity() {
        assertEquals(DecodeResult.OK, decode(SiteFrames.eapolResponseIdentity()));
        assertEquals(0, frame.eapolType());
        assertEquals(2, frame.eapCode());
        assertEquals(7, frame.eapId());
        assertEquals(1, frame.eapType());
        assertEquals("alice", text(frame.eapDataOffset(), frame.eapDataLength()));
        assertFalse(frame.optionsTruncated());
    }

    @Test
    void shouldDecodeEapFailureAndAMethodRequest() {
        assertEquals(DecodeResult.OK, decode(SiteFrames.eapolFailure()));
        assertEquals(4, frame.eapCode());
        assertEquals(8, frame.eapId());
        assertEquals(-1, frame.eapType());
        assertEquals(-1, frame.eapDataOffset());

        assertEquals(DecodeResult.OK, decode(SiteFrames.eapolRequestMd5()));
        assertEquals(1, frame.eapCode());
        assertEquals(4, frame.eapType());
        assertEquals(17, frame.eapDataLength());
    }

    @Test
    void shouldRefuseAnEapLengthBeyondTheEapolBody() {
        byte[] b = SiteFrames.eapolResponseIdentity();
        b[14 + 4 + 3] = 40;                      // EAP length 40 > body length 10
        assertEquals(DecodeResult.MALFORMED, decode(b));
        byte[] request = SiteFrames.eapolRequestMd5();
        request[14 + 4 + 3] = 4;                 // a Request of 4 octets: no type
        assertEquals(DecodeResult.MALFORMED, decode(request));
    }

    @Test
    void shouldMarkAnIdentityCutByTheCapture() {
        byte[] b = SiteFrames.eapolResponseIdentity();
        int cut = 14 + 4 + 5 + 2;                // "al"
        assertEquals(DecodeResult.OK, decoder.decode(Arrays.copyOf(b, cut), 0, cut, LinkTypes.ETHERNET, frame));
        assertEquals("al", text(frame.eapDataOffset(), frame.eapDataLength()));
        assertTrue(frame.optionsTruncated());
    }

    // ---------------------------------------------------------------- clearing

    @Test
    void shouldClearEverySiteFieldForTheNextFrame() {
        byte[][] site = {SiteFrames.ethernetLldp(), SiteFrames.ethernetCdp(), SiteFrames.ethernetDhcpNak(),
            SiteFrames.ethernetDhcpAck(), SiteFrames.ethernetRouterAdvertisement(), SiteFrames.ethernetNeighborAdvertisement(),
            SiteFrames.eapolResponseIdentity()};
        DecodedFrame fresh = new DecodedFrame();
        for (byte[] s : site) {
            assertEquals(DecodeResult.OK, decode(s));
            assertEquals(DecodeResult.OK, decode(Frames.ethernetIpv4Syn()));
            assertEquals(DecodedFrame.Type.TCP, frame.type());
            assertSiteFieldsAbsent(fresh);
        }
    }

    private void assertSiteFieldsAbsent(DecodedFrame fresh) {
        assertFalse(frame.optionsTruncated());
        assertEquals(fresh.discoveryTtl(), frame.discoveryTtl());
        assertEquals(fresh.cdpVersion(), frame.cdpVersion());
        assertEquals(-1, frame.chassisIdOffset());
        assertEquals(-1, frame.chassisIdSubtype());
        assertEquals(-1, frame.portIdOffset());
        assertEquals(-1, frame.portIdSubtype());
        assertEquals(-1, frame.portDescriptionOffset());
        assertEquals(-1, frame.systemNameOffset());
        assertEquals(-1, frame.systemDescriptionOffset());
        assertEquals(-1, frame.platformOffset());
        assertEquals(0, frame.managementIpVersion());
        assertEquals(0, frame.managementHi() | frame.managementLo());
        assertEquals(-1, frame.portVlanId());
        assertEquals(-1, frame.voiceVlanId());
        assertEquals(-1, frame.dhcpOp());
        assertEquals(-1, frame.dhcpMessageType());
        assertEquals(-1, frame.dhcpHops());
        assertEquals(0, frame.dhcpXid());
        assertEquals(-1, frame.dhcpClientMac());
        assertEquals(0, frame.dhcpClientIp() | frame.dhcpYourIp() | frame.dhcpRelayIp() | frame.dhcpRequestedIp()
                | frame.dhcpServerId() | frame.dhcpRouter());
        assertEquals(0, frame.dhcpDnsCount());
        assertEquals(-1, frame.dhcpLeaseSeconds());
        assertEquals(-1, frame.dhcpMessageOffset());
        assertEquals(-1, frame.raRouterLifetime());
        assertEquals(0, frame.ndTargetHi() | frame.ndTargetLo());
        assertEquals(-1, frame.ndLinkAddress());
        assertEquals(0, frame.raPrefixCount());
        assertEquals(-1, frame.eapolVersion());
        assertEquals(-1, frame.eapolType());
        assertEquals(-1, frame.eapCode());
        assertEquals(-1, frame.eapId());
        assertEquals(-1, frame.eapType());
        assertEquals(-1, frame.eapDataOffset());
        assertEquals(0, frame.eapDataLength());
    }

    @Test
    void shouldGiveNullTextForAnAbsentString() {
        assertNull(WireText.text(new byte[4], -1, 0));
        assertEquals("a b", WireText.text(new byte[] {'a', '\n', 'b', 0, ' '}, 0, 5));
    }
}
