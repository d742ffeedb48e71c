package org.tapdoctor.publish;

import org.tapdoctor.diagnose.Diagnosis;

/**
 * Where diagnoses and periodic stats go (console now; MQTT and the panel later). Called on the
 * engine thread: an implementation must return quickly and never block on a network or a
 * device; a slow sink buffers or drops on its own side and says so.
 */
public interface DiagnosisSink extends AutoCloseable {
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
