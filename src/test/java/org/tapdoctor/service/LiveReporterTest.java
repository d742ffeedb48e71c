package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.Kind;

class LiveReporterTest {
    static final long S = 1_000_000_000L;

    static Diagnosis refused(long count) {
        Instant t = Instant.EPOCH;
        return new Diagnosis(Kind.REFUSED, t, new Endpoint("192.0.2.10", 40000), new Endpoint("198.51.100.10", 82), count, t, t,
                Map.of("syn", 1), "refused");
    }

    @Test
    void shouldPublishANewProblemAtOnceAndARecurrenceAtMostOncePerRepeatInterval() {
        LiveReporter r = new LiveReporter(60 * S);
        assertEquals(1, r.due(List.of(refused(1)), 0).size(), "new: at once");
        assertEquals(0, r.due(List.of(refused(1)), S).size(), "unchanged: not again");
        assertEquals(0, r.due(List.of(refused(5)), 30 * S).size(), "grew, but within the repeat interval");
        assertEquals(1, r.due(List.of(refused(6)), 60 * S).size(), "grew and the interval passed");
        assertEquals(0, r.due(List.of(refused(6)), 200 * S).size(), "no growth, no repeat");
    }

    @Test
    void shouldFlushWhatGrewAtShutdown() {
        LiveReporter r = new LiveReporter(60 * S);
        r.due(List.of(refused(1)), 0);
        assertEquals(List.of(6L), r.flush(List.of(refused(6)), S).stream().map(Diagnosis::count).toList());
        assertEquals(0, r.flush(List.of(refused(6)), 2 * S).size());
    }

    @Test
    void shouldTellProblemsApartByKindServerAndQuery() {
        Instant t = Instant.EPOCH;
        Diagnosis a = new Diagnosis(Kind.DNS_FAILURE, t, null, new Endpoint("198.51.100.53", 53), 1, t, t,
                Map.of("rcode", "NXDOMAIN", "query", "a.example"), "a");
        Diagnosis b = new Diagnosis(Kind.DNS_FAILURE, t, null, new Endpoint("198.51.100.53", 53), 1, t, t,
                Map.of("rcode", "NXDOMAIN", "query", "b.example"), "b");
        assertEquals(2, new LiveReporter(S).due(List.of(a, b, refused(1)), 0).size() - 1);
    }
}
