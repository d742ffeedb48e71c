package org.tapdoctor.publish;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.tapdoctor.capture.CaptureException;
import org.tapdoctor.capture.FrameHandler;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.wire.DecodeResult;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.FrameDecoder;
import org.tinylog.Logger;

/**
 * Writes the evidence pcap of each diagnosis: one pass over a {@link FrameSource} (live: the
 * recent-frames ring; replay: the capture file again) selects every diagnosis's frames ({@link
 * FrameSelector}), then each non-empty selection goes to the {@link EvidenceDirectory} and the
 * diagnosis gets the file's name ({@link Diagnosis#withEvidenceFile}).
 *
 * <p>File names: {@code <time>-<kind>-<server ip>[-<port>].pcap}, e.g.
 * {@code 20261122T012345Z-refused-198.51.100.10-82.pcap}: the diagnosis's {@code time} in UTC to the
 * second, the kind's label, the server's address (the client's when the diagnosis has no server)
 * with every character outside {@code [A-Za-z0-9.-]} (the colons of IPv6) as {@code _}; {@code -2},
 * {@code -3}, ... when the name is taken.
 *
 * <p>A pcap has one link type: when a selection mixes link types (frames of two NICs of different
 * kinds), the link type with most frames is written and the others' frames are left out (logged at
 * debug). A diagnosis whose selection is empty (live: its frames already left the ring) gets no file.
 *
 * <p>Errors (a full disk, a read-only directory) are logged once, then only counted; the diagnosis
 * goes on without a file. Runs off the packet path and allocates freely. Not thread-safe.
 */
public final class EvidenceWriter {
    /** Where the frames come from: hands every frame to the handler, oldest first. */
    @FunctionalInterface
    public interface FrameSource {
        void forEach(FrameHandler handler) throws CaptureException;
    }

    /** Frames up to this long after a diagnosis's {@code last} time are its evidence: the default {@code tcp.linger}. */
    public static final long AFTER_LAST_NANOS = 75_000_000_000L;
    /** A sensible bound on one file: thousands of frames, far more than one attempt has. */
    public static final long MAX_BYTES_PER_FILE = 4L * 1024 * 1024;

    private static final DateTimeFormatter NAME_TIME =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private record Selected(EvidenceDirectory.Frame frame, int linkType) {
    }

    private final EvidenceDirectory dir;
    private final long afterLastNanos;
    private final long maxBytesPerFile;
    private long written;
    private long errors;

    /**
     * @param afterLastNanos how long after a diagnosis's last evidence frames still belong to it
     * @param maxBytesPerFile frames selected beyond this many bytes are left out (the first are kept)
     */
    public EvidenceWriter(EvidenceDirectory dir, long afterLastNanos, long maxBytesPerFile) {
        this.dir = dir;
        this.afterLastNanos = afterLastNanos;
        this.maxBytesPerFile = maxBytesPerFile;
    }

    /** The same diagnoses, in the same order, each with its evidence file's name when one was written. */
    public List<Diagnosis> write(List<Diagnosis> diagnoses, FrameSource source) {
        if (diagnoses.isEmpty()) {
            return diagnoses;
        }
        FrameSelector[] selectors = new FrameSelector[diagnoses.size()];
        boolean any = false;
        for (int i = 0; i < selectors.length; i++) {
            selectors[i] = FrameSelector.of(diagnoses.get(i), afterLastNanos);
            any |= selectors[i] != null;
        }
        if (!any) {
            return diagnoses;
        }
        List<List<Selected>> selections;
        try {
            selections = select(selectors, source);
        } catch (CaptureException | RuntimeException e) {
            failed(e, "reading the frames for evidence");
            return diagnoses;
        }
        List<Diagnosis> out = new ArrayList<>(diagnoses.size());
        for (int i = 0; i < selectors.length; i++) {
            Diagnosis d = diagnoses.get(i);
            List<Selected> frames = selections.get(i);
            if (frames.isEmpty()) {
                out.add(d);
                continue;
            }
            try {
                int linkType = dominantLinkType(frames);
                List<EvidenceDirectory.Frame> same = new ArrayList<>(frames.size());
                for (Selected s : frames) {
                    if (s.linkType == linkType) {
                        same.add(s.frame);
                    }
                }
                if (same.size() < frames.size()) {
                    Logger.debug("evidence of {}: {} frames of other link types than {} left out", d.summary(),
                            frames.size() - same.size(), linkType);
                }
                String name = dir.write(baseName(d), linkType, same);
                written++;
                out.add(d.withEvidenceFile(name));
            } catch (IOException | RuntimeException e) {
                failed(e, "writing evidence to " + dir.path());
                out.add(d);
            }
        }
        return out;
    }

