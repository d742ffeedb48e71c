package org.tapdoctor.publish;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

import org.tapdoctor.capture.PcapWriter;

/**
 * A directory of evidence pcaps bounded in file count and total bytes. Before each file is written,
 * the oldest files are deleted until the new one fits in both limits, so the directory never holds
 * more than {@code maxFiles} files nor {@code maxBytes} bytes of them, counting the file being
 * written (a file is cut to {@code maxBytes} frames first). Files are written atomically: to a
 * hidden temporary name in the same directory ({@code .NAME.tmp}), then renamed, so a reader never
 * sees half a file.
 *
 * <p>"Oldest" is write order: the files found at start (every {@code *.pcap}, by modification time,
 * then name) come first, then the ones written since. Temporaries left by a crash are deleted at start.
 *
 * <p>Caveats: the directory is assumed to be tapdoctor's alone; files others add are not counted
 * until the next start. Not thread-safe (live: the engine thread writes).
 */
public final class EvidenceDirectory {
    /** The defaults of {@code evidence.max-files} and {@code evidence.max-bytes} (50 MiB). */
    public static final int DEFAULT_MAX_FILES = 200;
    public static final long DEFAULT_MAX_BYTES = 52_428_800L;

    /** One frame to write: its captured bytes (owned), length on the wire, time since the epoch. */
    public record Frame(byte[] bytes, int wireLength, long timeNanos) {
    }

    private record Entry(String name, long bytes) {
    }

    private final Path dir;
    private final int maxFiles;
    private final long maxBytes;
    private final Deque<Entry> files = new ArrayDeque<>();
    private long totalBytes;

    /** Creates the directory when missing and takes stock of its pcaps (deleting the oldest beyond the limits). */
    public EvidenceDirectory(Path dir, int maxFiles, long maxBytes) throws IOException {
        this.dir = Objects.requireNonNull(dir, "dir");
        if (maxFiles < 1 || maxBytes < PcapWriter.FILE_HEADER_LENGTH) {
            throw new IllegalArgumentException("limits: " + maxFiles + " files, " + maxBytes + " bytes (expected: >= 1 file, >= "
                    + PcapWriter.FILE_HEADER_LENGTH + " bytes)");
        }
        this.maxFiles = maxFiles;
        this.maxBytes = maxBytes;
        Files.createDirectories(dir);
        record Found(String name, long bytes, long modified) {
        }
        List<Found> found = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                } else if (name.endsWith(".pcap") && Files.isRegularFile(p)) {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    found.add(new Found(name, a.size(), a.lastModifiedTime().toMillis()));
                }
            }
        }
        found.sort(Comparator.comparingLong(Found::modified).thenComparing(Found::name));
        for (Found f : found) {
            files.addLast(new Entry(f.name, f.bytes));
            totalBytes += f.bytes;
        }
        makeRoom(0, 0);
    }

    /**
     * Writes {@code frames} (all of {@code linkType}) as a pcap named {@code baseName + ".pcap"}, or
     * {@code baseName-2.pcap}, ... when that name is taken. Frames beyond what {@code maxBytes} allows
     * are left out (the first ones are kept).
     *
     * @param baseName safe characters only ({@code [A-Za-z0-9._-]}), no extension
     * @return the file's name
     */
    public String write(String baseName, int linkType, List<Frame> frames) throws IOException {
        if (!baseName.matches("[A-Za-z0-9._-]+") || baseName.startsWith(".")) {
            throw new IllegalArgumentException("unsafe file name: " + baseName);
        }
        int n = 0;
        long size = PcapWriter.fileLength(0, 0);
        for (Frame f : frames) {
            long next = size + PcapWriter.RECORD_HEADER_LENGTH + f.bytes.length;
            if (next > maxBytes) {
                break;
            }
            size = next;
            n++;
        }
        String name = freeName(baseName);
        makeRoom(1, size);
        Path tmp = dir.resolve("." + name + ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 65536)) {
                PcapWriter w = new PcapWriter(out, linkType);
                for (int i = 0; i < n; i++) {
                    Frame f = frames.get(i);
                    w.write(f.bytes, f.bytes.length, f.wireLength, f.timeNanos);
                }
            }
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        files.addLast(new Entry(name, size));
        totalBytes += size;
        return name;
    }

    /** Deletes the oldest files until {@code files} more files of {@code bytes} more bytes fit. */
    private void makeRoom(int moreFiles, long moreBytes) throws IOException {
        while (!files.isEmpty() && (files.size() + moreFiles > maxFiles || totalBytes + moreBytes > maxBytes)) {
            Entry oldest = files.removeFirst();
            totalBytes -= oldest.bytes;
            Files.deleteIfExists(dir.resolve(oldest.name));
        }
    }

    private String freeName(String baseName) {
        String name = baseName + ".pcap";
        for (int k = 2; Files.exists(dir.resolve(name)) || contains(name); k++) {
            name = baseName + "-" + k + ".pcap";
        }
        return name;
    }

    private boolean contains(String name) {
        for (Entry e : files) {
            if (e.name.equals(name)) {
                return true;
            }
        }
        return false;
    }

    public Path path() { return dir; }
    /** Files held now. */
    public int fileCount() { return files.size(); }
    /** Bytes of the files held now. */
    public long totalBytes() { return totalBytes; }
}
