package org.tapdoctor.wire;

import java.util.List;

/**
 * Frames of the site protocols built byte by byte, one comment per field: LLDP, CDP, DHCP, IPv6
 * neighbour discovery, EAPOL. Names and addresses are those of the site the issue describes
 * (switch sw-3f-access-01, port Gi1/0/12, VLAN 10, voice VLAN 20, DHCP server 192.0.2.2,
 * gateway 192.0.2.1), documentation ranges only.
 */
final class SiteFrames {
    static final long SWITCH_MAC = 0x02_00_00_00_bb_01L;
    static final long CLIENT_MAC = Frames.CLIENT_MAC;
    static final long LLDP_MULTICAST = 0x01_80_C2_00_00_0EL;
    static final long PAE_GROUP = 0x01_80_C2_00_00_03L;
    static final long CDP_MULTICAST = 0x01_00_0C_CC_CC_CCL;
    static final String SWITCH_NAME = "sw-3f-access-01";
    static final String PORT = "Gi1/0/12";
    static final String PORT_DESCRIPTION = "access port 12";
    static final String SYSTEM_DESCRIPTION = "Test switch OS 1.0";
    static final String CDP_PORT = "GigabitEthernet1/0/12";
    static final String PLATFORM = "cisco WS-C3560CX-12PC";
    static final int DHCP_XID = 0x3903F326;
    static final String ROUTER_LINK_LOCAL = "fe80::1";

    private SiteFrames() {
    }

    static FrameBuilder text(FrameBuilder b, String s) {
        for (char c : s.toCharArray()) {
            b.u8(c);
        }
        return b;
    }

    /** LLDP TLV header: 7-bit type, 9-bit length. */
    static FrameBuilder tlv(FrameBuilder b, int type, int length) {
        return b.u16((type << 9) | length);
    }

    /** The LLDPDU of {@link #ethernetLldp()}, from the chassis ID TLV on. */
    static void lldpdu(FrameBuilder b) {
        tlv(b, 1, 7)            // Chassis ID TLV, 7 octets
         .u8(4)                 //   subtype 4: MAC address
         .u48(SWITCH_MAC);      //   chassis ID
        tlv(b, 2, 1 + PORT.length()) // Port ID TLV
         .u8(7);                //   subtype 7: locally assigned
        text(b, PORT);          //   port ID "Gi1/0/12"
        tlv(b, 3, 2)            // Time To Live TLV
         .u16(120);             //   120 s
        tlv(b, 4, PORT_DESCRIPTION.length()); // Port Description TLV
        text(b, PORT_DESCRIPTION);
        tlv(b, 5, SWITCH_NAME.length()); // System Name TLV
        text(b, SWITCH_NAME);
        tlv(b, 6, SYSTEM_DESCRIPTION.length()); // System Description TLV
        text(b, SYSTEM_DESCRIPTION);
        tlv(b, 7, 4)            // System Capabilities TLV (skipped)
         .u16(0x0014)           //   capabilities: bridge, router
         .u16(0x0004);          //   enabled: bridge
        tlv(b, 8, 12)           // Management Address TLV
         .u8(5)                 //   address string length: subtype + 4
         .u8(1)                 //   subtype 1: IPv4
         .ipv4("192.0.2.3")     //   address
         .u8(2)                 //   interface numbering: ifIndex
         .u32(12)               //   interface number
         .u8(0);                //   OID string length 0
        tlv(b, 127, 6)          // Organizationally specific TLV
         .bytes(0x00, 0x80, 0xC2) // OUI IEEE 802.1
         .u8(1)                 //   subtype 1: Port VLAN ID
         .u16(10);              //   PVID 10
        tlv(b, 127, 8)          // Organizationally specific TLV
         .bytes(0x00, 0x12, 0xBB) // OUI TIA (LLDP-MED)
         .u8(2)                 //   subtype 2: Network Policy
         .u8(2)                 //   application 2: voice signalling (not the voice VLAN)
         .u8(0x40 | (30 >>> 7)) //   U 0, T 1, X 0, VLAN 30 (high 5 bits)
         .u8((30 & 0x7F) << 1 | (3 >>> 2)) // VLAN (low 7 bits), priority 3 (high bit)
         .u8((3 & 0x3) << 6 | 24); //  priority (low 2 bits), DSCP 24
        tlv(b, 127, 8)          // Organizationally specific TLV
         .bytes(0x00, 0x12, 0xBB) // OUI TIA (LLDP-MED)
         .u8(2)                 //   subtype 2: Network Policy
         .u8(1)                 //   application 1: voice
         .u8(0x40 | (20 >>> 7)) //   U 0, T 1 (tagged), X 0, VLAN 20 (high 5 bits)
         .u8((20 & 0x7F) << 1 | (5 >>> 2)) // VLAN (low 7 bits), priority 5 (high bit)
         .u8((5 & 0x3) << 6 | 46); //  priority (low 2 bits), DSCP 46 (EF)
        tlv(b, 127, 4 + 9)      // Organizationally specific TLV
         .bytes(0x00, 0x12, 0xBB) // OUI TIA (LLDP-MED)
         .u8(10);               //   subtype 10: inventory model name
        text(b, "WS-C3560");    //   model (8 octets)
        b.u8('X');              //   ... "WS-C3560X"
        tlv(b, 0, 0);           // End Of LLDPDU
    }

