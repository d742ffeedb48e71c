package org.tapdoctor.wire;

import static org.tapdoctor.wire.Bytes.i32;
import static org.tapdoctor.wire.Bytes.i64;
import static org.tapdoctor.wire.Bytes.u16;
import static org.tapdoctor.wire.Bytes.u48;
import static org.tapdoctor.wire.Bytes.u8;

/**
 * Reads an ICMPv6 neighbour discovery message (RFC 4861 section 4) in place into a {@link DecodedFrame}.
 *
 * <pre>
 * every message: | type (1) | code (1, 0) | checksum (2) | ... then options
 * 133 Router Solicitation:     | reserved (4) |                                         options at 8
 * 134 Router Advertisement:    | cur hop limit (1) | M O H Prf (1) | router lifetime (2) |
 *                              | reachable time (4) | retrans timer (4) |                  options at 16
 * 135 Neighbor Solicitation:   | reserved (4) | target (16) |                            options at 24
 * 136 Neighbor Advertisement:  | R S O reserved (4) | target (16) |                      options at 24
 * 137 Redirect:                | reserved (4) | target (16) | destination (16) |         options at 40
 * option (4.6): | type (1) | length (1, in units of 8 octets, 0 invalid) | ...
 *   1 source / 2 target link-layer address: | MAC (6) |
 *   3 prefix information (length 4): | prefix length (1) | L A reserved (1) | valid lifetime (4) |
 *                                    | preferred lifetime (4) | reserved (4) | prefix (16) |
 * </pre>
 *
 * <p>Only valid messages are neighbour discovery (RFC 4861 6.1, 7.1, 8.1): hop limit 255 (a
 * router or neighbour cannot be off-link) and code 0; a host discards others, so they stay
 * {@link DecodedFrame.Type#ICMP_OTHER} ({@link #isNeighborDiscovery}). Results:
 * {@link DecodeResult#TRUNCATED} when the fixed part was not captured,
 * {@link DecodeResult#MALFORMED} when the message is shorter than its fixed part or an option has
 * length 0 or runs past the message, else OK with {@link DecodedFrame#optionsTruncated()} when
 * the capture cut the options. Allocates nothing; not thread-safe.
 */
final class NeighborDiscovery {
    static final int ROUTER_SOLICITATION = 133;
    static final int ROUTER_ADVERTISEMENT = 134;
    static final int NEIGHBOR_SOLICITATION = 135;
    static final int NEIGHBOR_ADVERTISEMENT = 136;
    static final int REDIRECT = 137;
    static final int REQUIRED_HOP_LIMIT = 255;

    static final int RA_FLAGS_OFFSET = 5;
    static final int RA_ROUTER_LIFETIME_OFFSET = 6;
    static final int NA_FLAGS_OFFSET = 4;
    static final int TARGET_OFFSET = 8;

    static final int OPTION_SOURCE_LINK_ADDRESS = 1;
    static final int OPTION_TARGET_LINK_ADDRESS = 2;
    static final int OPTION_PREFIX_INFORMATION = 3;
    static final int OPTION_UNIT = 8;
    private static final int PREFIX_OPTION_LENGTH = 32;

    static boolean isNeighborDiscovery(int type, int code, int hopLimit) {
        return type >= ROUTER_SOLICITATION && type <= REDIRECT && code == 0 && hopLimit == REQUIRED_HOP_LIMIT;
    }

    /** Octets before the options: the message's minimum length. */
    static int fixedLength(int type) {
        return switch (type) {
            case ROUTER_SOLICITATION -> 8;
            case ROUTER_ADVERTISEMENT -> 16;
            case NEIGHBOR_SOLICITATION, NEIGHBOR_ADVERTISEMENT -> 24;
            default -> 40; // redirect
        };
    }

    /**
     * Reads the message of {@code type} in {@code buffer[offset, end)} (end from the IPv6 payload
     * length), of which {@code [offset, capturedEnd)} was captured.
     */
    DecodeResult read(byte[] buffer, int offset, int end, int capturedEnd, int type, DecodedFrame out) {
        out.site.clear();
        int fixed = fixedLength(type);
        if (end - offset < fixed) {
            return DecodeResult.MALFORMED;
        }
        if (capturedEnd - offset < fixed) {
            return DecodeResult.TRUNCATED;
        }
        out.type = DecodedFrame.Type.NEIGHBOR_DISCOVERY;
        if (type == ROUTER_ADVERTISEMENT) {
            out.site.ndFlags = u8(buffer, offset + RA_FLAGS_OFFSET);
            out.site.raRouterLifetime = u16(buffer, offset + RA_ROUTER_LIFETIME_OFFSET);
        } else if (type == NEIGHBOR_ADVERTISEMENT) {
            out.site.ndFlags = u8(buffer, offset + NA_FLAGS_OFFSET);
        }
        if (type >= NEIGHBOR_SOLICITATION) {
            out.site.ndTargetHi = i64(buffer, offset + TARGET_OFFSET);
            out.site.ndTargetLo = i64(buffer, offset + TARGET_OFFSET + 8);
        }
        return readOptions(buffer, offset + fixed, end, capturedEnd, type, out);
    }

    private static DecodeResult readOptions(byte[] buffer, int offset, int end, int capturedEnd, int type,
            DecodedFrame out) {
        int p = offset;
        while (end - p >= 2) {
            if (capturedEnd - p < 2) {
                out.site.optionsTruncated = true;
                return DecodeResult.OK;
            }
            int optionType = u8(buffer, p);
            int length = u8(buffer, p + 1) * OPTION_UNIT;
            if (length == 0 || length > end - p) {
                return DecodeResult.MALFORMED;
            }
            if (length > capturedEnd - p) {
                out.site.optionsTruncated = true;
                return DecodeResult.OK;
            }
            boolean linkAddress = optionType == OPTION_SOURCE_LINK_ADDRESS && type != NEIGHBOR_ADVERTISEMENT
                    || optionType == OPTION_TARGET_LINK_ADDRESS && (type == NEIGHBOR_ADVERTISEMENT || type == REDIRECT);
            if (linkAddress && length == OPTION_UNIT && out.site.ndLinkAddress < 0) {
                out.site.ndLinkAddress = u48(buffer, p + 2); // Ethernet: 6 octets in an 8-octet option
            } else if (optionType == OPTION_PREFIX_INFORMATION && type == ROUTER_ADVERTISEMENT
                    && length == PREFIX_OPTION_LENGTH) {
                readPrefix(buffer, p, out);
            }
            p += length;
        }
        return DecodeResult.OK;
    }

    private static void readPrefix(byte[] buffer, int option, DecodedFrame out) {
        int i = out.site.raPrefixCount++;
        if (i >= DecodedFrame.MAX_PREFIXES) {
            return;
        }
        out.site.raPrefixLength[i] = u8(buffer, option + 2);
        out.site.raPrefixFlags[i] = u8(buffer, option + 3);
        out.site.raPrefixValid[i] = i32(buffer, option + 4) & 0xFFFF_FFFFL;
        out.site.raPrefixPreferred[i] = i32(buffer, option + 8) & 0xFFFF_FFFFL;
        out.site.raPrefixHi[i] = i64(buffer, option + 16);
        out.site.raPrefixLo[i] = i64(buffer, option + 24);
    }
}
