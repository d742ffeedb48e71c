package org.tapdoctor.wire;

/**
 * TLS records built byte by byte for tests, one comment per field (RFC 8446 sections 4.1.2,
 * 4.1.3, 4.2.1 and 6; RFC 6066 section 3). Lengths are patched once the contents are written.
 */
final class TlsMessages {
    static final String SNI = "www.example.test";
    /** Where the host name starts inside {@link #clientHello}'s bytes: record 5 + handshake 4 + 2 + 32 + 33 + 8 + 2 + 2 + 4 + 2 + 1 + 2. */
    static final int SNI_OFFSET_IN_RECORD = 97;

    private TlsMessages() {
    }

    /**
     * A ClientHello record: TLS 1.2 legacy version, a 32-byte session id, three cipher suites, then
     * server_name {@code sni} and supported_versions GREASE, TLS 1.3, TLS 1.2; {@code sni} null
     * leaves server_name out.
     */
    static void clientHello(FrameBuilder b, String sni) {
        int record = b.position();
        b.u8(22)                // record type: handshake
         .u16(0x0301)           // legacy_record_version: TLS 1.0, as ClientHellos send it
         .u16(0);               // record length: patched below
        int handshake = b.position();
        b.u8(1)                 // handshake type: client_hello
         .u8(0).u16(0);         // handshake length (24 bits): patched below
        b.u16(0x0303);          // legacy_version: TLS 1.2
        for (int i = 0; i < 32; i++) {
            b.u8(0x11);         // random
        }
        b.u8(32);               // legacy_session_id length
        for (int i = 0; i < 32; i++) {
            b.u8(0x22);         // legacy_session_id (TLS 1.3 middlebox compatibility)
        }
        b.u16(6)                // cipher_suites length
         .u16(0x1301)           //   TLS_AES_128_GCM_SHA256
         .u16(0x1302)           //   TLS_AES_256_GCM_SHA384
         .u16(0xC02F)           //   TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
         .u8(1)                 // legacy_compression_methods length
         .u8(0);                //   null
        int extensions = b.position();
        b.u16(0);               // extensions length: patched below
        if (sni != null) {
            b.u16(0)                    // extension type: server_name
             .u16(sni.length() + 5)     // extension length
             .u16(sni.length() + 3)     // server_name_list length
             .u8(0)                     // name_type: host_name
             .u16(sni.length())         // HostName length
             .ascii(sni);               // HostName
        }
        b.u16(43)               // extension type: supported_versions
         .u16(7)                // extension length
         .u8(6)                 // versions length
         .u16(0x3A3A)           //   GREASE (RFC 8701): to be skipped
         .u16(0x0304)           //   TLS 1.3
         .u16(0x0303);          //   TLS 1.2
        b.patch16(extensions, b.position() - extensions - 2);
        b.patch24(handshake + 1, b.position() - handshake - 4);
        b.patch16(record + 3, b.position() - record - 5);
    }

    /**
     * A ServerHello record: TLS 1.2 legacy version, {@code sessionIdLength} bytes of session id,
     * cipher TLS_AES_128_GCM_SHA256, and supported_versions selecting {@code selected}, or no
     * extensions at all when {@code selected} is -1 (a TLS 1.2 server).
     */
    static void serverHello(FrameBuilder b, int sessionIdLength, int selected) {
        int record = b.position();
        b.u8(22)                // record type: handshake
         .u16(0x0303)           // legacy_record_version: TLS 1.2
         .u16(0);               // record length: patched below
        int handshake = b.position();
        b.u8(2)                 // handshake type: server_hello
         .u8(0).u16(0);         // handshake length: patched below
        b.u16(0x0303);          // legacy_version: TLS 1.2
        for (int i = 0; i < 32; i++) {
            b.u8(0x33);         // random
        }
        b.u8(sessionIdLength);  // legacy_session_id_echo length
        for (int i = 0; i < sessionIdLength; i++) {
            b.u8(0x22);         // legacy_session_id_echo
        }
        b.u16(0x1301)           // cipher_suite
         .u8(0);                // legacy_compression_method
        if (selected >= 0) {
            b.u16(6)            // extensions length
             .u16(43)           // extension type: supported_versions
             .u16(2)            // extension length
             .u16(selected);    // selected_version
        }
        b.patch24(handshake + 1, b.position() - handshake - 4);
        b.patch16(record + 3, b.position() - record - 5);
    }

    /** A plaintext alert record. */
    static void alert(FrameBuilder b, int level, int description) {
        b.u8(21)                // record type: alert
         .u16(0x0303)           // legacy_record_version
         .u16(2)                // length
         .u8(level)             // level: 1 warning, 2 fatal
         .u8(description);      // description
    }
}
