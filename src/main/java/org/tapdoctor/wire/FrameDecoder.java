package org.tapdoctor.wire;

import static org.tapdoctor.wire.Bytes.i32;
import static org.tapdoctor.wire.Bytes.i32Le;
import static org.tapdoctor.wire.Bytes.u16;
import static org.tapdoctor.wire.Bytes.u48;
import static org.tapdoctor.wire.Bytes.u8;
import static org.tapdoctor.wire.DecodeResult.IGNORED;
import static org.tapdoctor.wire.DecodeResult.MALFORMED;
import static org.tapdoctor.wire.DecodeResult.OK;
import static org.tapdoctor.wire.DecodeResult.TRUNCATED;
import static org.tapdoctor.wire.DecodeResult.UNSUPPORTED_LINK_TYPE;

/**
 * Decodes one captured frame, link layer first, into a reused {@link DecodedFrame}, reading the
 * bytes in place, and counts every result.
 *
 * <p>Link layers (see {@link LinkTypes}), with the offsets this class reads:
 * <pre>
 * ETHERNET (IEEE 802.3), then any number up to 8 of VLAN tags (802.1Q 0x8100, 802.1ad 0x88A8, 0x9100):
 * +--------+--------+--------+--------+--------+--------+
 * |            destination MAC (0)                      |
 * +--------+--------+--------+--------+--------+--------+
 * |              source MAC (6)                         |
 * +--------+--------+--------+--------+--------+--------+
 * | EtherType (12)  |  [ PCP DEI VID (12 bits) | EtherType ]... payload
 * +--------+--------+
 802.3 length (type field &lt;= 1500) instead of a type: IEEE 802.2 LLC, and SNAP (IEEE Std 802-2014 9.3)
 * when DSAP = SSAP = 0xAA and control = 0x03 (UI); only CDP (OUI 00-00-0C, PID 0x2000) is read:
 * | DSAP (0) | SSAP (1) | control (2) | OUI (3, 3 bytes) | protocol ID (6, 2 bytes) | payload (8)
 * MPLS (EtherType 0x8847/0x8848, RFC 3032 section 2.1), labels until S = 1, then IPv4/IPv6 by version nibble:
 * |        Label (20 bits)        | TC  |S|   TTL  |
 * LINUX_SLL (16 bytes, https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html):
 * | packet type (0) | ARPHRD (2) | addr len (4) | address, 8 bytes (6) | protocol (14) |
 *   (the protocol is an EtherType, or Linux's ETH_P_802_2 = 4 when an LLC header follows)
 * LINUX_SLL2 (20 bytes, https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html):
 * | protocol (0) | reserved (2) | ifindex (4) | ARPHRD (8) | pkt type (10) | addr len (11) | address (12) |
 * NULL / LOOP: | address family, 4 bytes (0): host order (NULL) or big-endian (LOOP) |
 * RAW, RAW_BSD_12, RAW_BSD_14: IPv4 or IPv6 by version nibble; IPV4, IPV6: that version only.
 * </pre>
 *
 * <p>Besides IP and ARP, the link-layer protocols of the site: LLDP ({@link LldpPdu}), CDP
 * ({@link CdpPdu}) and EAPOL ({@link EapolPacket}), also VLAN-tagged.
 *
 * <p>Results: {@link DecodeResult#OK} with {@link DecodedFrame#type()} set; {@link DecodeResult#IGNORED}
 * for frames the engine does not look at (unknown EtherType, 802.3 length frames other than CDP
 * such as STP, ARP for other than IPv4 over Ethernet, other address families); {@link DecodeResult#TRUNCATED} when
 * the capture ends inside a needed header; {@link DecodeResult#MALFORMED} when fields contradict
 * each other (or {@code offset}/{@code length} do not lie in the array); {@link
 * DecodeResult#UNSUPPORTED_LINK_TYPE}. On anything but OK, the frame's fields hold what was decoded
 * before decoding stopped.
 *
 * <p>The decode path allocates nothing and throws nothing, whatever the bytes: every read is
 * preceded by a length check. Not thread-safe: one decoder per capture thread.
 */
public final class FrameDecoder {
    static final int ETHERNET_DESTINATION_OFFSET = 0;
    static final int ETHERNET_SOURCE_OFFSET = 6;
    static final int ETHERNET_TYPE_OFFSET = 12;
    static final int ETHERNET_HEADER_LENGTH = 14;
    static final int VLAN_TAG_LENGTH = 4;
    static final int VLAN_ID_MASK = 0x0FFF;
    /** Deeper stacks are not met in practice; the ninth tag's type is left to the dispatch, which ignores it. */
    static final int MAX_VLAN_TAGS = 8;
    static final int MPLS_LABEL_LENGTH = 4;
    static final int MPLS_BOTTOM_OF_STACK_OFFSET = 2;
    static final int MAX_MPLS_LABELS = 8;