    private List<List<Selected>> select(FrameSelector[] selectors, FrameSource source) throws CaptureException {
        List<List<Selected>> selections = new ArrayList<>(selectors.length);
        long[] bytes = new long[selectors.length];
        for (int i = 0; i < selectors.length; i++) {
            selections.add(new ArrayList<>());
        }
        long from = Long.MAX_VALUE, until = Long.MIN_VALUE;
        for (FrameSelector s : selectors) {
            if (s != null) {
                from = Math.min(from, s.fromNanos());
                until = Math.max(until, s.untilNanos());
            }
        }
        final long earliest = from, latest = until;
        FrameDecoder decoder = new FrameDecoder();
        DecodedFrame f = new DecodedFrame();
        source.forEach((frame, length, wireLength, timeNanos, linkType, side) -> {
            // most of a ring (or a file) is outside every window: skip it before decoding
            if (timeNanos < earliest || timeNanos > latest || decoder.decode(frame, 0, length, linkType, f) != DecodeResult.OK) {
                return;
            }
            f.timeNanos(timeNanos);
            f.side(side);
            f.wireLength(wireLength);
            byte[] copy = null;
            for (int i = 0; i < selectors.length; i++) {
                if (selectors[i] == null || bytes[i] >= maxBytesPerFile || !selectors[i].matches(f)) {
                    continue;
                }
                if (copy == null) {
                    copy = Arrays.copyOf(frame, length);
                }
                bytes[i] += length;
                selections.get(i).add(new Selected(new EvidenceDirectory.Frame(copy, wireLength, timeNanos), linkType));
            }
        });
        return selections;
    }

    private static int dominantLinkType(List<Selected> frames) {
        Map<Integer, Integer> counts = new HashMap<>();
        int best = frames.get(0).linkType, bestCount = 0;
        for (Selected s : frames) {
            int c = counts.merge(s.linkType, 1, Integer::sum);
            if (c > bestCount) {
                best = s.linkType;
                bestCount = c;
            }
        }
        return best;
    }

    /** {@code <time>-<kind>-<address>[-<port>]}, safe characters only. */
    static String baseName(Diagnosis d) {
        StringBuilder sb = new StringBuilder(64).append(NAME_TIME.format(d.time())).append('-').append(d.kind().label());
        if (d.server() != null) {
            sb.append('-').append(safe(d.server().ip()));
            if (d.server().hasPort()) {
                sb.append('-').append(d.server().port());
            }
        } else if (d.client() != null) {
            sb.append('-').append(safe(d.client().ip() != null ? d.client().ip() : d.client().mac()));
        }
        return sb.toString();
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9.-]", "_");
    }

    private void failed(Exception e, String what) {
        if (errors++ == 0) {
            Logger.warn("evidence: error {} ({}); diagnoses go on without evidence files, further errors are only counted",
                    what, e.toString());
        } else {
            Logger.debug(e, "evidence: error {}", what);
        }
    }

    /** Evidence files written. */
    public long written() { return written; }
    /** Errors (each logged once at most). */
    public long errors() { return errors; }
    public EvidenceDirectory directory() { return dir; }
}
