package org.tapdoctor.service;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tapdoctor.publish.mqtt.NewestEntries;

/**
 * What {@code watch --save-evidence DIR} does with the pcaps that arrive on
 * {@code <prefix>/evidence/<diagnosis id>}: each is saved in DIR under the name it has on the box,
 * which its diagnosis gives ({@code evidence_file}). A box publishes the diagnosis first, but a
 * pcap may still come before it (a redelivery after a reconnection): it then waits (at most
 * {@link #PENDING}) for its diagnosis, and one whose diagnosis never comes is saved as
 * {@code <id>.pcap}. Names from the network are checked: only {@code [A-Za-z0-9._-]}, ending in
 * {@code .pcap}, never a path. A file is written to {@code .NAME.tmp} and renamed, so DIR never holds
 * half a pcap; a redelivered pcap whose file is already there with the same bytes is a duplicate
 * (not written again); a different one under a taken name gets {@code -2}, {@code -3}...
 * Thread-safe (one lock: Paho delivers on one thread anyway).
 */
final class WatchEvidence {
    static final int PENDING = 64;
    private static final int NAMES = 100_000;

    /** One pcap saved, or found already saved ({@code duplicate}). */
    record Saved(String id, Path file, int bytes, boolean duplicate) {
    }

    private final Path dir;
    private final Map<String, String> names = new NewestEntries<>(NAMES);
    private final LinkedHashMap<String, byte[]> pending = new LinkedHashMap<>();

    WatchEvidence(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /** A diagnosis named its pcap; one that arrived before it is saved now. */
    synchronized List<Saved> diagnosis(String id, String evidenceFile) throws IOException {
        if (id == null || evidenceFile == null) {
            return List.of();
        }
        names.put(id, evidenceFile);
        byte[] waiting = pending.remove(id);
        return waiting == null ? List.of() : List.of(save(id, evidenceFile, waiting));
    }

    /**
     * A pcap arrived on {@code topic}: saved when its diagnosis is known (the returned list), kept
     * for it otherwise (empty list; the oldest kept one is saved under its id when there are too many).
     */
    synchronized List<Saved> evidence(String topic, byte[] pcap) throws IOException {
        String id = topic.substring(topic.lastIndexOf('/') + 1);
        String name = names.get(id);
        if (name != null) {
            return List.of(save(id, name, pcap));
        }
        pending.put(id, pcap);
        if (pending.size() <= PENDING) {
            return List.of();
        }
        Map.Entry<String, byte[]> eldest = pending.entrySet().iterator().next();
        pending.remove(eldest.getKey());
        return List.of(save(eldest.getKey(), null, eldest.getValue()));
    }

    /** At exit: the pcaps whose diagnosis never came, saved under their ids. */
    synchronized List<Saved> flush() throws IOException {
        List<Saved> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> p : pending.entrySet()) {
            out.add(save(p.getKey(), null, p.getValue()));
        }
        pending.clear();
        return out;
    }

    private Saved save(String id, String name, byte[] pcap) throws IOException {
        String base = safe(name);
        if (base == null) {
            String cleanId = id.replaceAll("[^A-Za-z0-9._-]", "_");
            base = (cleanId.isEmpty() || cleanId.startsWith(".") ? "_" + cleanId : cleanId) + ".pcap";
        }
        String stem = base.substring(0, base.length() - ".pcap".length());
        for (int n = 1; ; n++) {
            Path file = dir.resolve(n == 1 ? base : stem + "-" + n + ".pcap");
            if (Files.exists(file)) {
                if (Arrays.equals(Files.readAllBytes(file), pcap)) {
                    return new Saved(id, file, pcap.length, true);
                }
                continue;
            }
            Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
            Files.write(tmp, pcap);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file);
            }
            return new Saved(id, file, pcap.length, false);
        }
    }

    /** The box's file name when it is one a box writes (no path, no hidden file, ends in .pcap); else null. */
    static String safe(String name) {
        if (name == null || name.length() > 200 || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*\\.pcap")) {
            return null;
        }
        return name;
    }
}
