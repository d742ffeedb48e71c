package org.tapdoctor.publish;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.DiagnosisListener;

/**
 * Where diagnoses and periodic stats go (console, MQTT, the panel). Called on the engine thread:
 * an implementation must return quickly and never block on a network or a device; a slow sink
 * buffers or drops on its own side and says so. Withdrawn and retired diagnoses
 * ({@link DiagnosisListener}) are ignored unless a sink says otherwise.
 */
public interface DiagnosisSink extends DiagnosisListener, AutoCloseable {
    @Override
    void diagnosis(Diagnosis d);

    default void stats(Stats s) {
    }

    /**
     * The engine's running totals, about every 100 ms (live): frames handed to the engine,
     * handshakes completed and failed. For the panel's activity LED and per-minute rates.
     */
    default void counters(long frames, long handshakesOk, long handshakesFailed) {
    }

    @Override
    default void close() {
    }
}
