package org.tapdoctor.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/**
 * {@link PcapNative}'s reads of libpcap's header and frame, on a capture file opened by libpcap
 * (pcap_next_ex serves a file as it serves a NIC: the same header, the frame behind a pointer):
 * every frame as the Java reader reads it, cut at the snaplen, and nothing allocated per frame.
 * A wrong offset in the header or a copy of the wrong length fails the comparison.
 */
class PcapNativeTest {
    private static final Path DEMO = Path.of("src/test/resources/demo/site-visit.pcap");

    @Test
    void shouldReadEveryFrameAsTheJavaReaderDoes() throws Exception {
        List<RecordingHandler.Frame> expected = javaReader();
        int n = 0;
        PcapHandle h = Pcaps.openOffline(DEMO.toString(), PcapHandle.TimestampPrecision.NANO);
        try {
            PcapNative pcap = new PcapNative(h, 65_535);
            int rc;
            while ((rc = pcap.next()) == PcapNative.FRAME) {
                RecordingHandler.Frame e = expected.get(n++);
                assertArrayEquals(e.bytes(), Arrays.copyOf(pcap.bytes(), pcap.captured()), "frame " + n);
                assertEquals(e.wireLength(), pcap.wire(), "wire length of frame " + n);
                assertEquals(e.timeNanos(), pcap.stampNanos(), "time of frame " + n);
            }
            assertEquals(PcapNative.BREAK, rc, "the end of a file is pcap_next_ex's -2");
        } finally {
            h.close();
        }
        assertEquals(expected.size(), n);
    }

    @Test
    void shouldCutFramesAtTheSnaplen() throws Exception {
        List<RecordingHandler.Frame> expected = javaReader();
        int snaplen = 60;
        int cut = 0;
        PcapHandle h = Pcaps.openOffline(DEMO.toString(), PcapHandle.TimestampPrecision.NANO);
        try {
            PcapNative pcap = new PcapNative(h, snaplen);
            for (RecordingHandler.Frame e : expected) {
                assertEquals(PcapNative.FRAME, pcap.next());
                int length = Math.min(e.bytes().length, snaplen);
                cut += e.bytes().length > snaplen ? 1 : 0;
                assertEquals(length, pcap.captured());
                assertArrayEquals(Arrays.copyOf(e.bytes(), length), Arrays.copyOf(pcap.bytes(), length));
                assertEquals(e.wireLength(), pcap.wire());
            }
        } finally {
            h.close();
        }
        assertTrue(cut > 100, "the demo has frames longer than " + snaplen + " bytes: " + cut);
    }

    @Test
    void shouldAllocateNothingPerFrame() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        long thread = Thread.currentThread().getId();
        long[] counts = new long[2];
        for (int round = 0; round < 5; round++) { // warm-up: class loading, JIT; the last round counts
            PcapHandle h = Pcaps.openOffline(DEMO.toString(), PcapHandle.TimestampPrecision.NANO);
            try {
                PcapNative pcap = new PcapNative(h, 640);
                long frames = 0;
                long before = threads.getThreadAllocatedBytes(thread);
                while (pcap.next() == PcapNative.FRAME) {
                    frames++;
                }
                counts[0] = frames;
                counts[1] = threads.getThreadAllocatedBytes(thread) - before;
            } finally {
                h.close();
            }
        }
        // one object per frame would be at least 16 bytes a frame
        assertTrue(counts[0] > 1000, counts[0] + " frames");
        assertTrue(counts[1] < 1024, counts[1] + " bytes allocated reading " + counts[0] + " frames (expected: < 1024)");
    }

    private static List<RecordingHandler.Frame> javaReader() throws Exception {
        RecordingHandler recorded = new RecordingHandler();
        new CaptureFileReader().read(DEMO, recorded);
        assertTrue(recorded.frames.size() > 1000, recorded.frames.size() + " frames in the demo");
        return recorded.frames;
    }
}
