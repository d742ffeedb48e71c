package org.tapdoctor.wire;

import static org.tapdoctor.wire.Bytes.u16;
import static org.tapdoctor.wire.Bytes.u8;

/**
 * Flyweight over a DNS message header and its first question in a {@code byte[]} (RFC 1035
 * sections 4.1.1 and 4.1.2), read in place.
 *
 * <pre>
 *                                 1  1  1  1  1  1
 *   0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |                      ID                       |
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |QR|   Opcode  |AA|TC|RD|RA|   Z    |   RCODE   |
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |                    QDCOUNT                    |
 * |                    ANCOUNT                    |
 * |                    NSCOUNT                    |
 * |                    ARCOUNT                    |
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |          QNAME: labels, then a zero byte      |
 * |                     QTYPE                     |
 * |                     QCLASS                    |
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * </pre>
 *
 * Not thread-safe; one instance is reused for every frame.
 */
final class DnsHeader {
    static final int ID_OFFSET = 0;
    static final int FLAGS_OFFSET = 2;
    static final int QUESTION_COUNT_OFFSET = 4;
    static final int ANSWER_COUNT_OFFSET = 6;
    static final int HEADER_LENGTH = 12;
    /** RFC 1035 section 3.1: a name is at most 255 bytes in wire form. */
    static final int MAX_NAME_LENGTH = 255;
    private static final int LABEL_TYPE_MASK = 0xC0;
    /** RFC 1035 section 4.1.4: the top two bits set mark a 14-bit compression pointer. */
    private static final int POINTER = 0xC0;
    private static final int QTYPE_LENGTH = 2;

    private byte[] buffer;
    private int offset;
    private int capturedEnd;

    /**
     * Sets the view on the message at {@code offset}.
     *
     * @return {@link DecodeResult#TRUNCATED} when the 12-byte header was not captured, else OK
     */
    DecodeResult wrap(byte[] buffer, int offset, int capturedEnd) {
        this.buffer = buffer;
        this.offset = offset;
        this.capturedEnd = capturedEnd;
        return capturedEnd - offset < HEADER_LENGTH ? DecodeResult.TRUNCATED : DecodeResult.OK;
    }

    int id() {
        return u16(buffer, offset + ID_OFFSET);
    }

    int flags() {
        return u16(buffer, offset + FLAGS_OFFSET);
    }

    int questionCount() {
        return u16(buffer, offset + QUESTION_COUNT_OFFSET);
    }

    int answerCount() {
        return u16(buffer, offset + ANSWER_COUNT_OFFSET);
    }

    /** Offset in the buffer of the first question's name. */
    int questionNameOffset() {
        return offset + HEADER_LENGTH;
    }

    /**
     * Length in wire form of the first question's name, including the terminating zero byte or the
     * two bytes of a compression pointer that ends it; -1 when the name runs past the captured
     * bytes, uses a reserved label type or exceeds 255 bytes.
     */
    int questionNameLength() {
        int start = questionNameOffset();
        int p = start;
        while (p < capturedEnd && p - start < MAX_NAME_LENGTH) {
            int label = u8(buffer, p);
            if (label == 0) {
                return p + 1 - start;
            }
            int labelType = label & LABEL_TYPE_MASK;
            if (labelType == POINTER) {
                return p + 2 <= capturedEnd ? p + 2 - start : -1;
            }
            if (labelType != 0) {
                return -1;
            }
            p += 1 + label;
        }
        return -1;
    }

    /** QTYPE of the first question whose name is {@code nameLength} long, or -1 when not captured. */
    int questionType(int nameLength) {
        int p = questionNameOffset() + nameLength;
        return p + QTYPE_LENGTH <= capturedEnd ? u16(buffer, p) : -1;
    }
}
