package org.tapdoctor.site;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.tapdoctor.wire.DecodeResult;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.FrameDecoder;
import org.tapdoctor.wire.LinkTypes;

/**
 * LLDP and CDP frames built byte by byte (IEEE 802.1AB clause 8; Cisco's CDP layout, as {@code
 * CdpPdu} reads it) and decoded by the real decoder, for the tests of the switch part.
 */
public final class Announcements {
    public static final long SWITCH_MAC = 0x02_00_00_00_bb_01L;

    private Announcements() {
    }

    /** An LLDPDU: chassis ID (MAC), port ID (locally assigned), TTL, port description, system name, management IPv4, PVID, voice VLAN. */
    public static byte[] lldp(long srcMac, String name, String port, String portDescription, int ttl, int vlan,
                              int voiceVlan, int[] managementIp) {
        Out b = new Out();
        b.u48(0x01_80_C2_00_00_0EL).u48(srcMac).u16(0x88CC); // nearest bridge, source, EtherType LLDP
        b.tlv(1, 7).u8(4).u48(srcMac);                        // chassis ID, subtype 4: MAC
        b.tlv(2, 1 + port.length()).u8(7).text(port);          // port ID, subtype 7: locally assigned
        b.tlv(3, 2).u16(ttl);                                  // TTL
        if (portDescription != null) {
            b.tlv(4, portDescription.length()).text(portDescription);
        }
        if (name != null) {
            b.tlv(5, name.length()).text(name);                // system name
        }
        if (managementIp != null) {
            b.tlv(8, 12).u8(5).u8(1);                          // address string length, IPv4
            for (int o : managementIp) {
                b.u8(o);
            }
            b.u8(2).u16(0).u16(12).u8(0);                      // ifIndex 12, no OID
        }
        if (vlan >= 0) {
            b.tlv(127, 6).u8(0x00).u8(0x80).u8(0xC2).u8(1).u16(vlan); // 802.1 port VLAN ID
        }
        if (voiceVlan >= 0) {                                  // LLDP-MED network policy, voice, tagged
            b.tlv(127, 8).u8(0x00).u8(0x12).u8(0xBB).u8(2).u8(1)
                    .u8(0x40 | (voiceVlan >>> 7)).u8((voiceVlan & 0x7F) << 1 | 1).u8((1 << 6) | 46);
        }
        b.tlv(0, 0);                                           // end of LLDPDU
        return b.bytes();
    }

    /** A CDPv2 message in 802.3 + LLC/SNAP: device ID, port ID, platform, an IPv4 address. */
    public static byte[] cdp(long srcMac, String name, String port, String platform, int ttl, int[] address) {
        Out m = new Out();
        m.u8(2).u8(ttl).u16(0);                                // version 2, TTL, checksum
        m.u16(0x0001).u16(4 + name.length()).text(name);      // device ID
        if (address != null) {
            m.u16(0x0002).u16(4 + 4 + 9).u32(1).u8(1).u8(1).u8(0xCC).u16(4); // one IP address
            for (int o : address) {
                m.u8(o);
            }
        }
        m.u16(0x0003).u16(4 + port.length()).text(port);      // port ID
        m.u16(0x0006).u16(4 + platform.length()).text(platform);
        byte[] msg = m.bytes();
        Out b = new Out();
        b.u48(0x01_00_0C_CC_CC_CCL).u48(srcMac).u16(8 + msg.length); // 802.3 length
        b.u8(0xAA).u8(0xAA).u8(0x03).u8(0x00).u8(0x00).u8(0x0C).u16(0x2000); // LLC/SNAP, Cisco, CDP
        b.raw(msg);
        return b.bytes();
    }

    /** The frame decoded (its own buffer), at {@code time} on {@code side}. */
    public static DecodedFrame decode(byte[] bytes, long time, int side) {
        DecodedFrame f = new DecodedFrame();
        DecodeResult r = new FrameDecoder().decode(bytes, 0, bytes.length, LinkTypes.ETHERNET, f);
        if (r != DecodeResult.OK) {
            throw new IllegalStateException("built frame does not decode: " + r);
        }
        f.timeNanos(time);
        f.side(side);
        f.wireLength(bytes.length);
        return f;
    }

    private static final class Out {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Out u8(int v) { out.write(v & 0xFF); return this; }
        Out u16(int v) { return u8(v >>> 8).u8(v); }
        Out u32(int v) { return u16(v >>> 16).u16(v); }
        Out u48(long v) { return u16((int) (v >>> 32)).u32((int) v); }
        Out tlv(int type, int length) { return u16((type << 9) | length); }
        Out text(String s) { return raw(s.getBytes(StandardCharsets.US_ASCII)); }
        Out raw(byte[] b) { out.write(b, 0, b.length); return this; }
        byte[] bytes() { return out.toByteArray(); }
    }
}
