package org.tapdoctor.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.tapdoctor.capture.RecentFrames;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.publish.EvidenceDirectory;
import org.tapdoctor.publish.EvidenceWriter;

/**
 * Evidence files of the live service: the ring of recent frames ({@code evidence.ring-bytes}) and
 * the bounded directory ({@code evidence.dir}, {@code evidence.max-files}, {@code evidence.max-bytes}).
 * A diagnosis's frames are taken from the ring when it is published, so frames older than the ring
 * holds (a busy link, a long-lived zero window) are missing from its file. Engine thread only.
 */
final class LiveEvidence {
    private final RecentFrames recent;
    private final EvidenceWriter writer;

    LiveEvidence(RecentFrames recent, EvidenceWriter writer) {
        this.recent = recent;
        this.writer = writer;
    }

    /** From the configuration; null when {@code evidence.dir} is empty (evidence off). */
    static LiveEvidence fromConfig(Config cfg) throws IOException {
        String dir = cfg.string("evidence.dir");
        if (dir.isEmpty()) {
            return null;
        }
        long maxBytes = cfg.integer("evidence.max-bytes");
        EvidenceDirectory directory = new EvidenceDirectory(Path.of(dir), cfg.integer("evidence.max-files"), maxBytes);
        return new LiveEvidence(new RecentFrames(cfg.integer("evidence.ring-bytes")),
                new EvidenceWriter(directory, EvidenceWriter.AFTER_LAST_NANOS, Math.min(maxBytes, EvidenceWriter.MAX_BYTES_PER_FILE)));
    }

    RecentFrames recent() {
        return recent;
    }

    /** The diagnoses with their evidence files, from the frames the ring holds now. */
    List<Diagnosis> write(List<Diagnosis> diagnoses) {
        return writer.write(diagnoses, recent::forEach);
    }

    EvidenceWriter writer() {
        return writer;
    }
}
