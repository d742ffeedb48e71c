package org.tapdoctor.wire;

import java.util.Arrays;

/** Builds a frame byte by byte for tests; big-endian like the wire. */
final class FrameBuilder {
    private byte[] bytes = new byte[128];
    private int size;

    FrameBuilder u8(int value) {
        if (size == bytes.length) {
            bytes = Arrays.copyOf(bytes, size * 2);
        }
        bytes[size++] = (byte) value;
        return this;
    }

    FrameBuilder u16(int value) {
        return u8(value >>> 8).u8(value);
    }

    FrameBuilder u32(long value) {
        return u16((int) (value >>> 16)).u16((int) value);
    }

    FrameBuilder u48(long value) {
        return u16((int) (value >>> 32)).u32(value);
    }

    /** An IPv4 address in dotted-quad form. */
    FrameBuilder ipv4(String dottedQuad) {
        for (String part : dottedQuad.split("\\.")) {
            u8(Integer.parseInt(part));
        }
        return this;
    }

    /** An IPv6 address as text. */
    FrameBuilder ipv6(String text) {
        long[] a = IpAddresses.parse(text);
        return u32(a[0] >>> 32).u32(a[0]).u32(a[1] >>> 32).u32(a[1]);
    }

    FrameBuilder bytes(int... values) {
        for (int v : values) {
            u8(v);
        }
        return this;
    }

    FrameBuilder zeros(int count) {
        for (int i = 0; i < count; i++) {
            u8(0);
        }
        return this;
    }

    /** A DNS name in wire form: one length-prefixed label per dot-separated part, then a zero byte. */
    FrameBuilder dnsName(String name) {
        for (String label : name.split("\\.")) {
            u8(label.length());
            for (char c : label.toCharArray()) {
                u8(c);
            }
        }
        return u8(0);
    }

    int position() {
        return size;
    }

    FrameBuilder patch16(int at, int value) {
        bytes[at] = (byte) (value >>> 8);
        bytes[at + 1] = (byte) value;
        return this;
    }

    /** Patches a 24-bit length (TLS handshake headers) written earlier, e.g. as {@code u8(0).u16(0)}. */
    FrameBuilder patch24(int at, int value) {
        bytes[at] = (byte) (value >>> 16);
        return patch16(at + 1, value);
    }

    /** ASCII text, byte by byte (host names, HTTP requests). */
    FrameBuilder ascii(String text) {
        for (char c : text.toCharArray()) {
            u8(c);
        }
        return this;
    }

    byte[] build() {
        return Arrays.copyOf(bytes, size);
    }
}
