package org.tapdoctor.service;

import java.util.List;

import org.tapdoctor.capture.FrameHandler;
import org.tapdoctor.diagnose.Diagnoser;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Report;
import org.tapdoctor.track.Tracker;
import org.tapdoctor.track.TrackerConfig;
import org.tapdoctor.wire.DecodeResult;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.FrameDecoder;
import org.tinylog.Logger;

/**
 * The path every frame takes, replay or live: decode ({@code wire}) then track ({@code track},
 * which feeds the {@link Diagnoser}). One engine per capture; owned by the capture thread.
 * A frame that fails to decode is counted by the decoder and skipped; an unexpected exception on
 * one frame is counted and logged once, never thrown back at the capture loop.
 */
public final class Engine implements FrameHandler {
    private final FrameDecoder decoder = new FrameDecoder();
    private final DecodedFrame frame = new DecodedFrame();
    private final Diagnoser diagnoser;
    private final Tracker tracker;
    private final Report.Options reportOptions;
    private long internalErrors;

    public Engine(TrackerConfig config, Report.Options reportOptions) {
        this.diagnoser = new Diagnoser(config.problems());
        this.tracker = new Tracker(config, diagnoser);
        this.reportOptions = reportOptions;
    }

    public Engine() {
        this(TrackerConfig.defaults(), Report.Options.defaults());
    }

    @Override
    public void onFrame(byte[] bytes, int length, int wireLength, long timeNanos, int linkType, int side) {
        try {
            DecodeResult r = decoder.decode(bytes, 0, length, linkType, frame);
            if (r != DecodeResult.OK) {
                tracker.advance(timeNanos);
                return;
            }
            frame.timeNanos(timeNanos);
            frame.side(side);
            frame.wireLength(wireLength);
            tracker.onFrame(frame);
        } catch (RuntimeException e) {
            if (internalErrors++ == 0) {
                Logger.error(e, "internal error on a frame at {} ns (further ones are only counted)", timeNanos);
            }
        }
    }

    /** End of input: conclude what the timeouts allow. */
    public void finish() {
        tracker.finish();
    }

    /** The diagnoses as of now. */
    public List<Diagnosis> diagnoses() {
        return new Report(tracker, diagnoser, reportOptions).diagnoses();
    }

    /** The diagnoses as of now, placed on the box's sides (live capture: frame side i is NIC {@code sideNames[i]}). */
    public List<Diagnosis> diagnoses(List<String> sideNames) {
        return new Report(tracker, diagnoser, reportOptions, sideNames).diagnoses();
    }

    public FrameDecoder decoder() { return decoder; }
    public Tracker tracker() { return tracker; }
    public Diagnoser diagnoser() { return diagnoser; }
    public long internalErrors() { return internalErrors; }
}
