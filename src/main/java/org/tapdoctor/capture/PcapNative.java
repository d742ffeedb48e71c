package org.tapdoctor.capture;

import java.lang.reflect.Field;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import org.pcap4j.core.PcapHandle;

import sun.misc.Unsafe;

/**
 * libpcap's {@code pcap_next_ex} called directly on a pcap4j handle, so that reading a frame
 * allocates nothing: pcap4j's own loops hand each frame over as a new {@code byte[]}, its time as a
 * {@code java.sql.Timestamp} and its length as an {@code Integer} (three objects per frame, about
 * 120 bytes plus the frame). Here the header and data pointers land in memory allocated once, a
 * reused array receives the bytes. The pointers, the header's fields and the bytes are read with
 * {@code sun.misc.Unsafe} (as Agrona reads native memory), not through JNA's {@code Pointer}: each
 * of those is a JNI call (seven per frame), the Unsafe reads are compiled to plain loads and a copy
 * (reading a capture file's 834,101 frames through libpcap: 220 against 145 ns per frame).
 *
 * <p>pcap4j still opens, filters and closes the handle; only the read is ours. The pcap_t pointer
 * is pcap4j's private field {@code handle} (read once, by reflection: pcap4j 1.8.2 has no getter).
 * {@code struct pcap_pkthdr} is read as on LP64 Linux (libpcap's pcap/pcap.h): a {@code struct
 * timeval} of two longs (the second holding nanoseconds, the handle being opened with nanosecond
 * precision), then caplen and len as 32-bit integers.
 */
final class PcapNative {
    /** pcap_next_ex's results (pcap/pcap.h): a frame, none ready (non-blocking), error, pcap_breakloop. */
    static final int FRAME = 1, NONE = 0, ERROR = -1, BREAK = -2;
    private static final int CAPLEN_OFFSET = 16, LEN_OFFSET = 20;

    static {
        Native.register(PcapNative.class, NativeLibrary.getInstance("pcap"));
    }

    private static native int pcap_next_ex(Pointer pcap, Pointer headerOut, Pointer dataOut);

    private static native int pcap_fileno(Pointer pcap);

    /** The handle's socket descriptor ({@code pcap_fileno}), -1 if it has none. */
    static int fileno(Pointer pcap) {
        return pcap_fileno(pcap);
    }

    private static final Unsafe UNSAFE = unsafe();
    private static final long BYTES_BASE = Unsafe.ARRAY_BYTE_BASE_OFFSET;

    private final Pointer pcap;
    /** Where pcap_next_ex writes its two pointers: {@code struct pcap_pkthdr *} then {@code const u_char *}. */
    private final Memory out = new Memory(2L * Native.POINTER_SIZE);
    private final Pointer dataOut = out.share(Native.POINTER_SIZE);
    /** {@link #out}'s address: the memory stays allocated as long as this object holds it. */
    private final long outAddress = Pointer.nativeValue(out);
    private final byte[] bytes;
    private int captured, wire;
    private long stampNanos;

    PcapNative(PcapHandle handle, int snaplen) {
        if (Native.POINTER_SIZE != 8 || Native.LONG_SIZE != 8) {
            throw new IllegalStateException("pcap_next_ex is read as on LP64 Linux only");
        }
        this.pcap = pcapPointer(handle);
        this.bytes = new byte[snaplen];
    }

    static Pointer pcapPointer(PcapHandle handle) {
        try {
            Field f = PcapHandle.class.getDeclaredField("handle");
            f.setAccessible(true);
            return (Pointer) f.get(handle);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this pcap4j has no pcap_t field 'handle': " + e, e);
        }
    }

    /** Reads the next frame: {@link #FRAME} (then {@link #bytes()} etc. hold it), {@link #NONE}, {@link #ERROR} or {@link #BREAK}. */
    int next() {
        int rc = pcap_next_ex(pcap, out, dataOut);
        if (rc != FRAME) {
            return rc;
        }
        // Never read past what libpcap gave: the header's 24 bytes, then caplen bytes of the frame
        long header = UNSAFE.getLong(outAddress);
        long data = UNSAFE.getLong(outAddress + Native.POINTER_SIZE);
        stampNanos = UNSAFE.getLong(header) * 1_000_000_000L + UNSAFE.getLong(header + 8);
        captured = Math.min(UNSAFE.getInt(header + CAPLEN_OFFSET), bytes.length);
        wire = UNSAFE.getInt(header + LEN_OFFSET);
        UNSAFE.copyMemory(null, data, bytes, BYTES_BASE, captured);
        return FRAME;
    }

    private static Unsafe unsafe() {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this JVM has no sun.misc.Unsafe: " + e, e);
        }
    }

    /** The last frame's bytes, valid until the next {@link #next()}. */
    byte[] bytes() { return bytes; }
    int captured() { return captured; }
    int wire() { return wire; }
    /** The kernel's receive time, nanoseconds since the epoch. */
    long stampNanos() { return stampNanos; }
}
