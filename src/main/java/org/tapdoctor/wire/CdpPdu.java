package org.tapdoctor.wire;

import static org.tapdoctor.wire.Bytes.i32;
import static org.tapdoctor.wire.Bytes.u16;
import static org.tapdoctor.wire.Bytes.u8;

/**
 * Reads a Cisco Discovery Protocol message (versions 1 and 2) in place into a {@link DecodedFrame}.
 * CDP has no public standard; the layout is Cisco's ("CDP frame format" in the Catalyst and IOS
 * configuration guides), as Wireshark's packet-cdp.c and lldpd's cdp.c read and write it. It
 * follows LLC/SNAP with OUI 00-00-0C and PID 0x2000 in an 802.3 frame to 01:00:0C:CC:CC:CC.
 *
 * <pre>
 * | version (1) | TTL, seconds (1) | checksum (2) | TLVs...
 * TLV: | type (2) | length (2, including these 4 octets) | value |
 *   0x0001 Device ID: text            0x0005 Software version: text     0x000A Native VLAN: | VLAN (2) |
 *   0x0003 Port ID: text              0x0006 Platform: text             0x000E Appliance (voice) VLAN:
 *   0x0002 Addresses, 0x0016 Management addresses:                        | appliance ID (1) | VLAN (2) |
 *     | count (4) | then per address: | protocol type (1: NLPID, 2: 802.2) | protocol length (1) |
 *     | protocol (NLPID 0xCC: IP) | address length (2) | address |
 * </pre>
 *
 * <p>{@code end} is where the 802.3 length field says the message ends ({@link #UNKNOWN_END} in a
 * Linux cooked capture, which has no length: the message ends with the capture), {@code
 * capturedEnd} where the capture does. Results: {@link DecodeResult#TRUNCATED} when the 4-byte header was not
 * captured; {@link DecodeResult#MALFORMED} when a TLV's length is below 4 or runs past the
 * message; else OK, with {@link DecodedFrame#optionsTruncated()} when the capture cut a TLV. The
 * management address, when announced, is preferred over the interface address. Allocates
 * nothing; not thread-safe.
 */
final class CdpPdu {
    /** The link layer does not say where the message ends. */
    static final int UNKNOWN_END = Integer.MAX_VALUE;
    static final int HEADER_LENGTH = 4;
    static final int TLV_HEADER_LENGTH = 4;
    static final int DEVICE_ID = 0x0001;
    static final int ADDRESSES = 0x0002;
    static final int PORT_ID = 0x0003;
    static final int SOFTWARE_VERSION = 0x0005;
    static final int PLATFORM = 0x0006;
    static final int NATIVE_VLAN = 0x000A;
    static final int APPLIANCE_VLAN = 0x000E;
    static final int MANAGEMENT_ADDRESSES = 0x0016;

    static final int PROTOCOL_TYPE_NLPID = 1;
    /** ISO/IEC TR 9577 network layer protocol ID of IP. */
    static final int NLPID_IP = 0xCC;

    /** Reads the CDP message in {@code buffer[offset, end)}, of which {@code [offset, capturedEnd)} was captured. */
    DecodeResult read(byte[] buffer, int offset, int end, int capturedEnd, DecodedFrame out) {
        out.site.clear();
        if (end - offset < HEADER_LENGTH) {
            return DecodeResult.MALFORMED;
        }
        if (capturedEnd - offset < HEADER_LENGTH) {
            return DecodeResult.TRUNCATED;
        }
        out.type = DecodedFrame.Type.CDP;
        out.site.cdpVersion = u8(buffer, offset);
        out.site.discoveryTtl = u8(buffer, offset + 1);
        int p = offset + HEADER_LENGTH;
        while (end - p >= TLV_HEADER_LENGTH) {
            if (capturedEnd - p < TLV_HEADER_LENGTH) {
                out.site.optionsTruncated = end != UNKNOWN_END || p < capturedEnd;
                return DecodeResult.OK;
            }
            int type = u16(buffer, p);
            int length = u16(buffer, p + 2);
            if (length < TLV_HEADER_LENGTH || length > end - p) {
                return DecodeResult.MALFORMED;
            }
            if (length > capturedEnd - p) {
                out.site.optionsTruncated = true;
                return DecodeResult.OK;
            }
            readTlv(buffer, type, p + TLV_HEADER_LENGTH, length - TLV_HEADER_LENGTH, out);
            p += length;
        }
        return DecodeResult.OK;
    }

    private static void readTlv(byte[] buffer, int type, int value, int length, DecodedFrame out) {
        switch (type) {
            case DEVICE_ID -> {
                if (out.site.systemNameOffset < 0 && length > 0) {
                    out.site.systemNameOffset = value;
                    out.site.systemNameLength = length;
                }
            }
            case PORT_ID -> {
                if (out.site.portIdOffset < 0 && length > 0) {
                    out.site.portIdOffset = value;
                    out.site.portIdLength = length;
                }
            }
            case SOFTWARE_VERSION -> {
                if (out.site.systemDescriptionOffset < 0 && length > 0) {
                    out.site.systemDescriptionOffset = value;
                    out.site.systemDescriptionLength = length;
                }
            }
            case PLATFORM -> {
                if (out.site.platformOffset < 0 && length > 0) {
                    out.site.platformOffset = value;
                    out.site.platformLength = length;
                }
            }
            case NATIVE_VLAN -> {
                if (length >= 2) {
                    out.site.portVlanId = u16(buffer, value);
                }
            }
            case APPLIANCE_VLAN -> {
                // shorter ones are seen in the wild without a VLAN (Wireshark's note)
                if (length >= 3) {
                    out.site.voiceVlanId = u16(buffer, value + 1);
                }
            }
            case ADDRESSES -> {
                if (out.site.managementIpVersion == 0) {
                    readFirstIpv4(buffer, value, length, out);
                }
            }
            case MANAGEMENT_ADDRESSES -> readFirstIpv4(buffer, value, length, out);
            default -> {
                // capabilities, duplex, VTP domain, power, ...: skipped by their length
            }
        }
    }

    /** The first IPv4 address of an address list (lldpd, like Cisco, announces IPv4 this way). */
    private static void readFirstIpv4(byte[] buffer, int value, int length, DecodedFrame out) {
        if (length < 4) {
            return;
        }
        long count = i32(buffer, value) & 0xFFFF_FFFFL;
        int p = value + 4;
        int end = value + length;
        for (long i = 0; i < count && end - p >= 2; i++) {
            int protocolType = u8(buffer, p);
            int protocolLength = u8(buffer, p + 1);
            int addressLengthAt = p + 2 + protocolLength;
            if (end - addressLengthAt < 2) {
                return;
            }
            int addressLength = u16(buffer, addressLengthAt);
            int address = addressLengthAt + 2;
            if (end - address < addressLength) {
                return;
            }
            if (protocolType == PROTOCOL_TYPE_NLPID && protocolLength == 1 && u8(buffer, p + 2) == NLPID_IP
                    && addressLength == 4) {
                out.site.managementIpVersion = 4;
                out.site.managementHi = IpAddresses.V4_HI;
                out.site.managementLo = IpAddresses.v4Lo(i32(buffer, address));
                return;
            }
            p = address + addressLength;
        }
    }
}
