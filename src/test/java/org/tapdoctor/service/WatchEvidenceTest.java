package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What watch --save-evidence writes: the box's names, in any arrival order, never a path from the network, never twice. */
class WatchEvidenceTest {
    static final String T = "tapdoctor/pi4-lab/evidence/";

    @Test
    void shouldNameEachPcapAsOnTheBoxWhicheverArrivesFirst(@TempDir Path dir) throws IOException {
        WatchEvidence w = new WatchEvidence(dir);
        assertEquals(List.of(), w.diagnosis("b-1", null), "a diagnosis without a pcap");
        w.diagnosis("b-2", "20261122T010933Z-refused-198.51.100.10-82.pcap");
        List<WatchEvidence.Saved> saved = w.evidence(T + "b-2", new byte[] {1, 2});
        assertEquals(dir.resolve("20261122T010933Z-refused-198.51.100.10-82.pcap"), saved.get(0).file());
        assertEquals(List.of(), w.evidence(T + "b-3", new byte[] {3}), "its diagnosis is not there yet");
        saved = w.diagnosis("b-3", "20261122T010934Z-reset-198.51.100.10-8443.pcap");
        assertArrayEquals(new byte[] {3}, Files.readAllBytes(saved.get(0).file()));
        assertEquals(List.of("20261122T010933Z-refused-198.51.100.10-82.pcap", "20261122T010934Z-reset-198.51.100.10-8443.pcap"),
                names(dir));
    }

    @Test
    void shouldSkipARedeliveryAndNumberADifferentFileUnderATakenName(@TempDir Path dir) throws IOException {
        WatchEvidence w = new WatchEvidence(dir);
        w.diagnosis("b-2", "x.pcap");
        assertEquals(false, w.evidence(T + "b-2", new byte[] {1}).get(0).duplicate());
        assertTrue(w.evidence(T + "b-2", new byte[] {1}).get(0).duplicate(), "at least once: the same bytes again");
        w.diagnosis("other-box-9", "x.pcap");
        assertEquals(dir.resolve("x-2.pcap"), w.evidence("tapdoctor/other/evidence/other-box-9", new byte[] {2}).get(0).file());
        assertEquals(List.of("x-2.pcap", "x.pcap"), names(dir));
    }

    @Test
    void shouldNeverTakeAPathFromTheNetwork(@TempDir Path dir) throws IOException {
        WatchEvidence w = new WatchEvidence(dir.resolve("saved"));
        for (String bad : List.of("../escape.pcap", "/etc/x.pcap", ".hidden.pcap", "a/b.pcap", "x.sh", "")) {
            assertNull(WatchEvidence.safe(bad), bad);
        }
        w.diagnosis("b-7", "../../escape.pcap");
        assertEquals(dir.resolve("saved/b-7.pcap"), w.evidence(T + "b-7", new byte[] {7}).get(0).file());
        assertEquals(List.of(), w.evidence(T + "..", new byte[] {8}));
        assertEquals(dir.resolve("saved/_...pcap"), w.flush().get(0).file(), "an id is cleaned too: never '..'");
        assertEquals(List.of("saved"), names(dir));
    }

    @Test
    void shouldSaveUnderTheIdWhatNoDiagnosisNamed(@TempDir Path dir) throws IOException {
        WatchEvidence w = new WatchEvidence(dir);
        for (int i = 0; i <= WatchEvidence.PENDING; i++) {
            List<WatchEvidence.Saved> s = w.evidence(T + "b-" + i, new byte[] {(byte) i});
            assertEquals(i < WatchEvidence.PENDING ? 0 : 1, s.size());
        }
        assertEquals(List.of("b-0.pcap"), names(dir), "the oldest waiting one, when too many wait");
        assertEquals(WatchEvidence.PENDING, w.flush().size(), "at exit, the others");
        assertEquals(WatchEvidence.PENDING + 1, names(dir).size());
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
