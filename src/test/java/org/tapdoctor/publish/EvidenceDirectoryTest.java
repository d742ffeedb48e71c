package org.tapdoctor.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.capture.PcapWriter;
import org.tapdoctor.wire.LinkTypes;

class EvidenceDirectoryTest {
    private static final int MAX_FILES = 20;
    private static final long MAX_BYTES = 64 * 1024;

    @TempDir
    Path dir;

    private static List<EvidenceDirectory.Frame> frames(int count, int bytes) {
        List<EvidenceDirectory.Frame> l = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            l.add(new EvidenceDirectory.Frame(new byte[bytes], bytes, i));
        }
        return l;
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void shouldNeverExceedItsLimitsAndDeleteTheOldestFirst() throws IOException {
        EvidenceDirectory d = new EvidenceDirectory(dir, MAX_FILES, MAX_BYTES);
        SplittableRandom random = new SplittableRandom(42);
        List<String> written = new ArrayList<>();
        for (int k = 0; k < 500; k++) {
            String name = d.write(String.format("f%04d", k), LinkTypes.ETHERNET, frames(random.nextInt(0, 40), 60 + random.nextInt(0, 200)));
            written.add(name);
            List<Path> files = listing();
            long bytes = 0;
            for (Path p : files) {
                bytes += Files.size(p);
            }
            assertTrue(files.size() <= MAX_FILES, files.size() + " files after write " + k);
            assertTrue(bytes <= MAX_BYTES, bytes + " bytes after write " + k);
            assertEquals(bytes, d.totalBytes());
            // what is left is the newest files, in one piece
            List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
            assertEquals(written.subList(written.size() - names.size(), written.size()), names, "after write " + k);
        }
    }

    @Test
    void shouldCutAFileToTheByteLimitKeepingTheFirstFrames() throws IOException {
        EvidenceDirectory d = new EvidenceDirectory(dir, MAX_FILES, MAX_BYTES);
        String name = d.write("big", LinkTypes.ETHERNET, frames(1000, 1000));
        long size = Files.size(dir.resolve(name));
        assertEquals(PcapWriter.fileLength(64, 64 * 1000), size);
        assertTrue(size <= MAX_BYTES);
    }

    @Test
    void shouldNotOverwriteAFileOfTheSameName() throws IOException {
        EvidenceDirectory d = new EvidenceDirectory(dir, MAX_FILES, MAX_BYTES);
        assertEquals("x.pcap", d.write("x", LinkTypes.ETHERNET, frames(1, 60)));
        assertEquals("x-2.pcap", d.write("x", LinkTypes.ETHERNET, frames(1, 60)));
        assertEquals("x-3.pcap", d.write("x", LinkTypes.ETHERNET, frames(1, 60)));
        assertThrows(IllegalArgumentException.class, () -> d.write("../escape", LinkTypes.ETHERNET, frames(1, 60)));
    }

    @Test
    void shouldTakeStockAtStartAndRemoveLeftoverTemporaries() throws IOException {
        EvidenceDirectory first = new EvidenceDirectory(dir, MAX_FILES, MAX_BYTES);
        for (int k = 0; k < 5; k++) {
            first.write("a" + k, LinkTypes.ETHERNET, frames(2, 100));
        }
        Files.write(dir.resolve(".a9.pcap.tmp"), new byte[10]);
        EvidenceDirectory again = new EvidenceDirectory(dir, 3, MAX_BYTES);
        assertEquals(3, again.fileCount());
        assertEquals(3, listing().size());
        assertTrue(listing().stream().noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }
}