    static final int SLL_ADDRESS_LENGTH_OFFSET = 4;
    static final int SLL_ADDRESS_OFFSET = 6;
    static final int SLL_PROTOCOL_OFFSET = 14;
    static final int SLL_HEADER_LENGTH = 16;
    static final int SLL2_PROTOCOL_OFFSET = 0;
    static final int SLL2_ADDRESS_LENGTH_OFFSET = 11;
    static final int SLL2_ADDRESS_OFFSET = 12;
    static final int SLL2_HEADER_LENGTH = 20;
    static final int MAC_LENGTH = 6;
    /** Linux ETH_P_802_2: the SLL protocol field when an 802.2 LLC header follows. */
    static final int SLL_PROTOCOL_802_2 = 0x0004;

    static final int LLC_LENGTH = 3;
    static final int LLC_SNAP_LENGTH = 8;
    static final int LLC_SAP_SNAP = 0xAA;
    static final int LLC_CONTROL_UI = 0x03;
    static final int SNAP_OUI_CISCO = 0x00000C;
    static final int SNAP_PID_CDP = 0x2000;

    static final int LOOPBACK_HEADER_LENGTH = 4;
    static final int AF_INET = 2;
    /** AF_INET6 differs by OS: 24 NetBSD/OpenBSD, 28 FreeBSD/DragonFly, 30 macOS. */
    static final int AF_INET6_BSD = 24;
    static final int AF_INET6_FREEBSD = 28;
    static final int AF_INET6_DARWIN = 30;

    private final IpPacketDecoder ip = new IpPacketDecoder();
    private final ArpPacket arp = new ArpPacket();
    private final LldpPdu lldp = new LldpPdu();
    private final CdpPdu cdp = new CdpPdu();
    private final EapolPacket eapol = new EapolPacket();
    private final long[] counts = new long[DecodeResult.values().length];
    private long total;

    /**
     * Decodes the frame in {@code buffer[offset, offset + length)} into {@code out}, after {@link
     * DecodedFrame#clear()}. Never throws on any {@code buffer} content or bounds; {@code out} must
     * not be null.
     *
     * @param linkType the capture's link-layer header type, one of {@link LinkTypes}
     * @return how decoding went, also counted in {@link #count(DecodeResult)}
     */
    public DecodeResult decode(byte[] buffer, int offset, int length, int linkType, DecodedFrame out) {
        out.clear();
        out.buffer = buffer;
        out.frameOffset = offset;
        out.frameLength = length;
        out.linkType = linkType;
        DecodeResult result;
        if (buffer == null || offset < 0 || length < 0 || offset > buffer.length - length) {
            result = MALFORMED;
        } else {
            result = decodeLinkLayer(buffer, offset, offset + length, linkType, out);
        }
        counts[result.ordinal()]++;
        total++;
        return result;
    }

    /** How many {@link #decode} calls returned {@code result}. */
    public long count(DecodeResult result) {
        return counts[result.ordinal()];
    }

    /** How many {@link #decode} calls there were; the sum of {@link #count} over all results. */
    public long total() {
        return total;
    }

    private DecodeResult decodeLinkLayer(byte[] buffer, int offset, int end, int linkType, DecodedFrame out) {
        switch (linkType) {
            case LinkTypes.ETHERNET:
                return decodeEthernet(buffer, offset, end, out);
            case LinkTypes.LINUX_SLL:
                return decodeSll(buffer, offset, end, out);
            case LinkTypes.LINUX_SLL2:
                return decodeSll2(buffer, offset, end, out);
            case LinkTypes.RAW:
            case LinkTypes.RAW_BSD_12:
            case LinkTypes.RAW_BSD_14:
                return decodeRawIp(buffer, offset, end, out);
            case LinkTypes.IPV4:
                return ip.decodeIpv4(buffer, offset, end, out);
            case LinkTypes.IPV6:
                return ip.decodeIpv6(buffer, offset, end, out);
            case LinkTypes.NULL:
                return decodeLoopback(buffer, offset, end, true, out);
            case LinkTypes.LOOP:
                return decodeLoopback(buffer, offset, end, false, out);
            default:
                return UNSUPPORTED_LINK_TYPE;
        }
    }

