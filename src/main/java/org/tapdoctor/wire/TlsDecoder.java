package org.tapdoctor.wire;

import static org.tapdoctor.wire.Bytes.u16;
import static org.tapdoctor.wire.Bytes.u8;

/**
 * Reads the TLS records at the start of a TCP segment's payload, in place, into the TLS fields of
 * its {@link DecodedFrame}: the first record's type and version, the first handshake message (a
 * ClientHello's server_name and supported_versions, a ServerHello's version) and the first
 * plaintext alert. Not part of {@link FrameDecoder#decode}: the tracker calls it for the first
 * data segment each way of a connection, after the cheap {@link #startsWithRecord} check, so the
 * per-frame path of every other segment does not pay for it.
 *
 * <pre>
 * Record (RFC 8446 section 5.1, RFC 5246 section 6.2), any number back to back in a segment:
 * +--------+--------+--------+--------+--------+------------------------+
 * |  type  | legacy_record_version |     length      |  fragment (length) |
 * +--------+--------+--------+--------+--------+------------------------+
 *   type 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data, 24 heartbeat
 *   length at most 2^14 + 2048 (RFC 5246 section 6.2.3)
 * Handshake message (RFC 8446 section 4), in a type 22 fragment:
 * | msg_type (1) | length (3) | body ...   (msg_type 1 client_hello, 2 server_hello)
 * ClientHello body (section 4.1.2):
 * | legacy_version (2) | random (32) | session_id &lt;0..32&gt; (1+n) | cipher_suites (2+n)
 * | legacy_compression_methods (1+n) | extensions (2+n), optional before TLS 1.3
 * ServerHello body (section 4.1.3):
 * | legacy_version (2) | random (32) | session_id (1+n) | cipher_suite (2) | compression (1) | extensions (2+n)
 * Extension: | type (2) | length (2) | data |
 *   server_name, type 0 (RFC 6066 section 3): | list length (2) | name_type (1) = 0 host_name | length (2) | name |
 *   supported_versions, type 43 (RFC 8446 section 4.2.1):
 *     ClientHello | length (1) | versions, 2 bytes each, most preferred first |; ServerHello | selected_version (2) |
 * Alert (RFC 8446 section 6, in a type 21 fragment): | level (1): 1 warning, 2 fatal | description (1) |
 * </pre>
 *
 * <p>A ClientHello usually fits one segment (openssl's is ~300 bytes, a browser's 500-700); one
 * with a large key share (post-quantum hybrids, ~1.8 KB) spans two. Then, and when the snaplen cuts
 * the segment, only what lies in the captured bytes is read: {@link DecodedFrame#tlsHandshakeCut()}
 * is set, and a server_name or supported_versions further on stays absent. A message split over
 * two records is read up to the end of the first. Alerts are read only in plaintext (a 2-byte
 * fragment): TLS 1.3 encrypts everything after the ServerHello, TLS 1.2 after ChangeCipherSpec.
 * SSL 2.0-style ClientHellos (first byte 0x80) are not TLS records and are ignored.
 *
 * <p>Allocates nothing; never throws on any bytes. Not thread-safe: one instance per thread.
 */
public final class TlsDecoder {
    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int HEARTBEAT = 24;
    static final int CLIENT_HELLO = 1;
    static final int SERVER_HELLO = 2;
    static final int EXTENSION_SERVER_NAME = 0;
    static final int EXTENSION_SUPPORTED_VERSIONS = 43;
    static final int HOST_NAME = 0;

    static final int RECORD_HEADER_LENGTH = 5;
    static final int RECORD_VERSION_OFFSET = 1;
    static final int RECORD_LENGTH_OFFSET = 3;
    /** TLSCiphertext.length, RFC 5246 section 6.2.3 (RFC 8446 allows less: 2^14 + 256). */
    static final int MAX_RECORD_LENGTH = (1 << 14) + 2048;
    static final int HANDSHAKE_HEADER_LENGTH = 4;
    static final int ALERT_LENGTH = 2;
    static final int RANDOM_LENGTH = 32;
    static final int MAX_SESSION_ID_LENGTH = 32;
    /** Enough for a segment of coalesced records (CCS + alert + ...), bounded so a flood of tiny records costs little. */
    static final int MAX_RECORDS = 16;
    /** SSL 3.0 (RFC 6101) to TLS 1.3: the record versions a real stack sends. */
    static final int MIN_RECORD_VERSION = 0x0300;
    static final int MAX_RECORD_VERSION = 0x0304;

    /** Positions returned by the readers when they must stop: the bytes were not captured, or contradict the lengths. */
    private static final int CUT = -1;
    private static final int BAD = -2;

