package org.tapdoctor.wire;

/**
 * Protocol versions as TLS puts them on the wire (legacy_version, supported_versions; RFC 8446
 * section 4.2.1, appendix D), and their names. Immutable.
 */
public enum TlsVersion {
    SSL_3_0(0x0300, "SSL 3.0"),
    TLS_1_0(0x0301, "TLS 1.0"),
    TLS_1_1(0x0302, "TLS 1.1"),
    TLS_1_2(0x0303, "TLS 1.2"),
    TLS_1_3(0x0304, "TLS 1.3");

    /** Drafts of TLS 1.3 were numbered 0x7F00 + draft (draft-ietf-tls-tls13, section 4.2.1.1 of draft 28). */
    private static final int DRAFT_PREFIX = 0x7F00;

    private static final TlsVersion[] ALL = values();

    private final int code;
    private final String label;

    TlsVersion(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    public String label() {
        return label;
    }

    /** The version with this code, or null for another (draft, GREASE, garbage, -1). */
    public static TlsVersion of(int code) {
        for (TlsVersion v : ALL) {
            if (v.code == code) {
                return v;
            }
        }
        return null;
    }

    /** {@code TLS 1.2}, {@code TLS 1.3 draft 16}, or {@code 0x1234} (allocates: for reports). */
    public static String label(int code) {
        TlsVersion v = of(code);
        if (v != null) {
            return v.label;
        }
        if ((code & 0xFF00) == DRAFT_PREFIX) {
            return "TLS 1.3 draft " + (code & 0xFF);
        }
        return String.format("0x%04x", code);
    }
}
