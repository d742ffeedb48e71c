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

    @Override
    default void close() {
    }
}
