package org.tapdoctor.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;

/** Writes a capture file field by field, in a byte order that can change (as between pcapng sections). */
final class CaptureBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteOrder order;

    CaptureBytes(ByteOrder order) {
        this.order = order;
    }

    CaptureBytes order(ByteOrder newOrder) {
        order = newOrder;
        return this;
    }

    CaptureBytes u8(int v) {
        out.write(v);
        return this;
    }

    CaptureBytes u16(int v) {
        return order == ByteOrder.BIG_ENDIAN ? u8(v >>> 8).u8(v) : u8(v).u8(v >>> 8);
    }

    CaptureBytes u32(long v) {
        int i = (int) v;
        return order == ByteOrder.BIG_ENDIAN ? u16(i >>> 16).u16(i & 0xFFFF) : u16(i & 0xFFFF).u16(i >>> 16);
    }

    CaptureBytes u64(long v) {
        return order == ByteOrder.BIG_ENDIAN ? u32(v >>> 32).u32(v) : u32(v).u32(v >>> 32);
    }

    CaptureBytes bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    /** Zero bytes up to the next multiple of 4 (pcapng pads packet data and options so). */
    CaptureBytes pad4() {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    /** A recognisable frame of {@code n} bytes: byte i is {@code seed + i}. */
    static byte[] frame(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i);
        }
        return b;
    }
}
