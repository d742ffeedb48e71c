package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evidence outbox: its own byte budget (oldest dropped first, never one in flight), each pcap
 * after its diagnosis, retries, and the journal directory: forced files under their final names
 * only, deleted once delivered, recovered at open in order and after their recovered diagnosis.
 */
class EvidenceOutboxTest {

    static byte[] bytes(int n, int b) {
        byte[] x = new byte[n];
        java.util.Arrays.fill(x, (byte) b);
        return x;
    }

    @Test
    void shouldSendEachPcapOnlyOnceItsDiagnosisIsDone() throws IOException {
        EvidenceOutbox o = EvidenceOutbox.inMemory(1000);
        o.add("d-5", 5, bytes(10, 5));
        o.add("d-9", 9, bytes(10, 9));
        assertNull(o.next(5), "diagnosis 5 still waits in the outbox");
        EvidenceOutbox.Entry e = o.next(6);
        assertEquals("d-5", e.id);
        assertNull(o.next(6), "d-9 waits for diagnosis 9");
        o.retry(e, e.attempt);
        assertEquals("d-5", o.next(Long.MAX_VALUE).id, "retried in its place");
        assertEquals("d-9", o.next(Long.MAX_VALUE).id);
        assertEquals(2, o.inflight());
    }

    @Test
    void shouldKeepToItsBudgetDroppingTheOldestWaiting() throws IOException {
        EvidenceOutbox o = EvidenceOutbox.inMemory(100);
        assertTrue(o.add("a", 1, bytes(40, 1)));
        assertTrue(o.add("b", 2, bytes(40, 2)));
        EvidenceOutbox.Entry a = o.next(Long.MAX_VALUE);
        assertTrue(o.add("c", 3, bytes(40, 3)), "b goes: a is in flight");
        assertEquals(1, o.dropped());
        assertEquals(80, o.waitingBytes());
        assertFalse(o.add("huge", 4, bytes(101, 4)), "larger than the whole budget: the newcomer goes");
        assertFalse(o.add("c", -1, bytes(40, 3)), "already waiting");
        assertEquals(2, o.dropped());
        o.delivered(a, a.attempt);
        assertEquals(1, o.deliveredCount());
        assertEquals("c", o.next(Long.MAX_VALUE).id);
        assertEquals(0, o.next(Long.MAX_VALUE) == null ? 0 : 1);
    }

    @Test
    void shouldPutInFlightPcapsBackWhenTheConnectionIsLost() throws IOException {
        EvidenceOutbox o = EvidenceOutbox.inMemory(1000);
        o.add("a", 1, bytes(10, 1));
        EvidenceOutbox.Entry first = o.next(Long.MAX_VALUE);
        o.retryAll();
        EvidenceOutbox.Entry again = o.next(Long.MAX_VALUE);
        assertEquals("a", again.id);
        o.delivered(first, 1);
        assertEquals(0, o.deliveredCount(), "the first attempt's late acknowledgement does not count");
        o.delivered(again, again.attempt);
        assertEquals(1, o.deliveredCount());
        assertEquals(0, o.size());
    }

    @Test
    void shouldJournalForcedFilesAndRecoverThemInOrderAfterTheirDiagnoses(@TempDir Path dir) throws IOException {
        Path ev = dir.resolve("evidence");
        EvidenceOutbox o = EvidenceOutbox.open(1 << 20, ev, Map.of());
        o.add("box-x-3", 3, bytes(100, 3));
        o.add("box-x-4", 4, bytes(200, 4));
        o.add("box-x-7", 7, bytes(300, 7));
        assertEquals(List.of("000000000000-box-x-3.pcap", "000000000001-box-x-4.pcap", "000000000002-box-x-7.pcap"),
                names(ev));
        EvidenceOutbox.Entry e = o.next(Long.MAX_VALUE);
        assertNull(e.bytes, "journaled: read back when sent");
        assertArrayEquals(bytes(100, 3), EvidenceOutbox.bytes(e));
        o.delivered(e, e.attempt);
        o.deleteFinished();
        assertEquals(2, names(ev).size(), "delivered: its file is gone");
        Files.writeString(ev.resolve(".000000000003-box-x-9.pcap.tmp"), "half"); // a crash in the middle of a write

        // the next start: box-x-7's diagnosis was recovered as sequence 0, box-x-4's was delivered before the crash
        EvidenceOutbox r = EvidenceOutbox.open(1 << 20, ev, Map.of("box-x-7", 0L));
        assertEquals(List.of("box-x-4", "box-x-7"), r.waitingIds());
        assertFalse(Files.exists(ev.resolve(".000000000003-box-x-9.pcap.tmp")), "half-written files are deleted");
        EvidenceOutbox.Entry four = r.next(0);
        assertEquals("box-x-4", four.id, "its diagnosis is done: it may go");
        assertNull(r.next(0), "box-x-7 waits for its recovered diagnosis");
        assertArrayEquals(bytes(300, 7), EvidenceOutbox.bytes(r.next(1)));
        r.add("box-y-0", 1, bytes(10, 0));
        assertTrue(names(ev).contains("000000000003-box-y-0.pcap"), "numbering goes on after the recovered ones");
    }

    @Test
    void shouldDeleteTheFilesOfDroppedPcaps(@TempDir Path dir) throws IOException {
        EvidenceOutbox o = EvidenceOutbox.open(250, dir, Map.of());
        o.add("a", 1, bytes(100, 1));
        o.add("b", 2, bytes(100, 2));
        o.add("c", 3, bytes(100, 3));
        assertEquals(List.of("000000000001-b.pcap", "000000000002-c.pcap"), names(dir));
        assertEquals(1, o.dropped());
        EvidenceOutbox tight = EvidenceOutbox.open(150, dir, Map.of());
        assertEquals(List.of("c"), tight.waitingIds(), "a smaller budget at the next start keeps the newest");
        assertEquals(List.of("000000000002-c.pcap"), names(dir));
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
