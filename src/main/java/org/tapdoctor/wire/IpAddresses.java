package org.tapdoctor.wire;

/**
 * IP addresses as two longs (high and low 64 bits of the 128-bit IPv6 form), so tables can key on
 * them without objects. IPv4 addresses are stored IPv4-mapped, {@code ::ffff:a.b.c.d} (RFC 4291
 * section 2.5.5.2), and printed in dotted-quad form. Formatting allocates and is for reports only.
 */
public final class IpAddresses {
    /** The high 64 bits of every IPv4-mapped address. */
    public static final long V4_HI = 0L;
    private static final long V4_MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;

    private IpAddresses() {
    }

    /** The low 64 bits of the IPv4-mapped form of an IPv4 address given as a big-endian int. */
    public static long v4Lo(int ipv4) {
        return V4_MAPPED_PREFIX | (ipv4 & 0xFFFF_FFFFL);
    }

    public static boolean isV4(long hi, long lo) {
        return hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == V4_MAPPED_PREFIX;
    }

    /** The IPv4 address of an IPv4-mapped pair. */
    public static int v4(long lo) {
        return (int) lo;
    }

    /** Dotted quad for IPv4-mapped addresses, RFC 5952 text (compressed, lower case) for IPv6. */
    public static String format(long hi, long lo) {
        if (isV4(hi, lo)) {
            return formatV4((int) lo);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (hi >>> (48 - 16 * i)) & 0xFFFF;
            groups[4 + i] = (int) (lo >>> (48 - 16 * i)) & 0xFFFF;
        }
        // RFC 5952 section 4.2: compress the longest run (>= 2) of zero groups, the first if tied.
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    public static String formatV4(int ip) {
        return ((ip >>> 24) & 0xFF) + "." + ((ip >>> 16) & 0xFF) + "." + ((ip >>> 8) & 0xFF) + "." + (ip & 0xFF);
    }

    /** {@code aa:bb:cc:dd:ee:ff} for a 48-bit MAC held in a long. */
    public static String formatMac(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int b = (int) (mac >>> (8 * i)) & 0xFF;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    /** Parses dotted-quad IPv4 or IPv6 text into {hi, lo}; for configuration and tests, not the packet path. */
    public static long[] parse(String text) {
        try {
            byte[] b = java.net.InetAddress.getByName(requireLiteral(text)).getAddress();
            if (b.length == 4) {
                int v4 = ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
                return new long[] {0, v4Lo(v4)};
            }
            long hi = 0, lo = 0;
            for (int i = 0; i < 8; i++) {
                hi = (hi << 8) | (b[i] & 0xFF);
                lo = (lo << 8) | (b[8 + i] & 0xFF);
            }
            return new long[] {hi, lo};
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }

    private static String requireLiteral(String text) {
        if (text == null || text.isEmpty() || !(Character.digit(text.charAt(0), 16) >= 0 || text.charAt(0) == ':')) {
            throw new IllegalArgumentException("not an IP address literal: " + text);
        }
        return text;
    }
}