    /** LLDP from the switch to the nearest-bridge group address. */
    static byte[] ethernetLldp() {
        FrameBuilder b = new FrameBuilder();
        b.u48(LLDP_MULTICAST)   // destination: nearest bridge
         .u48(SWITCH_MAC)       // source: the switch port
         .u16(0x88CC);          // EtherType LLDP
        lldpdu(b);
        return b.build();
    }

    /** The CDP message of {@link #ethernetCdp()}, after LLC/SNAP. */
    static void cdpMessage(FrameBuilder b) {
        b.u8(2)                 // CDP version 2
         .u8(180)               // TTL 180 s
         .u16(0);               // checksum (not checked)
        b.u16(0x0001).u16(4 + SWITCH_NAME.length()); // Device ID TLV
        text(b, SWITCH_NAME);
        b.u16(0x0002).u16(4 + 4 + 9) // Addresses TLV
         .u32(1)                //   one address
         .u8(1)                 //   protocol type NLPID
         .u8(1)                 //   protocol length 1
         .u8(0xCC)              //   protocol: IP
         .u16(4)                //   address length
         .ipv4("192.0.2.3");    //   address
        b.u16(0x0003).u16(4 + CDP_PORT.length()); // Port ID TLV
        text(b, CDP_PORT);
        b.u16(0x0004).u16(8)    // Capabilities TLV (skipped)
         .u32(0x28);            //   switch, IGMP
        b.u16(0x0005).u16(4 + SYSTEM_DESCRIPTION.length()); // Software version TLV
        text(b, SYSTEM_DESCRIPTION);
        b.u16(0x0006).u16(4 + PLATFORM.length()); // Platform TLV
        text(b, PLATFORM);
        b.u16(0x000A).u16(6)    // Native VLAN TLV
         .u16(10);              //   VLAN 10
        b.u16(0x000B).u16(5)    // Duplex TLV (skipped)
         .u8(1);                //   full
        b.u16(0x000E).u16(7)    // Appliance VLAN (VoIP VLAN reply) TLV
         .u8(1)                 //   appliance ID 1 (phone)
         .u16(20);              //   voice VLAN 20
    }

    /** CDPv2 in an 802.3 frame with LLC/SNAP, padded by the length field. */
    static byte[] ethernetCdp() {
        FrameBuilder b = new FrameBuilder();
        b.u48(CDP_MULTICAST)    // destination: CDP multicast
         .u48(SWITCH_MAC)       // source
         .u16(0);               // 802.3 length: patched below
        int llc = b.position();
        llcSnapCdp(b);
        cdpMessage(b);
        b.patch16(12, b.position() - llc);
        return b.build();
    }

    static void llcSnapCdp(FrameBuilder b) {
        b.u8(0xAA)              // DSAP SNAP
         .u8(0xAA)              // SSAP SNAP
         .u8(0x03)              // control: UI
         .bytes(0x00, 0x00, 0x0C) // OUI Cisco
         .u16(0x2000);          // PID CDP
    }

    /** The same CDP message behind an 802.1Q tag (VLAN 1), the 802.3 length after the tag. */
    static byte[] vlanCdp() {
        FrameBuilder b = new FrameBuilder();
        b.u48(CDP_MULTICAST)    // destination
         .u48(SWITCH_MAC)       // source
         .u16(0x8100)           // EtherType 802.1Q
         .u16(1)                // PCP 0, DEI 0, VLAN 1
         .u16(0);               // 802.3 length: patched below
        int llc = b.position();
        llcSnapCdp(b);
        cdpMessage(b);
        b.patch16(16, b.position() - llc);
        b.zeros(4);             // bytes after the length: not CDP
        return b.build();
    }

