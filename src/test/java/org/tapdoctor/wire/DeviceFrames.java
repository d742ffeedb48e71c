package org.tapdoctor.wire;

/**
 * Ethernet frames of one device's site exchanges built byte by byte, one comment per field, for
 * any device and authenticator MAC (what {@code SiteFrames} builds for its one client): EAPOL/EAP
 * (IEEE 802.1X-2004 7.5, RFC 3748 4), DHCP (RFC 2131 2, options RFC 2132) and an ARP announcement
 * (RFC 5227 2.3). Documentation addresses only.
 */
public final class DeviceFrames {
    public static final long PAE_GROUP = 0x01_80_C2_00_00_03L;
    public static final long BROADCAST_MAC = 0xFF_FF_FF_FF_FF_FFL;
    public static final int DISCOVER = 1, OFFER = 2, REQUEST = 3, ACK = 5;

    private DeviceFrames() {
    }

    private static FrameBuilder ethernet(long dst, long src, int etherType) {
        return new FrameBuilder()
                .u48(dst)       // destination MAC
                .u48(src)       // source MAC
                .u16(etherType); // EtherType
    }

    /** An EAP packet in EAPOL: Request/Response with a type (and its data), or Success/Failure (type -1). */
    public static byte[] eap(long src, long dst, int code, int id, int type, String data) {
        FrameBuilder b = ethernet(dst, src, 0x888E); // EtherType EAPOL
        b.u8(2)                 // protocol version 2 (802.1X-2004)
         .u8(0)                 // packet type 0: EAP packet
         .u16(0);               // body length: patched below
        int body = b.position();
        b.u8(code)              // EAP code: 1 Request, 2 Response, 3 Success, 4 Failure
         .u8(id)                // identifier
         .u16(0);               // EAP length: patched below
        if (type >= 0) {
            b.u8(type);         // type: 1 Identity, 4 MD5-Challenge, ...
            if (data != null) {
                b.ascii(data);  // type data: the identity
            }
        }
        b.patch16(body - 2, b.position() - body);
        b.patch16(body + 2, b.position() - body);
        while (b.position() < 60) {
            b.u8(0);            // Ethernet padding to the 60-byte minimum
        }
        return b.build();
    }

    /** The authenticator's EAP-Request/Identity to the device. */
    public static byte[] requestIdentity(long authenticator, long device, int id) {
        return eap(authenticator, device, 1, id, 1, null);
    }

    /** The device's EAP-Response/Identity, to the PAE group address. */
    public static byte[] responseIdentity(long device, int id, String identity) {
        return eap(device, PAE_GROUP, 2, id, 1, identity);
    }

    /** The authenticator's EAP-Success to the device. */
    public static byte[] success(long authenticator, long device, int id) {
        return eap(authenticator, device, 3, id, -1, null);
    }

    /**
     * A DHCP message over UDP 68 to 67 (the client's) or 67 to 68 (a server's): from 0.0.0.0 to
     * the broadcast address for the client, from {@code server} for a reply, broadcast flag set.
     *
     * @param yiaddr the address offered or ACKed ("0.0.0.0" in a client's message)
     * @param server option 54 (and a reply's source), or null for a DISCOVER
     */
    public static byte[] dhcp(int type, long chaddr, int xid, long serverMac, String yiaddr, String server) {
        boolean fromClient = type == DISCOVER || type == REQUEST;
        FrameBuilder b = ethernet(fromClient ? BROADCAST_MAC : chaddr, fromClient ? chaddr : serverMac, 0x0800);
        int ip = Frames.ipv4(b, 17, fromClient ? "0.0.0.0" : server, "255.255.255.255");
        int udp = SiteFrames.udp(b, fromClient ? 68 : 67, fromClient ? 67 : 68);
        b.u8(fromClient ? 1 : 2) // op: 1 BOOTREQUEST, 2 BOOTREPLY
         .u8(1)                 // htype Ethernet
         .u8(6)                 // hlen 6
         .u8(0)                 // hops
         .u32(xid & 0xFFFF_FFFFL) // xid
         .u16(0)                // secs
         .u16(0x8000)           // flags: broadcast
         .ipv4("0.0.0.0")       // ciaddr
         .ipv4(yiaddr)          // yiaddr
         .ipv4("0.0.0.0")       // siaddr
         .ipv4("0.0.0.0")       // giaddr
         .u48(chaddr)           // chaddr: the device's MAC
         .zeros(10)             //   chaddr padding to 16
         .zeros(64)             // sname
         .zeros(128)            // file
         .u32(0x63825363L);     // magic cookie
        b.u8(53).u8(1).u8(type); // option 53 message type
        if (server != null) {
            b.u8(54).u8(4).ipv4(server); // option 54 server identifier
        }
        if (type == REQUEST) {
            b.u8(50).u8(4).ipv4(yiaddr.equals("0.0.0.0") ? "192.0.2.100" : yiaddr); // option 50 requested address
        }
        if (!fromClient) {
            b.u8(51).u8(4).u32(3600) // option 51 lease time 3600 s
             .u8(1).u8(4).ipv4("255.255.255.0") // option 1 subnet mask
             .u8(3).u8(4).ipv4("192.0.2.1"); // option 3 router
        }
        b.u8(255);              // end
        SiteFrames.finishUdp(b, udp);
        Frames.finishIpv4(b, ip);
        return b.build();
    }

    /** An ARP announcement (RFC 5227 2.3): sender and target address both {@code ip}, to broadcast. */
    public static byte[] arpAnnouncement(long mac, String ip) {
        return ethernet(BROADCAST_MAC, mac, 0x0806) // EtherType ARP
                .u16(1)         // hardware type: Ethernet
                .u16(0x0800)    // protocol type: IPv4
                .u8(6)          // hardware address length
                .u8(4)          // protocol address length
                .u16(1)         // operation: request
                .u48(mac)       // sender hardware address
                .ipv4(ip)       // sender protocol address
                .u48(0)         // target hardware address: unknown
                .ipv4(ip)       // target protocol address: its own (an announcement)
                .zeros(18)      // Ethernet padding to 60 bytes
                .build();
    }
}
