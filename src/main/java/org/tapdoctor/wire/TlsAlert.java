package org.tapdoctor.wire;

/**
 * TLS alert descriptions by their wire code, with the names of the TLS registry (RFC 8446 section
 * 6, RFC 5246 section 7.2 for the codes TLS 1.3 retired, RFC 6066, RFC 7301, RFC 7507), as an
 * engineer reads them in Wireshark. Immutable.
 */
public enum TlsAlert {
    CLOSE_NOTIFY(0, "close_notify"),
    UNEXPECTED_MESSAGE(10, "unexpected_message"),
    BAD_RECORD_MAC(20, "bad_record_mac"),
    DECRYPTION_FAILED(21, "decryption_failed"),
    RECORD_OVERFLOW(22, "record_overflow"),
    DECOMPRESSION_FAILURE(30, "decompression_failure"),
    HANDSHAKE_FAILURE(40, "handshake_failure"),
    NO_CERTIFICATE(41, "no_certificate"),
    BAD_CERTIFICATE(42, "bad_certificate"),
    UNSUPPORTED_CERTIFICATE(43, "unsupported_certificate"),
    CERTIFICATE_REVOKED(44, "certificate_revoked"),
    CERTIFICATE_EXPIRED(45, "certificate_expired"),
    CERTIFICATE_UNKNOWN(46, "certificate_unknown"),
    ILLEGAL_PARAMETER(47, "illegal_parameter"),
    UNKNOWN_CA(48, "unknown_ca"),
    ACCESS_DENIED(49, "access_denied"),
    DECODE_ERROR(50, "decode_error"),
    DECRYPT_ERROR(51, "decrypt_error"),
    EXPORT_RESTRICTION(60, "export_restriction"),
    PROTOCOL_VERSION(70, "protocol_version"),
    INSUFFICIENT_SECURITY(71, "insufficient_security"),
    INTERNAL_ERROR(80, "internal_error"),
    INAPPROPRIATE_FALLBACK(86, "inappropriate_fallback"),
    USER_CANCELED(90, "user_canceled"),
    NO_RENEGOTIATION(100, "no_renegotiation"),
    MISSING_EXTENSION(109, "missing_extension"),
    UNSUPPORTED_EXTENSION(110, "unsupported_extension"),
    CERTIFICATE_UNOBTAINABLE(111, "certificate_unobtainable"),
    UNRECOGNIZED_NAME(112, "unrecognized_name"),
    BAD_CERTIFICATE_STATUS_RESPONSE(113, "bad_certificate_status_response"),
    BAD_CERTIFICATE_HASH_VALUE(114, "bad_certificate_hash_value"),
    UNKNOWN_PSK_IDENTITY(115, "unknown_psk_identity"),
    CERTIFICATE_REQUIRED(116, "certificate_required"),
    NO_APPLICATION_PROTOCOL(120, "no_application_protocol");

    /** Alert levels (RFC 8446 section 6): a fatal alert ends the connection. */
    public static final int WARNING = 1, FATAL = 2;

    private static final TlsAlert[] BY_CODE = new TlsAlert[256];

    static {
        for (TlsAlert a : values()) {
            BY_CODE[a.code] = a;
        }
    }

    private final int code;
    private final String label;

    TlsAlert(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The description's code on the wire. */
    public int code() {
        return code;
    }

    /** The registry name, e.g. {@code protocol_version}. */
    public String label() {
        return label;
    }

    /** The alert with this wire code, or null for a code the registry does not name (and for -1: none). */
    public static TlsAlert of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** The registry name of a code, or {@code alert_N} for an unnamed one (allocates: for reports). */
    public static String label(int code) {
        TlsAlert a = of(code);
        return a != null ? a.label : "alert_" + code;
    }
}
