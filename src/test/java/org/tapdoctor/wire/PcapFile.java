package org.tapdoctor.wire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A minimal reader of classic pcap files (not pcapng) for tests: the whole file in one array,
 * records handed over in place. Format: https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-03.html
 *
 * <pre>
 * file header (24 bytes): magic (0) | major (4) | minor (6) | reserved (8) | reserved (12) | snaplen (16) | link type (20)
 * record header (16 bytes): seconds (0) | micro- or nanoseconds (4) | captured length (8) | original length (12)
 * </pre>
 */
final class PcapFile {
    private static final int FILE_HEADER_LENGTH = 24;
    private static final int RECORD_HEADER_LENGTH = 16;
    private static final int MAGIC_MICROS = 0xA1B2C3D4;
    private static final int MAGIC_NANOS = 0xA1B23C4D;

    /** Receives one record: its bytes are {@code buffer[offset, offset + capturedLength)}. */
    interface RecordHandler {
        void onRecord(byte[] buffer, int offset, int capturedLength, int linkType);
    }

    private final byte[] bytes;
    private final boolean bigEndian;
    private final int linkType;

    PcapFile(Path path) throws IOException {
        bytes = Files.readAllBytes(path);
        if (bytes.length < FILE_HEADER_LENGTH) {
            throw new IOException(path + ": incomplete header: " + bytes.length + " bytes (expected: 24+ bytes)");
        }
        int magic = readInt(0, true);
        if (magic == MAGIC_MICROS || magic == MAGIC_NANOS) {
            bigEndian = true;
        } else if (Integer.reverseBytes(magic) == MAGIC_MICROS || Integer.reverseBytes(magic) == MAGIC_NANOS) {
            bigEndian = false;
        } else {
            throw new IOException(path + ": not a pcap file: magic 0x" + Integer.toHexString(magic)
                    + " (expected: 0xa1b2c3d4 or 0xa1b23c4d in either byte order)");
        }
        // The FCS-present bits (28-31) share the link type field; keep the type only.
        linkType = readInt(20, bigEndian) & 0x0FFF_FFFF;
    }

    int linkType() {
        return linkType;
    }

    /** Hands every complete record to {@code handler}; returns how many there were. */
    int forEach(RecordHandler handler) {
        int count = 0;
        int p = FILE_HEADER_LENGTH;
        while (bytes.length - p >= RECORD_HEADER_LENGTH) {
            int capturedLength = readInt(p + 8, bigEndian);
            int data = p + RECORD_HEADER_LENGTH;
            if (capturedLength < 0 || capturedLength > bytes.length - data) {
                break; // file cut inside a record
            }
            handler.onRecord(bytes, data, capturedLength, linkType);
            count++;
            p = data + capturedLength;
        }
        return count;
    }

    private int readInt(int at, boolean bigEndianOrder) {
        int value = ((bytes[at] & 0xFF) << 24) | ((bytes[at + 1] & 0xFF) << 16) | ((bytes[at + 2] & 0xFF) << 8)
                | (bytes[at + 3] & 0xFF);
        return bigEndianOrder ? value : Integer.reverseBytes(value);
    }
}
