package org.tapdoctor.publish.mqtt;

import org.tapdoctor.diagnose.Severity;

/**
 * The box's health as {@code <prefix>/status} says it, from the diagnoses sent to the broker:
 * {@code failure} while a critical diagnosis was decided in the last 5 minutes, else
 * {@code warning} while a warning one was, else {@code ok}. {@link #problem} (Home Assistant's
 * problem binary sensor) is {@code failure}.
 *
 * <p>A diagnosis counts from the moment it was handed to the sink (its {@code decidedMillis}),
 * but only once it has been sent: Home Assistant never shows a problem whose diagnosis it cannot
 * have seen, and one delivered late after an outage counts only for what is left of its 5
 * minutes. An acknowledgement (the panel's long press, the remote {@code ack}) clears the health:
 * diagnoses decided at or before it no longer count.
 *
 * <p>Caveats: time is a parameter (milliseconds of one clock, the same for every call; the sink
 * passes its {@link java.time.InstantSource}'s); not thread-safe: the sink's publisher thread owns it.
 */
final class SinkHealth {
    static final long WINDOW_MILLIS = 5 * 60_000L;
    private static final long NEVER = Long.MIN_VALUE / 2;

    private long lastCritical = NEVER;
    private long lastWarning = NEVER;
    private long acknowledged = NEVER;

    /** A diagnosis of this severity, decided at {@code decidedMillis}, was sent. */
    void sent(Severity severity, long decidedMillis) {
        if (decidedMillis <= acknowledged) {
            return;
        }
        if (severity == Severity.CRITICAL) {
            lastCritical = Math.max(lastCritical, decidedMillis);
        } else if (severity == Severity.WARNING) {
            lastWarning = Math.max(lastWarning, decidedMillis);
        }
    }

    /** Everything decided up to now is acknowledged. */
    void acknowledge(long nowMillis) {
        acknowledged = Math.max(acknowledged, nowMillis);
        lastCritical = NEVER;
        lastWarning = NEVER;
    }

    /** {@code ok}, {@code warning} or {@code failure}. */
    String health(long nowMillis) {
        if (nowMillis - lastCritical < WINDOW_MILLIS) {
            return "failure";
        }
        return nowMillis - lastWarning < WINDOW_MILLIS ? "warning" : "ok";
    }

    boolean problem(long nowMillis) {
        return nowMillis - lastCritical < WINDOW_MILLIS;
    }
}
