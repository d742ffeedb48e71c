package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Severity;

class OutboxTest {
    private long seq;

    private Outbox.Entry entry(Severity s) {
        long n = seq++;
        return new Outbox.Entry(n, s, "k", "id" + n, "{}", 0);
    }

    private static List<Long> drain(Outbox o) {
        List<Long> out = new ArrayList<>();
        Outbox.Entry e;
        while ((e = o.next()) != null) {
            out.add(e.seq);
            o.delivered(e, e.attempt);
        }
        return out;
    }

    @Test
    void shouldSendOldestFirstAcrossSeverities() {
        Outbox o = new Outbox(10, false);
        o.offer(entry(Severity.INFO));
        o.offer(entry(Severity.CRITICAL));
        o.offer(entry(Severity.WARNING));
        o.offer(entry(Severity.CRITICAL));
        assertEquals(List.of(0L, 1L, 2L, 3L), drain(o));
        assertEquals(0, o.size());
        assertEquals(4, o.deliveredCount());
    }

    @Test
    void shouldDropTheOldestOfTheLowestSeverityFirst() {
        Outbox o = new Outbox(3, false);
        o.offer(entry(Severity.CRITICAL)); // 0
        o.offer(entry(Severity.WARNING)); // 1
        o.offer(entry(Severity.INFO)); // 2
        assertTrue(o.offer(entry(Severity.CRITICAL))); // 3 evicts info 2
        assertTrue(o.offer(entry(Severity.WARNING))); // 4 evicts warning 1
        assertTrue(o.offer(entry(Severity.CRITICAL))); // 5 evicts warning 4
        assertFalse(o.offer(entry(Severity.WARNING)), "a warning does not push out criticals"); // 6 dropped
        assertTrue(o.offer(entry(Severity.CRITICAL))); // 7 evicts critical 0, the oldest
        assertEquals(5, o.dropped());
        assertEquals(List.of(3L, 5L, 7L), drain(o));
    }

    @Test
    void shouldPutUnacknowledgedEntriesBackInOrderWhenTheConnectionIsLost() {
        Outbox o = new Outbox(10, false);
        for (int i = 0; i < 4; i++) {
            o.offer(entry(Severity.CRITICAL));
        }
        Outbox.Entry a = o.next(), b = o.next(), c = o.next();
        o.delivered(b, b.attempt);
        assertEquals(2, o.inflight());
        o.retryAll();
        assertEquals(0, o.inflight());
        o.delivered(a, 1); // a late acknowledgement of an attempt already given up: ignored
        assertEquals(List.of(0L, 2L, 3L), drain(o));
        assertEquals(2, a.attempt);
        assertEquals(0, o.size());
        assertTrue(c.done);
    }

    @Test
    void shouldNotEvictEntriesInFlightAndDropTheNewcomerInstead() {
        Outbox o = new Outbox(2, false);
        o.offer(entry(Severity.INFO));
        o.offer(entry(Severity.INFO));
        o.next();
        o.next();
        assertFalse(o.offer(entry(Severity.CRITICAL)));
        assertEquals(1, o.dropped());
    }

    @Test
    void shouldSendOnlyJournaledEntriesAndReportDoneIndexes() {
        Outbox o = new Outbox(2, true);
        o.offer(entry(Severity.WARNING));
        assertNull(o.next(), "not on disk yet");
        List<Outbox.Entry> fresh = o.takeUnjournaled();
        o.journaled(fresh, new long[] {7});
        Outbox.Entry e = o.next();
        o.delivered(e, e.attempt);
        o.offer(entry(Severity.INFO));
        o.takeUnjournaled().forEach(x -> o.journaled(List.of(x), new long[] {8}));
        o.offer(entry(Severity.WARNING));
        o.offer(entry(Severity.WARNING)); // full: evicts the journaled info 8
        assertArrayEquals(new long[] {7, 8}, o.takeDoneIndexes());
        assertEquals(2, o.takeUnjournaled().size());
    }
}