    /** Linux cooked capture of CDP: protocol ETH_P_802_2 (4), LLC follows. */
    static byte[] sllCdp() {
        FrameBuilder b = new FrameBuilder();
        b.u16(1)                // packet type: broadcast/multicast to us
         .u16(1)                // ARPHRD_ETHER
         .u16(6)                // address length
         .u48(SWITCH_MAC)       // address
         .u16(0)                // padding to 8
         .u16(0x0004);          // protocol: ETH_P_802_2
        llcSnapCdp(b);
        cdpMessage(b);
        return b.build();
    }

    /** BOOTP header of a DHCP message before the options (240 octets). */
    static void bootp(FrameBuilder b, int op, String ciaddr, String yiaddr, String giaddr) {
        b.u8(op)                // op: 1 request, 2 reply
         .u8(1)                 // htype Ethernet
         .u8(6)                 // hlen 6
         .u8(giaddr.equals("0.0.0.0") ? 0 : 1) // hops
         .u32(DHCP_XID & 0xFFFF_FFFFL) // xid
         .u16(0)                // secs
         .u16(0x8000)           // flags: broadcast
         .ipv4(ciaddr)          // ciaddr
         .ipv4(yiaddr)          // yiaddr
         .ipv4("0.0.0.0")       // siaddr
         .ipv4(giaddr)          // giaddr
         .u48(CLIENT_MAC)       // chaddr: MAC
         .zeros(10)             //   chaddr padding to 16
         .zeros(64)             // sname
         .zeros(128)            // file
         .u32(0x63825363L);     // magic cookie
    }

    static int udp(FrameBuilder b, int srcPort, int dstPort) {
        int start = b.position();
        b.u16(srcPort)          // UDP source port
         .u16(dstPort)          // UDP destination port
         .u16(0)                // UDP length: patched by finishUdp
         .u16(0);               // checksum
        return start;
    }

    static void finishUdp(FrameBuilder b, int start) {
        b.patch16(start + 4, b.position() - start);
    }

    /** DHCPACK from 192.0.2.2: 192.0.2.100 for 3600 s, router 192.0.2.1, two DNS servers. */
    static byte[] ethernetDhcpAck() {
        FrameBuilder b = new FrameBuilder();
        Frames.ethernet(b, 0x0800);
        int ip = Frames.ipv4(b, 17, "192.0.2.2", "255.255.255.255");
        int udp = udp(b, 67, 68);
        bootp(b, 2, "0.0.0.0", "192.0.2.100", "0.0.0.0");
        b.u8(53).u8(1).u8(5)    // option 53 message type: ACK
         .u8(54).u8(4).ipv4("192.0.2.2") // option 54 server identifier
         .u8(51).u8(4).u32(3600) // option 51 lease time 3600 s
         .u8(1).u8(4).ipv4("255.255.255.0") // option 1 subnet mask (skipped)
         .u8(3).u8(8).ipv4("192.0.2.1").ipv4("192.0.2.254") // option 3 routers
         .u8(0)                 // pad
         .u8(6).u8(8).ipv4("192.0.2.2").ipv4("198.51.100.53") // option 6 DNS servers
         .u8(255);              // end
        b.zeros(20);            // padding after the end option, inside the datagram
        finishUdp(b, udp);
        Frames.finishIpv4(b, ip);
        return b.build();
    }

    /** DHCPNAK from 192.0.2.2 for a stale lease, with its message. */
    static byte[] ethernetDhcpNak() {
        FrameBuilder b = new FrameBuilder();
        Frames.ethernet(b, 0x0800);
        int ip = Frames.ipv4(b, 17, "192.0.2.2", "255.255.255.255");
        int udp = udp(b, 67, 68);
        bootp(b, 2, "0.0.0.0", "0.0.0.0", "0.0.0.0");
        b.u8(53).u8(1).u8(6)    // option 53 message type: NAK
         .u8(54).u8(4).ipv4("192.0.2.2") // option 54 server identifier
         .u8(56).u8(13);        // option 56 message, 13 octets
        text(b, "wrong network");
        b.u8(255);              // end
        finishUdp(b, udp);
        Frames.finishIpv4(b, ip);
        return b.build();
    }

