package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Severity;

/** The status's health over time, time being a number: no sleeps. */
class SinkHealthTest {
    static final long MIN = 60_000L;
    static final long T0 = 1_790_000_000_000L;

    @Test
    void shouldBeOkUntilADiagnosisIsSent() {
        SinkHealth h = new SinkHealth();
        assertEquals("ok", h.health(T0));
        assertFalse(h.problem(T0));
        h.sent(Severity.INFO, T0);
        assertEquals("ok", h.health(T0 + 1));
    }

    @Test
    void shouldBeFailureForExactlyFiveMinutesAfterACriticalOne() {
        SinkHealth h = new SinkHealth();
        h.sent(Severity.CRITICAL, T0);
        assertEquals("failure", h.health(T0));
        assertTrue(h.problem(T0));
        assertEquals("failure", h.health(T0 + 5 * MIN - 1));
        assertTrue(h.problem(T0 + 5 * MIN - 1));
        assertEquals("ok", h.health(T0 + 5 * MIN));
        assertFalse(h.problem(T0 + 5 * MIN));
    }

    @Test
    void shouldFallBackToWarningWhenOnlyTheWarningIsRecent() {
        SinkHealth h = new SinkHealth();
        h.sent(Severity.CRITICAL, T0);
        h.sent(Severity.WARNING, T0 + 3 * MIN);
        assertEquals("failure", h.health(T0 + 4 * MIN));
        assertEquals("warning", h.health(T0 + 5 * MIN));
        assertFalse(h.problem(T0 + 5 * MIN), "a warning is no problem for the binary sensor");
        assertEquals("warning", h.health(T0 + 8 * MIN - 1));
        assertEquals("ok", h.health(T0 + 8 * MIN));
    }

    @Test
    void shouldCountFromWhenTheDiagnosisWasDecidedNotWhenItWasSent() {
        SinkHealth h = new SinkHealth();
        // decided at T0, delivered 4 minutes later after an outage: 1 minute of failure left
        h.sent(Severity.CRITICAL, T0);
        assertEquals("failure", h.health(T0 + 4 * MIN));
        assertEquals("ok", h.health(T0 + 5 * MIN));
        // an older one sent later does not move the newest back
        h.sent(Severity.CRITICAL, T0 + 10 * MIN);
        h.sent(Severity.CRITICAL, T0 + 2 * MIN);
        assertEquals("failure", h.health(T0 + 14 * MIN));
    }

    @Test
    void shouldForgetWhatWasDecidedBeforeAnAcknowledgement() {
        SinkHealth h = new SinkHealth();
        h.sent(Severity.CRITICAL, T0);
        h.sent(Severity.WARNING, T0 + 1);
        h.acknowledge(T0 + MIN);
        assertEquals("ok", h.health(T0 + MIN));
        // decided before the ack, sent after it (it was waiting in the outbox): still acknowledged
        h.sent(Severity.CRITICAL, T0 + MIN - 1);
        assertEquals("ok", h.health(T0 + MIN + 1));
        h.sent(Severity.CRITICAL, T0 + MIN + 1);
        assertEquals("failure", h.health(T0 + MIN + 2), "a problem after the ack counts again");
    }
}
