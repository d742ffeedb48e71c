package org.tapdoctor.publish.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.tapdoctor.diagnose.Severity;

/**
 * The bounded buffer between the engine thread and the MQTT publisher: diagnoses wait here,
 * oldest first, until the broker acknowledges them. {@link #offer} never waits on anything but
 * this object's lock, which the publisher holds only for a few map operations.
 *
 * <p>An entry is <em>pending</em> (waiting to be sent), <em>in flight</em> (sent, not yet
 * acknowledged) or done (acknowledged, or dropped). The bound counts pending and in-flight
 * entries. When a new entry finds the outbox full, the oldest pending entry of the lowest severity
 * present goes (info before warning before critical); when the new entry is itself of the lowest
 * severity present and none of that severity waits, the new entry goes. Every drop is counted.
 * A lost connection puts the in-flight entries back in front (they may then arrive twice: ids let
 * consumers drop duplicates).
 *
 * <p>With a journal, an entry is sent only once the publisher has written it to the journal, and
 * the journal indexes of delivered or dropped entries are handed back to be marked done there.
 *
 * <p>Caveats: thread-safe (one lock); sequence numbers order the entries and are given by the
 * caller, increasing.
 */
final class Outbox {

    /** One diagnosis on its way. Fields other than the final ones are guarded by the outbox's lock. */
    static final class Entry {
        final long seq;
        final Severity severity;
        final String kind;
        final String id;
        final String payload;
        /** When the sink was handed the diagnosis (its clock, ms): what the health counts from. */
        final long decidedMillis;
        long journalIndex = -1;
        int attempt;
        boolean inflight;
        boolean done;

        Entry(long seq, Severity severity, String kind, String id, String payload, long decidedMillis) {
            this.seq = seq;
            this.severity = severity;
            this.kind = kind;
            this.id = id;
            this.payload = payload;
            this.decidedMillis = decidedMillis;
        }
    }

    private final int capacity;
    private final boolean journaled;
    /** Pending entries by severity ordinal (CRITICAL, WARNING, INFO), each keyed by sequence. */
    @SuppressWarnings("unchecked")
    private final TreeMap<Long, Entry>[] pending = new TreeMap[] {new TreeMap<>(), new TreeMap<>(), new TreeMap<>()};
    private final List<Entry> unjournaled = new ArrayList<>();
    private final List<Long> doneIndexes = new ArrayList<>();
    private int size;
    /** In-flight entries by sequence. */
    private final TreeMap<Long, Entry> inflight = new TreeMap<>();
    private long dropped;
    private long delivered;

    Outbox(int capacity, boolean journaled) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
        this.journaled = journaled;
    }

    /** Adds an entry (dropping one when full); false when the new entry itself was dropped. */
    synchronized boolean offer(Entry e) {
        if (size >= capacity && !evictFor(e)) {
            dropped++;
            return false;
        }
        pending[e.severity.ordinal()].put(e.seq, e);
        size++;
        if (journaled && e.journalIndex < 0) {
            unjournaled.add(e);
        }
        notifyAll();
        return true;
    }

    /** Drops the oldest pending entry of the lowest severity present; false when the newcomer should go instead. */
    private boolean evictFor(Entry newcomer) {
        for (int sev = pending.length - 1; sev >= 0; sev--) {
            Map.Entry<Long, Entry> oldest = pending[sev].pollFirstEntry();
            if (oldest != null) {
                finish(oldest.getValue());
                dropped++;
                return true;
            }
            if (newcomer.severity.ordinal() == sev) {
                return false;
            }
        }
        return false;
    }

    private void finish(Entry e) {
        e.done = true;
        size--;
        if (e.journalIndex >= 0) {
            doneIndexes.add(e.journalIndex);
        }
    }

    /** Entries to write to the journal, in order (dropped ones are left out); the caller sets their index. */
    synchronized List<Entry> takeUnjournaled() {
        List<Entry> out = new ArrayList<>(unjournaled.size());
        for (Entry e : unjournaled) {
            if (!e.done) {
                out.add(e);
            }
        }
        unjournaled.clear();
        return out;
    }

    /** Records journal indexes set outside the lock; an entry finished meanwhile is marked done at once. */
    synchronized void journaled(List<Entry> entries, long[] indexes) {
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            e.journalIndex = indexes[i];
            if (e.done) {
                doneIndexes.add(e.journalIndex);
            }
        }
    }

    /** Journal indexes of entries delivered or dropped since the last call. */
    synchronized long[] takeDoneIndexes() {
        long[] out = new long[doneIndexes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = doneIndexes.get(i);
        }
        doneIndexes.clear();
        return out;
    }

    /** The oldest pending entry that may be sent, now in flight with a new attempt number; null when none. */
    synchronized Entry next() {
        Entry best = null;
        for (TreeMap<Long, Entry> m : pending) {
            Map.Entry<Long, Entry> first = m.firstEntry();
            if (first != null && (best == null || first.getKey() < best.seq)) {
                best = first.getValue();
            }
        }
        if (best == null || (journaled && best.journalIndex < 0)) {
            return null;
        }
        pending[best.severity.ordinal()].remove(best.seq);
        best.inflight = true;
        best.attempt++;
        inflight.put(best.seq, best);
        return best;
    }

    /** The broker acknowledged this attempt. */
    synchronized void delivered(Entry e, int attempt) {
        if (e.done || !e.inflight || e.attempt != attempt) {
            return;
        }
        e.inflight = false;
        inflight.remove(e.seq);
        delivered++;
        finish(e);
        notifyAll();
    }

    /** This attempt failed (or was never made): the entry waits again, in its place. */
    synchronized void retry(Entry e, int attempt) {
        if (e.done || !e.inflight || e.attempt != attempt) {
            return;
        }
        e.inflight = false;
        inflight.remove(e.seq);
        pending[e.severity.ordinal()].put(e.seq, e);
    }

    /** The connection is gone: every entry in flight waits again. */
    synchronized void retryAll() {
        for (Entry e : new ArrayList<>(inflight.values())) {
            retry(e, e.attempt);
        }
    }

    /**
     * The sequence of the oldest entry not yet done (pending or in flight); {@link Long#MAX_VALUE}
     * when none: everything before it was delivered or dropped.
     */
    synchronized long oldestUnfinished() {
        long oldest = inflight.isEmpty() ? Long.MAX_VALUE : inflight.firstKey();
        for (TreeMap<Long, Entry> m : pending) {
            if (!m.isEmpty()) {
                oldest = Math.min(oldest, m.firstKey());
            }
        }
        return oldest;
    }

    synchronized int size() {
        return size;
    }

    synchronized int inflight() {
        return inflight.size();
    }

    synchronized int pending() {
        return size - inflight.size();
    }

    synchronized long dropped() {
        return dropped;
    }

    synchronized long deliveredCount() {
        return delivered;
    }

    /** Waits until the outbox is empty or the time is up; true when empty. */
    synchronized boolean awaitEmpty(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (size > 0) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }
}
