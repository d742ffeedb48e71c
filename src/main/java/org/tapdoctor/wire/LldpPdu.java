package org.tapdoctor.wire;

import static org.tapdoctor.wire.Bytes.i32;
import static org.tapdoctor.wire.Bytes.i64;
import static org.tapdoctor.wire.Bytes.u16;
import static org.tapdoctor.wire.Bytes.u8;

/**
 * Reads an LLDP data unit (IEEE 802.1AB-2016 clause 8; EtherType 0x88CC, sent to 01:80:C2:00:00:0E)
 * in place into a {@link DecodedFrame}: what the switch says about the port the box is plugged into.
 *
 * <pre>
 * TLV (8.4): | type (7 bits) | information string length (9 bits) | information string |
 * The first three TLVs are mandatory, in this order (8.2):
 *   1 Chassis ID (8.5.2): | subtype (1) | chassis ID (1-255) |      4 MAC, 5 network address, 7 local ...
 *   2 Port ID (8.5.3):    | subtype (1) | port ID (1-255) |         1 alias, 3 MAC, 5 ifName, 7 local ...
 *   3 Time To Live (8.5.4): | seconds (2) |
 * Optional TLVs, then End Of LLDPDU (type 0, length 0) or the end of the frame:
 *   4 Port Description, 5 System Name, 6 System Description (8.5.5-8.5.7): text, 0-255 octets
 *   8 Management Address (8.5.9):
 *     | address string length (1, 2-32) | address subtype (1, IANA family: 1 IPv4, 2 IPv6) | address |
 *     | interface numbering subtype (1) | interface number (4) | OID string length (1) | OID |
 *   127 Organizationally specific (8.6): | OUI (3) | subtype (1) | information |
 *     00-80-C2 subtype 1, IEEE 802.1Q-2018 Annex D.2.1 Port VLAN ID: | PVID (2) |
 *     00-12-BB subtype 2, ANSI/TIA-1057 10.2.3 Network Policy:
 *       | application type (1: voice) | U | T | X | VLAN ID (12 bits) | L2 priority (3) | DSCP (6) |
 *     00-12-BB subtype 10, ANSI/TIA-1057 10.2.6 Inventory - Model Name: text
 * </pre>
 *
 * <p>Results: {@link DecodeResult#TRUNCATED} until the three mandatory TLVs are captured,
 * {@link DecodeResult#MALFORMED} when they are not the first three or their lengths are out of
 * range (a receiver discards such an LLDPDU, 9.2.7.7.1), else OK; an optional TLV that runs past
 * the captured bytes ends the walk with {@link DecodedFrame#optionsTruncated()} set. Of a TLV that
 * occurs more than once the first is kept (the standard allows one of each, but several
 * management addresses), and of the network policies the voice one. Allocates nothing; not
 * thread-safe.
 */
final class LldpPdu {
    static final int END = 0;
    static final int CHASSIS_ID = 1;
    static final int PORT_ID = 2;
    static final int TIME_TO_LIVE = 3;
    static final int PORT_DESCRIPTION = 4;
    static final int SYSTEM_NAME = 5;
    static final int SYSTEM_DESCRIPTION = 6;
    static final int MANAGEMENT_ADDRESS = 8;
    static final int ORGANIZATIONALLY_SPECIFIC = 127;

    static final int TLV_HEADER_LENGTH = 2;
    /** Subtype and an ID of 1 to 255 octets (8.5.2, 8.5.3). */
    static final int MIN_ID_LENGTH = 2;
    static final int MAX_ID_LENGTH = 256;
    static final int TTL_LENGTH = 2;

    static final int OUI_IEEE_802_1 = 0x0080C2;
    static final int OUI_TIA_MED = 0x0012BB;
    static final int DOT1_PORT_VLAN_ID = 1;
    static final int MED_NETWORK_POLICY = 2;
    static final int MED_INVENTORY_MODEL_NAME = 10;
    static final int MED_APPLICATION_VOICE = 1;
    private static final int ORG_HEADER_LENGTH = 4;
    private static final int POLICY_UNKNOWN = 0x80_0000;
    private static final int POLICY_VLAN_SHIFT = 9;

    static final int IANA_IPV4 = 1;
    static final int IANA_IPV6 = 2;
    /** Address string length, subtype, interface numbering subtype, interface number, OID length. */
    private static final int MIN_MANAGEMENT_LENGTH = 9;