    private DecodeResult decodeEthernet(byte[] buffer, int offset, int end, DecodedFrame out) {
        if (end - offset < ETHERNET_HEADER_LENGTH) {
            return TRUNCATED;
        }
        out.dstMac = u48(buffer, offset + ETHERNET_DESTINATION_OFFSET);
        out.srcMac = u48(buffer, offset + ETHERNET_SOURCE_OFFSET);
        int etherType = u16(buffer, offset + ETHERNET_TYPE_OFFSET);
        return decodeEtherType(buffer, offset + ETHERNET_HEADER_LENGTH, end, etherType, out);
    }

    /** SLL's protocol is Linux's: an EtherType, or a small ETH_P_ value (never an 802.3 length). */
    private DecodeResult decodeSllProtocol(byte[] buffer, int payload, int end, int protocol, DecodedFrame out) {
        if (protocol == SLL_PROTOCOL_802_2) {
            return decodeLlc(buffer, payload, CdpPdu.UNKNOWN_END, end, out);
        }
        if (protocol < EtherTypes.MIN_ETHERTYPE) {
            return IGNORED;
        }
        return decodeEtherType(buffer, payload, end, protocol, out);
    }

    private DecodeResult decodeSll(byte[] buffer, int offset, int end, DecodedFrame out) {
        if (end - offset < SLL_HEADER_LENGTH) {
            return TRUNCATED;
        }
        if (u16(buffer, offset + SLL_ADDRESS_LENGTH_OFFSET) == MAC_LENGTH) {
            out.srcMac = u48(buffer, offset + SLL_ADDRESS_OFFSET);
        }
        int protocol = u16(buffer, offset + SLL_PROTOCOL_OFFSET);
        return decodeSllProtocol(buffer, offset + SLL_HEADER_LENGTH, end, protocol, out);
    }

    private DecodeResult decodeSll2(byte[] buffer, int offset, int end, DecodedFrame out) {
        if (end - offset < SLL2_HEADER_LENGTH) {
            return TRUNCATED;
        }
        if (u8(buffer, offset + SLL2_ADDRESS_LENGTH_OFFSET) == MAC_LENGTH) {
            out.srcMac = u48(buffer, offset + SLL2_ADDRESS_OFFSET);
        }
        int protocol = u16(buffer, offset + SLL2_PROTOCOL_OFFSET);
        return decodeSllProtocol(buffer, offset + SLL2_HEADER_LENGTH, end, protocol, out);
    }

    /**
     * Skips VLAN tags, then dispatches on the EtherType; a value up to 1500 there (also after a
     * VLAN tag) is an 802.3 length, and LLC follows.
     */
    private DecodeResult decodeEtherType(byte[] buffer, int payload, int end, int etherType, DecodedFrame out) {
        int type = etherType;
        int p = payload;
        while (EtherTypes.isVlanTag(type) && out.vlanCount < MAX_VLAN_TAGS) {
            if (end - p < VLAN_TAG_LENGTH) {
                return TRUNCATED;
            }
            if (out.vlanCount == 0) {
                out.outerVlanId = u16(buffer, p) & VLAN_ID_MASK;
            }
            out.vlanCount++;
            type = u16(buffer, p + 2);
            p += VLAN_TAG_LENGTH;
        }
        switch (type) {
            case EtherTypes.IPV4:
                return ip.decodeIpv4(buffer, p, end, out);
            case EtherTypes.IPV6:
                return ip.decodeIpv6(buffer, p, end, out);
            default:
                return decodeOtherEtherType(buffer, p, end, type, out);
        }
    }

    /**
     * Everything but IP, apart so that the per-frame path through {@link #decodeEtherType} stays
     * as small as before the site protocols (the JIT inlines it whole).
     */
    private DecodeResult decodeOtherEtherType(byte[] buffer, int p, int end, int type, DecodedFrame out) {
        switch (type) {
            case EtherTypes.ARP:
                return decodeArp(buffer, p, end, out);
            case EtherTypes.MPLS_UNICAST:
            case EtherTypes.MPLS_MULTICAST:
                return decodeMpls(buffer, p, end, out);
            case EtherTypes.LLDP:
                return lldp.read(buffer, p, end, out);
            case EtherTypes.EAPOL:
                return eapol.read(buffer, p, end, out);
            default:
                if (type <= EtherTypes.MAX_LENGTH) {
                    return decodeLlc(buffer, p, p + type, Math.min(end, p + type), out);
                }
                return IGNORED;
        }
    }

