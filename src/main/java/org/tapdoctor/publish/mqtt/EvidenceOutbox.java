package org.tapdoctor.publish.mqtt;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.tinylog.Logger;

/**
 * The evidence pcaps on their way to {@code <prefix>/evidence/<diagnosis id>}, under the same
 * rules as the diagnoses' {@link Outbox} but with their own budget in bytes
 * ({@code mqtt.evidence-buffer}): an entry leaves only when the broker acknowledged it (QoS 1), a
 * lost connection puts the ones in flight back, and when a new pcap does not fit the oldest waiting
 * ones are dropped (counted) until it does; a pcap larger than the whole budget is the one dropped.
 *
 * <p>A pcap is sent only once its diagnosis is done in the diagnoses' outbox (its sequence is below
 * {@link Outbox#oldestUnfinished()}), so a subscriber sees the diagnosis that names the topic first.
 *
 * <p>With a directory ({@code <mqtt.buffer-dir>/evidence}) each pcap is written there before it can
 * be sent, as {@code <order>-<diagnosis id>.pcap}: to {@code .<name>.tmp}, forced, renamed, so a
 * crash never leaves half a file under a real name (temporary files are deleted at open). The file
 * is deleted once delivered or dropped; at open the files left are recovered, oldest first.
 * Without a directory the bytes wait in memory.
 *
 * <p>Caveats: thread-safe (one lock) for the calls Paho's threads make ({@link #delivered},
 * {@link #retry}); files are written and deleted by one thread (the publisher) outside the lock.
 */
final class EvidenceOutbox {
    static final String DIR = "evidence";

    /** One pcap on its way. Fields other than the final ones are guarded by the outbox's lock. */
    static final class Entry {
        final long order;
        /** The diagnosis's sequence in the outbox, or -1 when it may go at once (a re-send, a recovered file). */
        final long seq;
        final String id;
        final int size;
        final Path file;
        final byte[] bytes;
        int attempt;
        boolean inflight;
        boolean done;

        Entry(long order, long seq, String id, int size, Path file, byte[] bytes) {
            this.order = order;
            this.seq = seq;
            this.id = id;
            this.size = size;
            this.file = file;
            this.bytes = bytes;
        }
    }

    private final long budget;
    private final Path dir;
    private final TreeMap<Long, Entry> waiting = new TreeMap<>();
    private final List<Entry> finished = new ArrayList<>();
    private long nextOrder;
    private long bytes;
    private long dropped;
    private long delivered;