    /** Reads the LLDPDU in {@code buffer[offset, end)} into {@code out}. */
    DecodeResult read(byte[] buffer, int offset, int end, DecodedFrame out) {
        out.site.clear();
        int p = offset;
        // the three mandatory TLVs
        for (int expected = CHASSIS_ID; expected <= TIME_TO_LIVE; expected++) {
            if (end - p < TLV_HEADER_LENGTH) {
                return DecodeResult.TRUNCATED;
            }
            int header = u16(buffer, p);
            int type = header >>> 9;
            int length = header & 0x1FF;
            boolean lengthOk = expected == TIME_TO_LIVE ? length >= TTL_LENGTH
                    : length >= MIN_ID_LENGTH && length <= MAX_ID_LENGTH;
            if (type != expected || !lengthOk) {
                return DecodeResult.MALFORMED;
            }
            int value = p + TLV_HEADER_LENGTH;
            if (end - value < length) {
                return DecodeResult.TRUNCATED;
            }
            if (type == CHASSIS_ID) {
                out.site.chassisIdSubtype = u8(buffer, value);
                out.site.chassisIdOffset = value + 1;
                out.site.chassisIdLength = length - 1;
            } else if (type == PORT_ID) {
                out.site.portIdSubtype = u8(buffer, value);
                out.site.portIdOffset = value + 1;
                out.site.portIdLength = length - 1;
            } else {
                out.site.discoveryTtl = u16(buffer, value);
            }
            p = value + length;
        }
        out.type = DecodedFrame.Type.LLDP;
        readOptionalTlvs(buffer, p, end, out);
        return DecodeResult.OK;
    }

    private void readOptionalTlvs(byte[] buffer, int offset, int end, DecodedFrame out) {
        int p = offset;
        while (end - p >= TLV_HEADER_LENGTH) {
            int header = u16(buffer, p);
            int type = header >>> 9;
            int length = header & 0x1FF;
            if (type == END) {
                return;
            }
            int value = p + TLV_HEADER_LENGTH;
            if (end - value < length) {
                out.site.optionsTruncated = true;
                return;
            }
            switch (type) {
                case PORT_DESCRIPTION -> {
                    if (out.site.portDescriptionOffset < 0 && length > 0) {
                        out.site.portDescriptionOffset = value;
                        out.site.portDescriptionLength = length;
                    }
                }
                case SYSTEM_NAME -> {
                    if (out.site.systemNameOffset < 0 && length > 0) {
                        out.site.systemNameOffset = value;
                        out.site.systemNameLength = length;
                    }
                }
                case SYSTEM_DESCRIPTION -> {
                    if (out.site.systemDescriptionOffset < 0 && length > 0) {
                        out.site.systemDescriptionOffset = value;
                        out.site.systemDescriptionLength = length;
                    }
                }
                case MANAGEMENT_ADDRESS -> readManagementAddress(buffer, value, length, out);
                case ORGANIZATIONALLY_SPECIFIC -> readOrganizational(buffer, value, length, out);
                default -> {
                    // capabilities, reserved and unknown TLVs: skipped by their length
                }
            }
            p = value + length;
        }
    }

    /** The first IPv4 or IPv6 management address; others (MAC, ...) are skipped. */
    private static void readManagementAddress(byte[] buffer, int value, int length, DecodedFrame out) {
        if (out.site.managementIpVersion != 0 || length < MIN_MANAGEMENT_LENGTH) {
            return;
        }
        int addressStringLength = u8(buffer, value); // subtype + address
        if (addressStringLength + 1 > length) {
            return;
        }
        int subtype = u8(buffer, value + 1);
        int address = value + 2;
        if (subtype == IANA_IPV4 && addressStringLength == 1 + 4) {
            out.site.managementIpVersion = 4;
            out.site.managementHi = IpAddresses.V4_HI;
            out.site.managementLo = IpAddresses.v4Lo(i32(buffer, address));
        } else if (subtype == IANA_IPV6 && addressStringLength == 1 + 16) {
            out.site.managementIpVersion = 6;
            out.site.managementHi = i64(buffer, address);
            out.site.managementLo = i64(buffer, address + 8);
        }
    }

    private static void readOrganizational(byte[] buffer, int value, int length, DecodedFrame out) {
        if (length < ORG_HEADER_LENGTH) {
            return;
        }
        int oui = (u16(buffer, value) << 8) | u8(buffer, value + 2);
        int subtype = u8(buffer, value + 3);
        int info = value + ORG_HEADER_LENGTH;
        int infoLength = length - ORG_HEADER_LENGTH;
        if (oui == OUI_IEEE_802_1 && subtype == DOT1_PORT_VLAN_ID && infoLength >= 2) {
            if (out.site.portVlanId < 0) {
                out.site.portVlanId = u16(buffer, info);
            }
        } else if (oui == OUI_TIA_MED && subtype == MED_NETWORK_POLICY && infoLength >= 4) {
            int policy = (u16(buffer, info + 1) << 8) | u8(buffer, info + 3);
            // U set: the policy is not known yet and its VLAN means nothing (TIA-1057 10.2.3.3)
            if (u8(buffer, info) == MED_APPLICATION_VOICE && (policy & POLICY_UNKNOWN) == 0 && out.site.voiceVlanId < 0) {
                out.site.voiceVlanId = (policy >>> POLICY_VLAN_SHIFT) & 0x0FFF;
            }
        } else if (oui == OUI_TIA_MED && subtype == MED_INVENTORY_MODEL_NAME && infoLength > 0) {
            if (out.site.platformOffset < 0) {
                out.site.platformOffset = info;
                out.site.platformLength = infoLength;
            }
        }
    }
}
