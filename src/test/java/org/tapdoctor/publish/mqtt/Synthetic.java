package org.tapdoctor.publish.mqtt;

import java.time.Instant;
import org.tapdoctor.diagnose.Diagnoses;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.Kind;

/** Synthetic diagnoses for tests that drive a sink directly: distinct, of the kind asked. */
public final class Synthetic {
    private Synthetic() {
    }

    public static Diagnosis diagnosis(Kind kind, int n) {
        Instant t = Instant.ofEpochMilli(1_790_000_000_000L + n);
        return Diagnoses.raw(kind, new Endpoint("192.0.2.10", 40000 + (n % 20000)), new Endpoint("198.51.100.10", 80), 1, t,
                w -> w.put("n", n), "synthetic diagnosis " + n);
    }

    public static Diagnosis refused(int n) {
        return diagnosis(Kind.REFUSED, n);
    }
}