    /** A relayed DHCPREQUEST (giaddr 203.0.113.1) asking for 192.0.2.100 from server 192.0.2.2. */
    static byte[] ethernetDhcpRelayedRequest() {
        FrameBuilder b = new FrameBuilder();
        Frames.ethernet(b, 0x0800);
        int ip = Frames.ipv4(b, 17, "203.0.113.1", "192.0.2.2");
        int udp = udp(b, 67, 67);
        bootp(b, 1, "0.0.0.0", "0.0.0.0", "203.0.113.1");
        b.u8(53).u8(1).u8(3)    // option 53 message type: REQUEST
         .u8(50).u8(4).ipv4("192.0.2.100") // option 50 requested address
         .u8(54).u8(4).ipv4("192.0.2.2") // option 54 server identifier
         .u8(55).u8(3).bytes(1, 3, 6) // option 55 parameter request list (skipped)
         .u8(255);              // end
        finishUdp(b, udp);
        Frames.finishIpv4(b, ip);
        return b.build();
    }

    /** Neighbour discovery needs hop limit 255 (RFC 4861 6.1.2, 7.1); {@link Frames#ipv6} writes 64. */
    static void hopLimit255(byte[] frame, int ipv6Start) {
        frame[ipv6Start + 7] = (byte) 255;
    }

    /** Router advertisement from fe80::1: O set, lifetime 1800 s, SLLA, prefix 2001:db8:a::/64, MTU. */
    static byte[] ethernetRouterAdvertisement() {
        FrameBuilder b = new FrameBuilder();
        b.u48(0x33_33_00_00_00_01L) // destination: all-nodes multicast MAC
         .u48(0x02_00_00_00_00_01L) // source: the router
         .u16(0x86DD);          // EtherType IPv6
        int ip = Frames.ipv6(b, 58, ROUTER_LINK_LOCAL, "ff02::1");
        b.u8(134)               // ICMPv6 type 134: router advertisement
         .u8(0)                 // code 0
         .u16(0)                // checksum
         .u8(64)                // cur hop limit
         .u8(0x40)              // M 0, O 1, H 0, Prf 00
         .u16(1800)             // router lifetime 1800 s
         .u32(0)                // reachable time
         .u32(0);               // retrans timer
        b.u8(1).u8(1)           // option 1 source link-layer address, 1 x 8 octets
         .u48(0x02_00_00_00_00_01L); // MAC
        b.u8(3).u8(4)           // option 3 prefix information, 4 x 8 octets
         .u8(64)                //   prefix length 64
         .u8(0xC0)              //   L 1, A 1
         .u32(2592000)          //   valid lifetime 30 days
         .u32(604800)           //   preferred lifetime 7 days
         .u32(0)                //   reserved
         .ipv6("2001:db8:a::"); //   prefix
        b.u8(5).u8(1)           // option 5 MTU (skipped), 1 x 8 octets
         .u16(0)                //   reserved
         .u32(1500);            //   MTU
        Frames.finishIpv6(b, ip);
        byte[] frame = b.build();
        hopLimit255(frame, ip);
        return frame;
    }

    /** Duplicate address detection: a neighbour solicitation from :: for 2001:db8:a::50. */
    static byte[] ethernetDadProbe() {
        FrameBuilder b = new FrameBuilder();
        b.u48(0x33_33_FF_00_00_50L) // destination: solicited-node multicast MAC
         .u48(CLIENT_MAC)       // source
         .u16(0x86DD);          // EtherType IPv6
        int ip = Frames.ipv6(b, 58, "::", "ff02::1:ff00:50");
        b.u8(135)               // ICMPv6 type 135: neighbour solicitation
         .u8(0)                 // code 0
         .u16(0)                // checksum
         .u32(0)                // reserved
         .ipv6("2001:db8:a::50"); // target
        Frames.finishIpv6(b, ip);
        byte[] frame = b.build();
        hopLimit255(frame, ip);
        return frame;
    }

    /** The owner of 2001:db8:a::50 answers the DAD probe: NA to all nodes, O set, TLLA. */
    static byte[] ethernetNeighborAdvertisement() {
        FrameBuilder b = new FrameBuilder();
        b.u48(0x33_33_00_00_00_01L) // destination: all-nodes multicast MAC
         .u48(0x02_00_00_00_00_50L) // source: the owner
         .u16(0x86DD);          // EtherType IPv6
        int ip = Frames.ipv6(b, 58, "2001:db8:a::50", "ff02::1");
        b.u8(136)               // ICMPv6 type 136: neighbour advertisement
         .u8(0)                 // code 0
         .u16(0)                // checksum
         .u32(0x2000_0000L)     // R 0, S 0, O 1, reserved
         .ipv6("2001:db8:a::50") // target
         .u8(2).u8(1)           // option 2 target link-layer address, 1 x 8 octets
         .u48(0x02_00_00_00_00_50L); // MAC
        Frames.finishIpv6(b, ip);
        byte[] frame = b.build();
        hopLimit255(frame, ip);
        return frame;
    }