    /**
     * Whether the TCP payload of {@code f} starts like a TLS record (a type 20-24 and a version
     * 3.0-3.4 in its first three bytes): the check to make before {@link #decode}. Reads three
     * bytes; nothing is decoded.
     */
    public static boolean startsWithRecord(DecodedFrame f) {
        return f.type == DecodedFrame.Type.TCP && f.payloadCaptured >= 3
                && isRecordStart(f.buffer, f.payloadOffset);
    }

    private static boolean isRecordStart(byte[] b, int p) {
        int type = u8(b, p);
        int version = u16(b, p + RECORD_VERSION_OFFSET);
        return type >= CHANGE_CIPHER_SPEC && type <= HEARTBEAT
                && version >= MIN_RECORD_VERSION && version <= MAX_RECORD_VERSION;
    }

    /**
     * Decodes the TLS records of the TCP segment in {@code f} (already decoded by {@link
     * FrameDecoder}) into its TLS fields, after resetting them.
     *
     * @return {@link DecodeResult#OK} when the payload starts with a TLS record (fields set as far
     *     as the captured bytes go); {@link DecodeResult#IGNORED} when it is not TLS (or no TCP
     *     payload); {@link DecodeResult#TRUNCATED} when fewer than 5 bytes of a record header were
     *     captured; {@link DecodeResult#MALFORMED} when the first record's length exceeds the
     *     maximum or its hello contradicts its own lengths (the fields read before stay set)
     */
    public DecodeResult decode(DecodedFrame f) {
        f.clearTls();
        if (f.type != DecodedFrame.Type.TCP || f.payloadCaptured <= 0) {
            return DecodeResult.IGNORED;
        }
        byte[] b = f.buffer;
        int p = f.payloadOffset;
        int end = p + f.payloadCaptured;
        if (end - p < 3) {
            int type = u8(b, p); // too short to tell more than the type
            return type >= CHANGE_CIPHER_SPEC && type <= HEARTBEAT ? DecodeResult.TRUNCATED : DecodeResult.IGNORED;
        }
        if (!isRecordStart(b, p)) {
            return DecodeResult.IGNORED;
        }
        if (end - p < RECORD_HEADER_LENGTH) {
            return DecodeResult.TRUNCATED;
        }
        DecodeResult result = DecodeResult.OK;
        while (end - p >= RECORD_HEADER_LENGTH && f.tlsRecords < MAX_RECORDS && isRecordStart(b, p)) {
            int type = u8(b, p);
            int length = u16(b, p + RECORD_LENGTH_OFFSET);
            if (length > MAX_RECORD_LENGTH) {
                return f.tlsRecords == 0 ? DecodeResult.MALFORMED : result;
            }
            if (f.tlsRecords == 0) {
                f.tlsRecordType = type;
                f.tlsRecordVersion = u16(b, p + RECORD_VERSION_OFFSET);
            }
            f.tlsRecords++;
            int fragment = p + RECORD_HEADER_LENGTH;
            int recordEnd = fragment + length;
            int captured = Math.min(end, recordEnd);
            if (type == HANDSHAKE && f.tlsHandshakeType < 0 && readHandshake(b, fragment, recordEnd, captured, f) == BAD) {
                result = DecodeResult.MALFORMED;
            } else if (type == ALERT && f.tlsAlertLevel < 0 && length == ALERT_LENGTH && captured - fragment == ALERT_LENGTH) {
                f.tlsAlertLevel = u8(b, fragment);
                f.tlsAlertDescription = u8(b, fragment + 1);
            }
            p = recordEnd;
        }
        return result;
    }

    /** Reads the first handshake message of a record; returns BAD when its lengths contradict each other. */
    private static int readHandshake(byte[] b, int fragment, int recordEnd, int captured, DecodedFrame f) {
        if (captured - fragment < HANDSHAKE_HEADER_LENGTH) {
            if (captured > fragment) {
                f.tlsHandshakeType = u8(b, fragment);
            }
            f.tlsHandshakeCut = true;
            return CUT;
        }
        int type = u8(b, fragment);
        int length = (u8(b, fragment + 1) << 16) | u16(b, fragment + 2);
        f.tlsHandshakeType = type;
        f.tlsHandshakeLength = length;
        int body = fragment + HANDSHAKE_HEADER_LENGTH;
        int declaredEnd = body + length;
        // The rest of the message is in the next record or segment, or was not captured.
        int available = Math.min(captured, declaredEnd);
        f.tlsHandshakeCut = declaredEnd > captured;
        if (type == CLIENT_HELLO || type == SERVER_HELLO) {
            return readHello(b, body, declaredEnd, available, type == CLIENT_HELLO, f);
        }
        return 0;
    }

