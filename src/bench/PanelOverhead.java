import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tapdoctor.capture.CaptureFileReader;
import org.tapdoctor.capture.FrameHandler;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.panel.LcdSize;
import org.tapdoctor.panel.PanelDisplay;
import org.tapdoctor.panel.PanelModel;
import org.tapdoctor.panel.PanelSink;
import org.tapdoctor.panel.TerminalPanel;
import org.tapdoctor.publish.DiagnosisSink;
import org.tapdoctor.engine.Engine;

/**
 * Can the panel slow the engine? Replays a capture through the engine with the live service's
 * calls into its sink, alternately into a sink that does nothing ("off") and into the panel sink
 * ("on": own thread, model, and a display that renders the panel and then sleeps 5 ms per frame
 * like ~60 changed LCD cells over I2C at 100 kHz). The sink gets counters every 1,000 frames and
 * a diagnosis every 5,000 (200 per second at 1 Mpps: far more than a live box publishes).
 * Rounds alternate off/on after one warm-up round each; prints frames/s per round, the medians
 * and on/off.
 *
 * usage: java -cp target/tapdoctor.jar src/bench/PanelOverhead.java FILE [ROUNDS]
 */
public class PanelOverhead {
    static final Diagnosis REFUSED;

    static {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("syn", 1);
        ev.put("rst_from", "server");
        Instant t = Instant.parse("2026-11-22T01:00:00Z");
        REFUSED = new Diagnosis(Kind.REFUSED, t, new Endpoint("192.0.2.10", 40000), new Endpoint("198.51.100.10", 82), 1, t, t,
                ev, "refused");
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        List<Double> off = new ArrayList<>(), on = new ArrayList<>();
        run(file, false);
        run(file, true);
        for (int r = 0; r < rounds; r++) {
            off.add(run(file, false));
            on.add(run(file, true));
            System.out.printf("round %d: off %.3f Mpps, on %.3f Mpps%n", r + 1, off.get(r) / 1e6, on.get(r) / 1e6);
        }
        double mOff = median(off), mOn = median(on);
        System.out.printf("median: off %.3f Mpps, on %.3f Mpps, on/off %.3f%n", mOff / 1e6, mOn / 1e6, mOn / mOff);
    }

    static double run(Path file, boolean panel) throws Exception {
        Engine engine = new Engine();
        DiagnosisSink sink = panel ? new PanelSink(d -> { }, new PanelModel(LcdSize.LCD_16X2, PanelModel.DEFAULT_HOLD_NANOS,
                System.nanoTime()), new SlowDisplay(), System::nanoTime, () -> "10.0.0.5", "bench").start()
                : new DiagnosisSink() {
                    @Override
                    public void diagnosis(Diagnosis d) {
                    }
                };
        long[] n = {0};
        FrameHandler h = (frame, length, wireLength, timeNanos, linkType, side) -> {
            engine.onFrame(frame, length, wireLength, timeNanos, linkType, side);
            long i = ++n[0];
            if (i % 1000 == 0) {
                var s = engine.tracker().stats();
                sink.counters(s.frames, s.handshakesOk, s.handshakesFailed);
            }
            if (i % 5000 == 0) {
                sink.diagnosis(REFUSED);
            }
        };
        long start = System.nanoTime();
        long frames = new CaptureFileReader().read(file, h);
        double rate = frames / ((System.nanoTime() - start) / 1e9);
        sink.close();
        return rate;
    }

    /** Renders the state (as the terminal does) and takes 5 ms, like a page of LCD writes over I2C. */
    static final class SlowDisplay implements PanelDisplay {
        long chars;

        @Override
        public void show(org.tapdoctor.panel.PanelState state, long nowNanos) {
            chars += TerminalPanel.render(state, false).length();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int m = s.size() / 2;
        return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
    }
}
