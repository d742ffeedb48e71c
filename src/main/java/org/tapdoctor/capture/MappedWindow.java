package org.tapdoctor.capture;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A read-only memory-mapped view of a file that moves along it: {@link #at} makes a byte range
 * addressable in {@link #buffer()}, mapping a new window (at most {@code windowSize} bytes, or the
 * range itself if longer) only when the range is not in the current one. A file no bigger than
 * the window is mapped once; a bigger one costs one mapping per window, never one per record.
 *
 * <p>Caveats: a mapping is released by the garbage collector, not by {@link FileChannel#close};
 * a file truncated by another process while mapped makes reads past its new end fail with an
 * {@link InternalError} (SIGBUS), which the reader turns into a {@link CaptureException}. Not
 * thread-safe.
 */
final class MappedWindow {
    private final FileChannel channel;
    private final long fileSize;
    private final int windowSize;
    private ByteOrder order = ByteOrder.BIG_ENDIAN;
    private MappedByteBuffer buffer;
    private long start;
    private int limit;

    MappedWindow(FileChannel channel, long fileSize, int windowSize) {
        this.channel = channel;
        this.fileSize = fileSize;
        this.windowSize = windowSize;
    }

    /**
     * Maps {@code [position, position + length)} if needed and returns the index of
     * {@code position} in {@link #buffer()}. The caller has checked that the range is in the file.
     */
    int at(long position, int length) throws IOException {
        long relative = position - start;
        if (buffer != null && relative >= 0 && relative + length <= limit) {
            return (int) relative;
        }
        int size = (int) Math.min(Math.max(windowSize, length), fileSize - position);
        buffer = channel.map(FileChannel.MapMode.READ_ONLY, position, size);
        buffer.order(order);
        start = position;
        limit = size;
        return 0;
    }

    MappedByteBuffer buffer() {
        return buffer;
    }

    /** Sets the byte order of multi-byte reads, now and for later windows. */
    void order(ByteOrder newOrder) {
        order = newOrder;
        if (buffer != null) {
            buffer.order(newOrder);
        }
    }

    ByteOrder order() {
        return order;
    }

    long fileSize() {
        return fileSize;
    }
}
