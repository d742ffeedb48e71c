package org.tapdoctor.service;

import java.util.List;

import org.tapdoctor.capture.FrameHandler;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.panel.LcdSize;
import org.tapdoctor.panel.PanelModel;
import org.tapdoctor.engine.Engine;
import org.tapdoctor.panel.PanelState;
import org.tapdoctor.track.TrackerStats;

/**
 * The panel at the end of a replayed capture, on packet time: frames go to the engine and, once
 * per second of packet time, the engine's counters go to the {@link PanelModel}; at the end each
 * diagnosis is given to the model at the time of its last occurrence and the model is ticked at
 * the last frame's time. What the box would show right after the capture's last frame (no
 * button pressed, so the summary page).
 */
final class ReplayPanel implements FrameHandler {
    private static final long SAMPLE_NANOS = 1_000_000_000L;

    private final Engine engine;
    private final LcdSize lcd;
    private final long holdNanos;
    private PanelModel model;
    private long nextSample = Long.MIN_VALUE;
    private long lastTime;

    ReplayPanel(Engine engine, LcdSize lcd, long holdNanos) {
        this.engine = engine;
        this.lcd = lcd;
        this.holdNanos = holdNanos;
    }

    @Override
    public void onFrame(byte[] frame, int length, int wireLength, long timeNanos, int linkType, int side) {
        engine.onFrame(frame, length, wireLength, timeNanos, linkType, side);
        lastTime = timeNanos;
        if (timeNanos >= nextSample) {
            sample(timeNanos);
        }
    }

    private void sample(long timeNanos) {
        if (model == null) {
            model = new PanelModel(lcd, holdNanos, timeNanos);
            model.network(null, "replay");
        }
        TrackerStats s = engine.tracker().stats();
        model.traffic(timeNanos, s.frames, s.handshakesOk, s.handshakesFailed);
        nextSample = timeNanos + SAMPLE_NANOS;
    }

    /** The final state, after {@link Engine#finish()}, with the capture's diagnoses. */
    PanelState finish(List<Diagnosis> diagnoses) {
        if (model == null) {
            model = new PanelModel(lcd, holdNanos, 0);
            model.network(null, "replay");
        }
        sample(lastTime);
        for (Diagnosis d : diagnoses) {
            model.diagnosis(d, d.last().getEpochSecond() * 1_000_000_000L + d.last().getNano());
        }
        if (engine.siteRecord() != null) {
            model.site(engine.siteRecord());
        }
        model.tick(lastTime);
        return model.state();
    }
}