    /** ClientHello or ServerHello body from {@code p}: the fixed fields, then the extensions. */
    private static int readHello(byte[] b, int p, int declaredEnd, int available, boolean client, DecodedFrame f) {
        if (p + 2 > declaredEnd) {
            return BAD;
        }
        if (p + 2 > available) {
            return CUT;
        }
        f.tlsHelloVersion = u16(b, p);
        p += 2 + RANDOM_LENGTH;
        if (p > declaredEnd) {
            return BAD;
        }
        p = skipVector(b, p, 1, MAX_SESSION_ID_LENGTH, declaredEnd, available);
        if (client) {
            p = p < 0 ? p : skipVector(b, p, 2, 0xFFFE, declaredEnd, available);  // cipher_suites
            p = p < 0 ? p : skipVector(b, p, 1, 0xFF, declaredEnd, available);    // compression methods
        } else if (p >= 0) {
            p += 3;                                                             // cipher_suite, compression
            if (p > declaredEnd) {
                return BAD;
            }
        }
        if (p < 0 || p == declaredEnd) {
            return p; // stopped, or a hello without extensions (allowed before TLS 1.3)
        }
        return readExtensions(b, p, declaredEnd, available, client, f);
    }

    private static int readExtensions(byte[] b, int p, int declaredEnd, int available, boolean client, DecodedFrame f) {
        if (p + 2 > declaredEnd) {
            return BAD;
        }
        if (p + 2 > available) {
            return CUT;
        }
        int extensionsEnd = p + 2 + u16(b, p);
        if (extensionsEnd > declaredEnd) {
            return BAD;
        }
        p += 2;
        while (p < extensionsEnd) {
            if (p + 4 > extensionsEnd) {
                return BAD;
            }
            if (p + 4 > available) {
                return CUT;
            }
            int type = u16(b, p);
            int data = p + 4;
            int next = data + u16(b, p + 2);
            if (next > extensionsEnd) {
                return BAD;
            }
            if (next > available) {
                return CUT; // this extension and the ones after it were not captured
            }
            if (type == EXTENSION_SERVER_NAME && client) {
                readServerName(b, data, next, f);
            } else if (type == EXTENSION_SUPPORTED_VERSIONS) {
                readSupportedVersions(b, data, next, client, f);
            }
            p = next;
        }
        return p;
    }

    /** The first host_name of the server_name list; a list that contradicts its length is ignored. */
    private static void readServerName(byte[] b, int data, int end, DecodedFrame f) {
        if (end - data < 2) {
            return;
        }
        int listEnd = data + 2 + u16(b, data);
        if (listEnd > end) {
            return;
        }
        for (int q = data + 2; q + 3 <= listEnd; ) {
            int nameType = u8(b, q);
            int nameLength = u16(b, q + 1);
            int name = q + 3;
            if (name + nameLength > listEnd) {
                return;
            }
            if (nameType == HOST_NAME && nameLength > 0) {
                f.tlsSniOffset = name;
                f.tlsSniLength = nameLength;
                return;
            }
            q = name + nameLength;
        }
    }

    private static void readSupportedVersions(byte[] b, int data, int end, boolean client, DecodedFrame f) {
        if (!client) {
            if (end - data >= 2) {
                f.tlsVersion = u16(b, data);
            }
            return;
        }
        if (end - data < 1) {
            return;
        }
        int listEnd = data + 1 + u8(b, data);
        if (listEnd > end) {
            return;
        }
        for (int q = data + 1; q + 2 <= listEnd; q += 2) {
            int version = u16(b, q);
            if (!isGrease(version)) {
                f.tlsVersion = version;
                return;
            }
        }
    }

    /** GREASE values (RFC 8701 section 2): 0x0A0A, 0x1A1A, ... 0xFAFA, sent to keep servers tolerant. */
    static boolean isGrease(int value) {
        return (value & 0x0F0F) == 0x0A0A && (value >>> 8) == (value & 0xFF);
    }

    /**
     * Skips a vector whose length takes {@code lengthBytes} bytes at {@code p}: the position after
     * it (possibly past {@code available}: the next read finds the cut), {@link #CUT} when its
     * length was not captured, {@link #BAD} when it exceeds {@code max} or the message.
     */
    private static int skipVector(byte[] b, int p, int lengthBytes, int max, int declaredEnd, int available) {
        if (p + lengthBytes > declaredEnd) {
            return BAD;
        }
        if (p + lengthBytes > available) {
            return CUT;
        }
        int length = lengthBytes == 1 ? u8(b, p) : u16(b, p);
        int next = p + lengthBytes + length;
        return length > max || next > declaredEnd ? BAD : next;
    }
}