    /** EAPOL header to the PAE group address, from {@code src}. */
    static void eapol(FrameBuilder b, long src, int type) {
        b.u48(PAE_GROUP)        // destination: PAE group address
         .u48(src)              // source
         .u16(0x888E)           // EtherType EAPOL
         .u8(2)                 // protocol version 2 (802.1X-2004)
         .u8(type)              // packet type
         .u16(0);               // body length: patched by the caller
    }

    /** EAPOL-Start from the client, padded to 60 bytes. */
    static byte[] eapolStart() {
        FrameBuilder b = new FrameBuilder();
        eapol(b, CLIENT_MAC, 1); // packet type 1: EAPOL-Start, no body
        b.zeros(42);            // Ethernet padding
        return b.build();
    }

    /** EAP-Response/Identity "alice" from the client. */
    static byte[] eapolResponseIdentity() {
        FrameBuilder b = new FrameBuilder();
        eapol(b, CLIENT_MAC, 0); // packet type 0: EAP packet
        int body = b.position();
        b.u8(2)                 // EAP code 2: Response
         .u8(7)                 // identifier 7
         .u16(10)               // EAP length: 4 + 1 + 5
         .u8(1);                // type 1: Identity
        text(b, "alice");       // identity
        b.patch16(body - 2, b.position() - body);
        b.zeros(32);            // Ethernet padding
        return b.build();
    }

    /** EAP-Failure from the switch. */
    static byte[] eapolFailure() {
        FrameBuilder b = new FrameBuilder();
        eapol(b, SWITCH_MAC, 0); // packet type 0: EAP packet
        int body = b.position();
        b.u8(4)                 // EAP code 4: Failure
         .u8(8)                 // identifier 8
         .u16(4);               // EAP length 4: no type
        b.patch16(body - 2, b.position() - body);
        b.zeros(42);            // Ethernet padding
        return b.build();
    }

    /** EAP-Request/MD5-Challenge from the switch (an authenticator talking). */
    static byte[] eapolRequestMd5() {
        FrameBuilder b = new FrameBuilder();
        eapol(b, SWITCH_MAC, 0); // packet type 0: EAP packet
        int body = b.position();
        b.u8(1)                 // EAP code 1: Request
         .u8(9)                 // identifier 9
         .u16(22)               // EAP length: 4 + 1 + 17
         .u8(4)                 // type 4: MD5-Challenge
         .u8(16);               // value size 16
        for (int i = 0; i < 16; i++) {
            b.u8(0xA0 + i);     // challenge
        }
        b.patch16(body - 2, b.position() - body);
        return b.build();
    }

    /** Every sample of the site protocols, for the truncation, fuzz and allocation tests. */
    static List<Frames.Sample> samples() {
        return List.of(
                new Frames.Sample("ethernet lldp", LinkTypes.ETHERNET, ethernetLldp()),
                new Frames.Sample("ethernet cdp", LinkTypes.ETHERNET, ethernetCdp()),
                new Frames.Sample("vlan cdp", LinkTypes.ETHERNET, vlanCdp()),
                new Frames.Sample("sll cdp", LinkTypes.LINUX_SLL, sllCdp()),
                new Frames.Sample("ethernet dhcp ack", LinkTypes.ETHERNET, ethernetDhcpAck()),
                new Frames.Sample("ethernet dhcp nak", LinkTypes.ETHERNET, ethernetDhcpNak()),
                new Frames.Sample("ethernet dhcp relayed request", LinkTypes.ETHERNET, ethernetDhcpRelayedRequest()),
                new Frames.Sample("ethernet router advertisement", LinkTypes.ETHERNET, ethernetRouterAdvertisement()),
                new Frames.Sample("ethernet dad probe", LinkTypes.ETHERNET, ethernetDadProbe()),
                new Frames.Sample("ethernet neighbor advertisement", LinkTypes.ETHERNET, ethernetNeighborAdvertisement()),
                new Frames.Sample("ethernet eapol start", LinkTypes.ETHERNET, eapolStart()),
                new Frames.Sample("ethernet eap response identity", LinkTypes.ETHERNET, eapolResponseIdentity()),
                new Frames.Sample("ethernet eap failure", LinkTypes.ETHERNET, eapolFailure()),
                new Frames.Sample("ethernet eap request md5", LinkTypes.ETHERNET, eapolRequestMd5()));
    }
}
