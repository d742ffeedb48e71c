package org.tapdoctor.publish.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.tapdoctor.diagnose.Severity;

/**
 * The persistent side of the outbox ({@code mqtt.buffer-dir}): unsent diagnoses survive a restart
 * or a crash of the service. Two append-only files:
 * <pre>
 *   outbox.log   one line per diagnosis: severity TAB kind TAB id TAB payload-json; the line's
 *                number (from 0) is its index
 *   done.log     one line per index delivered to the broker or dropped by the bound
 * </pre>
 * At open, the entries of outbox.log whose index is not in done.log are the unsent ones; they are
 * rewritten to a fresh outbox.log (temporary file, fsync, atomic rename) and done.log is emptied.
 * A torn last line (a crash in the middle of a write) is ignored.
 *
 * <p>fsync policy: outbox.log is forced after every batch the publisher writes and before any of
 * that batch is sent, so a diagnosis the broker has seen is on disk; what the engine handed over
 * in the last few milliseconds before a crash (not yet written) is lost. done.log is forced at
 * most once a second and at close: losing its tail only means re-sending a few diagnoses after a
 * crash, which ids make harmless. When everything was delivered and outbox.log has grown past
 * {@link #COMPACT_LINES} lines, both files are emptied (done.log first).
 *
 * <p>Caveats: one thread (the publisher) uses a journal; one process per directory.
 */
final class Journal implements Closeable {
    static final String LOG = "outbox.log";
    static final String DONE = "done.log";
    static final int COMPACT_LINES = 10_000;
    private static final long DONE_FORCE_NANOS = 1_000_000_000L;

    /** An unsent diagnosis read back at open. */
    record Saved(Severity severity, String kind, String id, String payload) {
    }

    private final Path dir;
    private FileChannel log;
    private FileChannel done;
    private long nextIndex;
    private boolean doneDirty;
    private long doneForcedAt = System.nanoTime();
    private final List<Saved> recovered;

    private Journal(Path dir, List<Saved> recovered) throws IOException {
        this.dir = dir;
        this.recovered = recovered;
        this.log = FileChannel.open(dir.resolve(LOG), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        this.done = FileChannel.open(dir.resolve(DONE), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        this.done.force(true);
        this.nextIndex = recovered.size();
    }

    /** Opens (creating the directory), recovers the unsent entries and compacts. */
    static Journal open(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path logFile = dir.resolve(LOG);
        Set<Long> doneSet = new HashSet<>();
        Path doneFile = dir.resolve(DONE);
        if (Files.exists(doneFile)) {
            for (String l : Files.readAllLines(doneFile, StandardCharsets.UTF_8)) {
                if (!l.isBlank()) {
                    try {
                        doneSet.add(Long.parseLong(l.trim()));
                    } catch (NumberFormatException e) {
                        // a torn line: that entry is sent again (at least once)
                    }
                }
            }
        }
        List<Saved> unsent = new ArrayList<>();
        if (Files.exists(logFile)) {
            byte[] bytes = Files.readAllBytes(logFile);
            int start = 0;
            long index = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    Saved s = parse(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                    if (s != null && !doneSet.contains(index)) {
                        unsent.add(s);
                    }
                    index++;
                    start = i + 1;
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Saved s : unsent) {
            out.writeBytes(line(s.severity, s.kind, s.id, s.payload));
        }
        writeDurably(dir.resolve(LOG + ".tmp"), logFile, out.toByteArray());
        return new Journal(dir, unsent);
    }

    /**
     * Writes {@code bytes} to {@code tmp}, forces it, renames it to {@code file} (atomically where
     * the file system can) and forces the directory: a crash leaves the old file or the new one
     * under {@code file}, never half of one.
     */
    static void writeDurably(Path tmp, Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(file.getParent());
    }

    /** The unsent entries found at open, oldest first (their indexes are 0..n-1). */
    List<Saved> recovered() {
        return recovered;
    }

    /** Appends the entries, forces the file, and returns their indexes. */
    long[] append(List<Outbox.Entry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() * 600);
        long[] indexes = new long[entries.size()];
        for (int i = 0; i < indexes.length; i++) {
            Outbox.Entry e = entries.get(i);
            out.writeBytes(line(e.severity, e.kind, e.id, e.payload));
            indexes[i] = nextIndex++;
        }
        writeFully(log, ByteBuffer.wrap(out.toByteArray()));
        log.force(false);
        return indexes;
    }

    /** Marks indexes done (forced at most once a second; see the class comment). */
    void done(long[] indexes) throws IOException {
        if (indexes.length > 0) {
            StringBuilder sb = new StringBuilder(indexes.length * 8);
            for (long i : indexes) {
                sb.append(i).append('\n');
            }
            writeFully(done, ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII)));
            doneDirty = true;
        }
        if (doneDirty && System.nanoTime() - doneForcedAt >= DONE_FORCE_NANOS) {
            forceDone();
        }
    }

    /** Empties both files when nothing is outstanding and the log has grown. */
    void compactIfIdle(boolean outboxEmpty) throws IOException {
        if (!outboxEmpty || nextIndex < COMPACT_LINES) {
            return;
        }
        done.truncate(0);
        done.force(true);
        log.truncate(0);
        log.force(true);
        nextIndex = 0;
        doneDirty = false;
    }

    private void forceDone() throws IOException {
        done.force(false);
        doneDirty = false;
        doneForcedAt = System.nanoTime();
    }

    @Override
    public void close() throws IOException {
        try {
            if (doneDirty) {
                forceDone();
            }
        } finally {
            log.close();
            done.close();
        }
    }

    Path dir() {
        return dir;
    }

    private static byte[] line(Severity severity, String kind, String id, String payload) {
        return (severity.label() + '\t' + kind + '\t' + id + '\t' + payload + '\n').getBytes(StandardCharsets.UTF_8);
    }

    private static Saved parse(String line) {
        String[] f = line.split("\t", 4);
        if (f.length != 4 || !f[3].startsWith("{") || !f[3].endsWith("}")) {
            return null;
        }
        try {
            return new Saved(Severity.valueOf(f[0].toUpperCase(java.util.Locale.ROOT)), f[1], f[2], f[3]);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // not every file system lets a directory be opened; the rename is still atomic
        }
    }
}
