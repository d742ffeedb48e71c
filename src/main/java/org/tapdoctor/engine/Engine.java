package org.tapdoctor.engine;

import java.util.List;

import org.tapdoctor.capture.FrameHandler;
import org.tapdoctor.diagnose.Diagnoser;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.DiagnosisListener;
import org.tapdoctor.diagnose.ProblemTable;
import org.tapdoctor.diagnose.Reporter;
import org.tapdoctor.diagnose.Sides;
import org.tapdoctor.site.SiteRecord;
import org.tapdoctor.site.SiteRecorder;
import org.tapdoctor.track.Tracker;
import org.tapdoctor.wire.DecodeResult;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.FrameDecoder;
import org.tinylog.Logger;

/**
 * The path every frame takes, replay or live: decode ({@code wire}), track ({@code track}, which
 * feeds the {@link Diagnoser}), and report ({@link Reporter}: a problem is published as soon as it
 * is decided, within {@code report.pass}; recurrences, retirement and the tables' health every
 * {@code report.interval}). Time is the frames' time and {@link #advance}'s: packet time in
 * replay, the monotonic clock live, so a replay and a live run of the same traffic say the same.
 * One engine per capture; owned by one thread.
 *
 * <p>A frame that fails to decode is counted by the decoder and skipped; an unexpected exception on
 * one frame is counted and logged once, never thrown back at the capture loop.
 */
public final class Engine implements FrameHandler {
    private final FrameDecoder decoder = new FrameDecoder();
    private final DecodedFrame frame = new DecodedFrame();
    private final EngineSettings settings;
    private final ProblemTable problems;
    private final Diagnoser diagnoser;
    private final Tracker tracker;
    private final Reporter reporter;
    private final Report report;
    private final SiteRecorder site;
    private static final long NONE = Long.MIN_VALUE;
    /** When the pending urgent changes are reported; NONE when there are none. */
    private long passAt = NONE;
    private long nextTick = NONE;
    private long internalErrors;

    /**
     * @param sides the NICs by capture side (live), or null (files have no sides)
     * @param listener where the reporter streams its diagnoses
     */
    public Engine(EngineSettings settings, Sides sides, DiagnosisListener listener) {
        this(settings, sides, listener, null);
    }

    /** An engine whose diagnoses are collected into a {@link Report} (replay, tests). */
    public Engine(EngineSettings settings) {
        this(settings, null, null, new Report());
    }

    /** A replay engine with the default settings. */
    public Engine() {
        this(EngineSettings.defaults());
    }

    private Engine(EngineSettings settings, Sides sides, DiagnosisListener listener, Report report) {
        this.settings = settings;
        this.report = report;
        this.problems = new ProblemTable(settings.tracker().problems());
        this.diagnoser = new Diagnoser(problems);
        this.tracker = new Tracker(settings.tracker(), settings.dhcp(), diagnoser);
        DiagnosisListener to = report != null ? report : listener;
        this.reporter = new Reporter(settings.report(), problems, tracker, sides, to);
        this.site = new SiteRecorder(tracker.siteSources(), tracker.dns()::answered, r -> {
            if (to != null) {
                to.site(r);
            }
        });
    }

    @Override
    public void onFrame(byte[] bytes, int length, int wireLength, long timeNanos, int linkType, int side) {
        try {
            DecodeResult r = decoder.decode(bytes, 0, length, linkType, frame);
            if (r != DecodeResult.OK) {
                advance(timeNanos);
                return;
            }
            frame.timeNanos(timeNanos);
            frame.side(side);
            frame.wireLength(wireLength);
            track(frame);
        } catch (RuntimeException e) {
            if (internalErrors++ == 0) {
                Logger.error(e, "internal error on a frame at {} ns (further ones are only counted)", timeNanos);
            }
        }
    }

    /** Follows one decoded frame (its time set) and reports what it decided. */
    public void track(DecodedFrame f) {
        tracker.onFrame(f);
        site.check(f.timeNanos());
        report(f.timeNanos());
    }

    /**
     * Moves time on without a frame (the live clock on a quiet link): timeouts, then reporting.
     * Never back: live, the monotonic clock (counted from the wall clock at start) can run behind
     * the kernel's frame timestamps (the wall clock, which NTP steps or slews), and what is printed
     * after a frame must not be dated before it (a site record dated before a router's goodbye it
     * already shows: CI's SiteLiveIT once read such a record as the state before the goodbye).
     */
    public void advance(long now) {
        tracker.advance(now);
        long t = tracker.lastTime(); // the latest of now and every frame's time
        site.check(t);
        report(t);
    }

    /**
     * A new problem is reported {@code report.pass} after it was decided, so that what one event
     * decides at once (two attempts answered by one router's ICMP errors: a host unreachable, not
     * an unreachable port first) is one verdict.
     */
    private void report(long now) {
        if (nextTick == NONE || now >= nextTick) {
            reporter.tick(now);
            nextTick = now + settings.report().tickNanos();
            passAt = NONE;
        } else if (problems.hasUrgent()) {
            if (passAt == NONE) {
                passAt = now + settings.report().passNanos();
            } else if (now >= passAt) {
                reporter.pass(now);
                passAt = NONE;
            }
        }
    }

    /** End of input (a file's end, a live shutdown): concludes what the timeouts allow and flushes the reporter. */
    public void finish() {
        tracker.finish();
        long end = tracker.lastTime();
        if (end != Long.MIN_VALUE) {
            site.check(end);
            reporter.flush(end);
        }
    }

    /** The collected report's diagnoses (an engine built without a listener), in report order. */
    public List<Diagnosis> diagnoses() {
        if (report == null) {
            throw new IllegalStateException("this engine streams to a listener; it keeps no report");
        }
        return report.diagnoses();
    }

    /** The collected report's site records, each one a change a person would read, in time order. */
    public List<SiteRecord> siteRecords() {
        if (report == null) {
            throw new IllegalStateException("this engine streams to a listener; it keeps no report");
        }
        return report.sites();
    }

    public EngineSettings settings() { return settings; }
    public FrameDecoder decoder() { return decoder; }
    public Tracker tracker() { return tracker; }
    public Diagnoser diagnoser() { return diagnoser; }
    public ProblemTable problems() { return problems; }
    public Reporter reporter() { return reporter; }
    /** The site record's keeper: {@link SiteRecorder#latest()} is the site as of the last frame. */
    public SiteRecorder site() { return site; }
    /** The site as of the last frame or move of time (never null once a frame was tracked). */
    public SiteRecord siteRecord() { return site.latest(); }
    public long internalErrors() { return internalErrors; }
}