    /**
     * An 802.2 LLC frame whose payload ends at {@code declaredEnd} by its 802.3 length (Ethernet
     * pads short frames; {@link CdpPdu#UNKNOWN_END} when the link layer has no length), of which
     * {@code [offset, capturedEnd)} was captured; CDP is read, other SAPs and SNAP protocols (STP,
     * DTP, VTP, PVST, ...) are ignored.
     */
    private DecodeResult decodeLlc(byte[] buffer, int offset, int declaredEnd, int capturedEnd, DecodedFrame out) {
        if (declaredEnd - offset < LLC_LENGTH) {
            return IGNORED;
        }
        if (capturedEnd - offset < LLC_LENGTH) {
            return TRUNCATED;
        }
        if (u8(buffer, offset) != LLC_SAP_SNAP || (u8(buffer, offset + 1) & 0xFE) != LLC_SAP_SNAP
                || u8(buffer, offset + 2) != LLC_CONTROL_UI || declaredEnd - offset < LLC_SNAP_LENGTH) {
            return IGNORED;
        }
        if (capturedEnd - offset < LLC_SNAP_LENGTH) {
            return TRUNCATED;
        }
        int oui = (u16(buffer, offset + 3) << 8) | u8(buffer, offset + 5);
        if (oui != SNAP_OUI_CISCO || u16(buffer, offset + 6) != SNAP_PID_CDP) {
            return IGNORED;
        }
        return cdp.read(buffer, offset + LLC_SNAP_LENGTH, declaredEnd, capturedEnd, out);
    }

    /** Skips the label stack; RFC 3032 has no payload type, so IP is recognised by its version nibble. */
    private DecodeResult decodeMpls(byte[] buffer, int offset, int end, DecodedFrame out) {
        int p = offset;
        for (int labels = 0; ; labels++) {
            if (labels == MAX_MPLS_LABELS) {
                return IGNORED;
            }
            if (end - p < MPLS_LABEL_LENGTH) {
                return TRUNCATED;
            }
            boolean bottomOfStack = (u8(buffer, p + MPLS_BOTTOM_OF_STACK_OFFSET) & 0x01) != 0;
            p += MPLS_LABEL_LENGTH;
            if (bottomOfStack) {
                break;
            }
        }
        if (p >= end) {
            return TRUNCATED;
        }
        int version = u8(buffer, p) >>> 4;
        if (version == 4) {
            return ip.decodeIpv4(buffer, p, end, out);
        }
        if (version == 6) {
            return ip.decodeIpv6(buffer, p, end, out);
        }
        return IGNORED; // pseudowire control word, Ethernet over MPLS, ...
    }

    private DecodeResult decodeRawIp(byte[] buffer, int offset, int end, DecodedFrame out) {
        if (offset >= end) {
            return TRUNCATED;
        }
        int version = u8(buffer, offset) >>> 4;
        if (version == 4) {
            return ip.decodeIpv4(buffer, offset, end, out);
        }
        if (version == 6) {
            return ip.decodeIpv6(buffer, offset, end, out);
        }
        return MALFORMED;
    }

    /** NULL's family is in the capturing host's byte order, unknown to the reader: accept both. */
    private DecodeResult decodeLoopback(byte[] buffer, int offset, int end, boolean eitherByteOrder,
            DecodedFrame out) {
        if (end - offset < LOOPBACK_HEADER_LENGTH) {
            return TRUNCATED;
        }
        int bigEndian = i32(buffer, offset);
        int littleEndian = eitherByteOrder ? i32Le(buffer, offset) : bigEndian;
        int payload = offset + LOOPBACK_HEADER_LENGTH;
        if (bigEndian == AF_INET || littleEndian == AF_INET) {
            return ip.decodeIpv4(buffer, payload, end, out);
        }
        if (isInet6(bigEndian) || isInet6(littleEndian)) {
            return ip.decodeIpv6(buffer, payload, end, out);
        }
        return IGNORED;
    }

    private static boolean isInet6(int family) {
        return family == AF_INET6_BSD || family == AF_INET6_FREEBSD || family == AF_INET6_DARWIN;
    }

    private DecodeResult decodeArp(byte[] buffer, int offset, int end, DecodedFrame out) {
        DecodeResult result = arp.wrap(buffer, offset, end);
        if (result != OK) {
            return result;
        }
        out.type = DecodedFrame.Type.ARP;
        out.arpOperation = arp.operation();
        out.arpSenderMac = arp.senderMac();
        out.arpSenderIp = arp.senderIp();
        out.arpTargetMac = arp.targetMac();
        out.arpTargetIp = arp.targetIp();
        return OK;
    }
}
