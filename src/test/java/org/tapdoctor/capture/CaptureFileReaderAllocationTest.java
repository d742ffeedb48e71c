package org.tapdoctor.capture;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks that {@link CaptureFileReader} allocates nothing per frame, by the JVM's per-thread
 * allocation counter, for pcap and pcapng files of 100,000 frames read into a no-op handler.
 *
 * <p>A read has a fixed cost that does not depend on the number of frames: the file channel, the
 * mapping, the path checks (about 950 bytes here). That cost is measured on a file of
 * one frame of the same format and subtracted, after warm-up (class loading, JIT) of both; what
 * remains is what the 99,999 other frames allocated, which must be under 1 KB - one allocation
 * per frame would be at least 1.6 MB.
 */
class CaptureFileReaderAllocationTest {
    private static final int FRAMES = 100_000;
    private static final long MAX_BYTES = 1024;

    @TempDir
    Path dir;

    @Test
    void shouldAllocateNothingPerFrameInPcap() throws Exception {
        assertNothingPerFrame(pcap(FRAMES), pcap(1));
    }

    @Test
    void shouldAllocateNothingPerFrameInPcapng() throws Exception {
        assertNothingPerFrame(pcapng(FRAMES), pcapng(1));
    }

    private static void assertNothingPerFrame(Path big, Path small) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation counting not supported");
        threads.setThreadAllocatedMemoryEnabled(true);
        long thread = Thread.currentThread().getId();
        CaptureFileReader reader = new CaptureFileReader();
        long[] sink = {0};
        FrameHandler noOp = (frame, length, wireLength, timeNanos, linkType, side) -> sink[0] += length;

        for (int i = 0; i < 5; i++) { // warm-up: class loading, JIT, the frame array sized
            reader.read(big, noOp);
            reader.read(small, noOp);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        reader.read(small, noOp);
        long fixed = threads.getThreadAllocatedBytes(thread) - before;
        before = threads.getThreadAllocatedBytes(thread);
        long frames = reader.read(big, noOp);
        long whole = threads.getThreadAllocatedBytes(thread) - before;

        assertEquals(FRAMES, frames);
        assertTrue(whole - fixed < MAX_BYTES, whole + " bytes allocated by a read of " + FRAMES + " frames, " + fixed
                + " by a read of 1 frame: " + (whole - fixed) + " for the other frames (expected: < " + MAX_BYTES + ")");
    }

    private Path pcap(int frames) throws Exception {
        CaptureBytes b = CaptureFileReaderTest.pcapHeader(LITTLE_ENDIAN, 0xA1B2C3D4, 1);
        for (int i = 0; i < frames; i++) {
            CaptureFileReaderTest.pcapRecord(b, 1_700_000_000L + i / 100_000, i % 1_000_000, CaptureBytes.frame(54 + i % 43, i), 1514);
        }
        return write("pcap-" + frames, b);
    }

    private Path pcapng(int frames) throws Exception {
        CaptureBytes b = CaptureFileReaderTest.shb(new CaptureBytes(LITTLE_ENDIAN));
        CaptureFileReaderTest.idb(b, 1, 96, -1);
        CaptureFileReaderTest.idb(b, 101, 96, 9);
        for (int i = 0; i < frames; i++) {
            CaptureFileReaderTest.epb(b, i & 1, 1_700_000_000_000_000L + i * 20L, CaptureBytes.frame(54 + i % 43, i), 1514);
        }
        return write("pcapng-" + frames, b);
    }

    private Path write(String name, CaptureBytes b) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, b.toByteArray());
        return file;
    }
}
