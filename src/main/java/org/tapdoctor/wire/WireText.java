package org.tapdoctor.wire;

import java.nio.charset.StandardCharsets;

/**
 * Text forms of the strings the site protocols carry (LLDP and CDP names, EAP identities, a DHCP
 * server's message), which {@link DecodedFrame} gives as an offset and a length into the frame.
 * For reports: these allocate, never on the packet path.
 */
public final class WireText {
    private WireText() {
    }

    /**
     * The bytes as UTF-8 (LLDP's strings are SNMP DisplayStrings, ASCII in practice; CDP's are
     * ASCII), control characters as spaces and trailing NULs and spaces dropped; {@code null} when
     * {@code offset} is -1 (absent).
     */
    public static String text(byte[] buffer, int offset, int length) {
        if (offset < 0) {
            return null;
        }
        int end = offset + length;
        while (end > offset && (buffer[end - 1] == 0 || buffer[end - 1] == ' ')) {
            end--;
        }
        char[] chars = new String(buffer, offset, end - offset, StandardCharsets.UTF_8).toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] < 0x20 || chars[i] == 0x7F) {
                chars[i] = ' ';
            }
        }
        return new String(chars);
    }

    /** The bytes as lower-case hex pairs separated by colons (an ID that is not text: a MAC, an address). */
    public static String hex(byte[] buffer, int offset, int length) {
        StringBuilder sb = new StringBuilder(length * 3);
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            int b = buffer[offset + i] & 0xFF;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}