    private EvidenceOutbox(long budget, Path dir) {
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be >= 1: " + budget);
        }
        this.budget = budget;
        this.dir = dir;
    }

    static EvidenceOutbox inMemory(long budget) {
        return new EvidenceOutbox(budget, null);
    }

    /**
     * Opens (creating) the directory, deletes half-written temporary files and recovers the pcaps
     * left there, oldest first; those for a diagnosis recovered at the same time get its sequence
     * ({@code recoveredSeqs}: id to sequence), so they still go after it.
     */
    static EvidenceOutbox open(long budget, Path dir, Map<String, Long> recoveredSeqs) throws IOException {
        EvidenceOutbox o = new EvidenceOutbox(budget, dir);
        Files.createDirectories(dir);
        TreeMap<Long, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp")) {
                    Files.deleteIfExists(f);
                    continue;
                }
                int dash = name.indexOf('-');
                if (!name.endsWith(".pcap") || dash < 1) {
                    continue;
                }
                try {
                    found.put(Long.parseLong(name.substring(0, dash)), f);
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            }
        }
        for (Map.Entry<Long, Path> f : found.entrySet()) {
            String name = f.getValue().getFileName().toString();
            String id = name.substring(name.indexOf('-') + 1, name.length() - ".pcap".length());
            long size = Files.size(f.getValue());
            Entry e = new Entry(f.getKey(), recoveredSeqs.getOrDefault(id, -1L), id, (int) Math.min(size, Integer.MAX_VALUE),
                    f.getValue(), null);
            o.waiting.put(e.order, e);
            o.bytes += e.size;
            o.nextOrder = f.getKey() + 1;
        }
        synchronized (o) {
            o.fit(0);
        }
        o.deleteFinished();
        return o;
    }

    /** The ids of the pcaps waiting, oldest first (after {@link #open}: the recovered ones). */
    synchronized List<String> waitingIds() {
        List<String> ids = new ArrayList<>();
        waiting.values().forEach(e -> ids.add(e.id));
        return ids;
    }

    /**
     * Adds a pcap for diagnosis {@code id} (sequence {@code seq}, or -1): with a directory, written
     * and forced there first. Publisher thread. False when it was dropped at once (larger than the
     * budget), or when the same id already waits (a repeated re-send).
     */
    boolean add(String id, long seq, byte[] pcap) throws IOException {
        long order;
        synchronized (this) {
            if (containsWaiting(id)) {
                return false;
            }
            if (pcap.length > budget) {
                dropped++;
                return false;
            }
            order = nextOrder++;
        }
        Path file = dir == null ? null : write(order, id, pcap);
        boolean kept;
        synchronized (this) {
            fit(pcap.length);
            kept = bytes + pcap.length <= budget;
            if (kept) {
                Entry e = new Entry(order, seq, id, pcap.length, file, file == null ? pcap : null);
                waiting.put(order, e);
                bytes += e.size;
            } else {
                dropped++; // what is in flight leaves no room for it
            }
        }
        if (!kept && file != null) {
            Files.deleteIfExists(file);
        }
        deleteFinished();
        return kept;
    }

    private boolean containsWaiting(String id) {
        for (Entry e : waiting.values()) {
            if (e.id.equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** Drops the oldest entries not in flight until {@code more} bytes fit in the budget. */
    private void fit(long more) {
        List<Entry> victims = new ArrayList<>();
        long freed = 0;
        for (Entry e : waiting.values()) {
            if (bytes + more - freed <= budget) {
                break;
            }
            if (!e.inflight) {
                victims.add(e);
                freed += e.size;
            }
        }
        for (Entry v : victims) {
            Logger.warn("mqtt: evidence of {} dropped: mqtt.evidence-buffer ({} bytes) is full", v.id, budget);
            dropped++;
            finish(v);
        }
    }

    private void finish(Entry e) {
        e.done = true;
        e.inflight = false;
        waiting.remove(e.order);
        bytes -= e.size;
        if (e.file != null) {
            finished.add(e);
        }
        notifyAll();
    }

    /** The oldest entry that may be sent (its diagnosis is done: {@code seq < diagnosesDoneBelow}), now in flight; or null. */
    synchronized Entry next(long diagnosesDoneBelow) {
        for (Entry e : waiting.values()) {
            if (!e.inflight && e.seq < diagnosesDoneBelow) {
                e.inflight = true;
                e.attempt++;
                return e;
            }
        }
        return null;
    }

    /** The bytes to send: from memory or read back from the journal. Publisher thread. */
    static byte[] bytes(Entry e) throws IOException {
        return e.bytes != null ? e.bytes : Files.readAllBytes(e.file);
    }

    synchronized void delivered(Entry e, int attempt) {
        if (e.done || !e.inflight || e.attempt != attempt) {
            return;
        }
        delivered++;
        finish(e);
    }

    synchronized void retry(Entry e, int attempt) {
        if (e.done || !e.inflight || e.attempt != attempt) {
            return;
        }
        e.inflight = false;
    }

    synchronized void retryAll() {
        for (Entry e : waiting.values()) {
            e.inflight = false;
        }
    }

    /** The entry cannot be sent (its journal file is unreadable): dropped and counted. */
    synchronized void drop(Entry e) {
        if (!e.done) {
            dropped++;
            finish(e);
        }
    }

    /** Deletes the journal files of entries delivered or dropped. Publisher thread. */
    void deleteFinished() {
        List<Entry> done;
        synchronized (this) {
            if (finished.isEmpty()) {
                return;
            }
            done = new ArrayList<>(finished);
            finished.clear();
        }
        for (Entry e : done) {
            try {
                Files.deleteIfExists(e.file);
            } catch (IOException ex) {
                Logger.warn("mqtt: cannot delete {}: {}", e.file, ex.toString());
            }
        }
    }

    synchronized int size() {
        return waiting.size();
    }

    synchronized int inflight() {
        int n = 0;
        for (Entry e : waiting.values()) {
            n += e.inflight ? 1 : 0;
        }
        return n;
    }

    synchronized long waitingBytes() {
        return bytes;
    }

    synchronized long dropped() {
        return dropped;
    }

    synchronized long deliveredCount() {
        return delivered;
    }

    Path dir() {
        return dir;
    }

    private Path write(long order, String id, byte[] pcap) throws IOException {
        String name = String.format("%012d-%s.pcap", order, id);
        Path file = dir.resolve(name);
        Journal.writeDurably(dir.resolve("." + name + ".tmp"), file, pcap);
        return file;
    }
}
