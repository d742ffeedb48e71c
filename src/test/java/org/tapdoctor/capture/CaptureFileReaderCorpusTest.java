package org.tapdoctor.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.tapdoctor.SharedPcaps;
import org.tapdoctor.capture.RecordingHandler.Frame;

/**
 * Differential test over every capture of the shared corpus: {@link CaptureFileReader} and
 * libpcap through pcap4j ({@link PcapFileSource}) must deliver the same frames - count, bytes,
 * captured and wire lengths, link type, timestamp in nanoseconds.
 *
 * <p>One known, legitimate difference is mapped before comparing: libpcap reports some link
 * types as its DLT_ values, not the file's LINKTYPE_ value; here LINKTYPE_RAW (101) comes back
 * as DLT_RAW (12 on Linux). Other differences libpcap would show (records longer than the
 * snaplen cut by libpcap; pcapng files whose interfaces have different link types, where libpcap
 * stops; Simple Packet Blocks, which libpcap stamps 0) do not occur in this corpus: the test
 * would fail and name the file if one appeared.
 */
class CaptureFileReaderCorpusTest {
    private static final int LINKTYPE_RAW = 101;
    private static final int DLT_RAW_LINUX = 12;

    @Test
    void shouldDeliverWhatLibpcapDeliversForEveryCorpusCapture() throws Exception {
        List<Path> files = captures(SharedPcaps.dir());
        assertTrue(files.size() >= 60, "captures found: " + files.size());
        CaptureFileReader reader = new CaptureFileReader();
        long total = 0;
        for (Path file : files) {
            RecordingHandler java = new RecordingHandler();
            RecordingHandler libpcap = new RecordingHandler();
            long javaCount = reader.read(file, java);
            long libpcapCount = PcapFileSource.replay(file, libpcap);
            assertEquals(libpcapCount, javaCount, file + ": frames");
            assertEquals(libpcap.frames.size(), java.frames.size(), file + ": frames handed over");
            for (int i = 0; i < java.frames.size(); i++) {
                Frame expected = libpcap.frames.get(i);
                Frame actual = java.frames.get(i);
                assertEquals(new Frame(expected.bytes(), expected.wireLength(), expected.timeNanos(),
                        asLinkType(expected.linkType()), expected.side()), actual, file + ": frame " + i);
            }
            total += javaCount;
        }
        assertTrue(total > 150_000, "frames compared: " + total);
    }

    /** The LINKTYPE_ value a file holds for the DLT_ value libpcap reports. */
    private static int asLinkType(int dlt) {
        return dlt == DLT_RAW_LINUX ? LINKTYPE_RAW : dlt;
    }

    static List<Path> captures(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().matches(".*\\.(pcap|pcapng|cap)$")).sorted().toList();
        }
    }
}
