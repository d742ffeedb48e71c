package org.tapdoctor.wire;

import static org.tapdoctor.wire.Bytes.u16;
import static org.tapdoctor.wire.Bytes.u8;

/**
 * Reads an EAPOL PDU (IEEE 802.1X-2020 clause 11.3; EtherType 0x888E, usually to the PAE group
 * address 01:80:C2:00:00:03) and, for an EAP packet, its EAP header (RFC 3748 section 4) in place
 * into a {@link DecodedFrame}.
 *
 * <pre>
 * EAPOL: | protocol version (1) | packet type (1) | packet body length (2) | body |
 *   packet types: 0 EAP-Packet, 1 EAPOL-Start, 2 EAPOL-Logoff, 3 EAPOL-Key, 4 ASF alert, 5 MKA, ...
 * EAP:   | code (1) | identifier (1) | length (2, the whole EAP packet) | type (1) | type data |
 *   codes: 1 Request, 2 Response (these two carry a type), 3 Success, 4 Failure
 *   types (RFC 3748 5): 1 Identity, 2 Notification, 3 Nak, 4 MD5-Challenge, 13 TLS, 21 TTLS, 25 PEAP ...
 * </pre>
 *
 * <p>The body ends where its length says (Ethernet pads short frames). Results:
 * {@link DecodeResult#TRUNCATED} when the EAPOL header, or an EAP packet's header and type, were not
 * captured; {@link DecodeResult#MALFORMED} when the EAP length is below its header or exceeds the
 * body; else OK. The type data (an identity) is what was captured of it, with
 * {@link DecodedFrame#optionsTruncated()} when the capture cut it. Allocates nothing; not thread-safe.
 */
final class EapolPacket {
    static final int HEADER_LENGTH = 4;
    static final int TYPE_EAP_PACKET = 0;
    static final int EAP_HEADER_LENGTH = 4;
    static final int EAP_REQUEST = 1;
    static final int EAP_RESPONSE = 2;

    /** Reads the EAPOL PDU in {@code buffer[offset, capturedEnd)}. */
    DecodeResult read(byte[] buffer, int offset, int capturedEnd, DecodedFrame out) {
        out.site.clear();
        if (capturedEnd - offset < HEADER_LENGTH) {
            return DecodeResult.TRUNCATED;
        }
        out.type = DecodedFrame.Type.EAPOL;
        out.site.eapolVersion = u8(buffer, offset);
        out.site.eapolType = u8(buffer, offset + 1);
        int bodyLength = u16(buffer, offset + 2);
        int body = offset + HEADER_LENGTH;
        if (out.site.eapolType != TYPE_EAP_PACKET) {
            return DecodeResult.OK; // Start and Logoff have no body; keys and alerts are not read
        }
        return readEap(buffer, body, body + bodyLength, Math.min(capturedEnd, body + bodyLength), out);
    }

    private static DecodeResult readEap(byte[] buffer, int offset, int bodyEnd, int capturedEnd, DecodedFrame out) {
        if (bodyEnd - offset < EAP_HEADER_LENGTH) {
            return DecodeResult.MALFORMED;
        }
        if (capturedEnd - offset < EAP_HEADER_LENGTH) {
            return DecodeResult.TRUNCATED;
        }
        int code = u8(buffer, offset);
        int length = u16(buffer, offset + 2);
        boolean typed = code == EAP_REQUEST || code == EAP_RESPONSE;
        if (length < EAP_HEADER_LENGTH + (typed ? 1 : 0) || offset + length > bodyEnd) {
            return DecodeResult.MALFORMED;
        }
        if (typed && capturedEnd - offset < EAP_HEADER_LENGTH + 1) {
            return DecodeResult.TRUNCATED;
        }
        out.site.eapCode = code;
        out.site.eapId = u8(buffer, offset + 1);
        if (typed) {
            out.site.eapType = u8(buffer, offset + EAP_HEADER_LENGTH);
            int data = offset + EAP_HEADER_LENGTH + 1;
            int dataEnd = offset + length;
            if (dataEnd > data) {
                out.site.eapDataOffset = data;
                out.site.eapDataLength = Math.min(dataEnd, capturedEnd) - data;
                out.site.optionsTruncated = dataEnd > capturedEnd;
            }
        }
        return DecodeResult.OK;
    }
}
