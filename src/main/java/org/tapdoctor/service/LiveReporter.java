package org.tapdoctor.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.tapdoctor.diagnose.Diagnosis;

/**
 * Decides which of the current diagnoses to publish now: a problem is published as soon as it is
 * first seen, and again when it has recurred (its count grew) but at most once per
 * {@code repeatNanos}, so a problem that repeats every second is not re-sent every second.
 * Time is a parameter. Runs on the engine thread.
 */
final class LiveReporter {
    private record Sent(long count, long atNanos) {
    }

    private final long repeatNanos;
    private final Map<String, Sent> sent = new HashMap<>();

    LiveReporter(long repeatNanos) {
        this.repeatNanos = repeatNanos;
    }

    /** The diagnoses due now, out of the current ones. */
    List<Diagnosis> due(List<Diagnosis> current, long nowNanos) {
        return select(current, nowNanos, false);
    }

    /** At shutdown: every diagnosis that is new or grew since it was last published. */
    List<Diagnosis> flush(List<Diagnosis> current, long nowNanos) {
        return select(current, nowNanos, true);
    }

    private List<Diagnosis> select(List<Diagnosis> current, long nowNanos, boolean flush) {
        List<Diagnosis> out = new ArrayList<>();
        for (Diagnosis d : current) {
            String key = key(d);
            Sent s = sent.get(key);
            boolean send = s == null || (d.count() > s.count && (flush || nowNanos - s.atNanos >= repeatNanos));
            if (send) {
                sent.put(key, new Sent(d.count(), nowNanos));
                out.add(d);
            }
        }
        return out;
    }

    /** What makes two diagnoses the same problem. */
    static String key(Diagnosis d) {
        StringBuilder k = new StringBuilder(d.kind().label()).append(' ');
        k.append(d.server() != null ? d.server().toString() : d.client() != null ? "client " + d.client().ip() : "-");
        for (String e : new String[] {"query", "rcode", "side", "table"}) {
            Object v = d.evidence().get(e);
            if (v != null) {
                k.append(' ').append(v);
            }
        }
        return k.toString();
    }
}
