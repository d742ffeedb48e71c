package org.tapdoctor.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.publish.DiagnosisSink;

/** The panel sink passes everything on at once and never waits for a display that is stuck. */
class PanelSinkTest {

    @Test
    void shouldNeverWaitForAStuckDisplay() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        PanelDisplay stuck = (state, now) -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        AtomicInteger passedOn = new AtomicInteger();
        DiagnosisSink console = d -> passedOn.incrementAndGet();
        PanelSink sink = new PanelSink(console, new PanelModel(LcdSize.LCD_16X2, PanelModel.DEFAULT_HOLD_NANOS, 0),
                stuck, System::nanoTime, () -> "10.0.0.5", "td").start();
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        long start = System.nanoTime();
        for (int i = 0; i < 5000; i++) {
            sink.diagnosis(PanelModelTest.PORT_BLOCKED);
            sink.counters(i, i, 0);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(5000, passedOn.get(), "the console got every diagnosis");
        assertEquals(5000 - 1024, sink.dropped(), "the panel's queue holds 1024; the rest are counted, not waited for");
        assertTrue(ms < 2_000, "5000 diagnoses with the display stuck took " + ms + " ms");
        release.countDown();
        sink.close();
        assertEquals(Led.ON, sink.lastState().red(), "the last frame, drawn at close, shows the queued problem");
    }

    @Test
    void shouldShowWhatItWasGivenOnItsOwnThread() throws Exception {
        List<PanelState> shown = new java.util.concurrent.CopyOnWriteArrayList<>();
        PanelSink sink = new PanelSink(d -> { }, new PanelModel(LcdSize.LCD_16X2, PanelModel.DEFAULT_HOLD_NANOS, System.nanoTime()),
                (state, now) -> shown.add(state), System::nanoTime, () -> "10.0.0.5", "td").start();
        Diagnosis d = PanelModelTest.PORT_BLOCKED;
        sink.diagnosis(d);
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end && (shown.isEmpty() || shown.get(shown.size() - 1).red() != Led.ON)) {
            Thread.sleep(10);
        }
        sink.close();
        PanelState last = shown.get(shown.size() - 1);
        assertEquals(Led.ON, last.red());
        assertEquals(List.of("ok/m 0 fail 0   ", "RST 192.0.2.20:6"), last.lines());
    }
}
