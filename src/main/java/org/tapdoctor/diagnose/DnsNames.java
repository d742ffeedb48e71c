package org.tapdoctor.diagnose;

/** Text forms of DNS wire values (RFC 1035), for reports; allocates, never on the packet path. */
public final class DnsNames {
    private DnsNames() {
    }

    /** A wire-form name (length-prefixed labels) as dotted text; "." for the root, "?" when cut short. */
    public static String name(byte[] buf, int off, int len) {
        StringBuilder sb = new StringBuilder(len);
        int i = off, end = off + len;
        while (i < end) {
            int l = buf[i] & 0xFF;
            if (l == 0) {
                return sb.length() == 0 ? "." : sb.toString();
            }
            if ((l & 0xC0) != 0) {
                break; // a compression pointer: the rest of the name is elsewhere in the message
            }
            if (sb.length() > 0) {
                sb.append('.');
            }
            for (int k = 1; k <= l && i + k < end; k++) {
                int c = buf[i + k] & 0xFF;
                sb.append(c > 0x20 && c < 0x7F ? (char) c : '?');
            }
            i += l + 1;
        }
        return sb.length() == 0 ? "?" : sb + "...";
    }

    public static String rcode(int rcode) {
        return switch (rcode) {
            case -1 -> "no_response";
            case 0 -> "NOERROR";
            case 1 -> "FORMERR";
            case 2 -> "SERVFAIL";
            case 3 -> "NXDOMAIN";
            case 4 -> "NOTIMP";
            case 5 -> "REFUSED";
            default -> "RCODE" + rcode;
        };
    }

    public static String qtype(int qtype) {
        return switch (qtype) {
            case 1 -> "A";
            case 2 -> "NS";
            case 5 -> "CNAME";
            case 6 -> "SOA";
            case 12 -> "PTR";
            case 15 -> "MX";
            case 16 -> "TXT";
            case 28 -> "AAAA";
            case 33 -> "SRV";
            case 64 -> "SVCB";
            case 65 -> "HTTPS";
            case 255 -> "ANY";
            case -1 -> "?";
            default -> "TYPE" + qtype;
        };
    }
}
