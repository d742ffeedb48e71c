package org.tapdoctor.diagnose;

import org.tapdoctor.track.Attempt;
import org.tapdoctor.track.Outcome;
import org.tapdoctor.wire.DecodedFrame;

/**
 * A kind decided by an {@link Outcome} of a TCP attempt, under a condition when the outcome alone
 * does not say it (docs/diagnosis-rules.md section 1): the diagnoser aggregates the attempt into
 * its problem ({@link Problem#occurrence(Attempt, long)}), then the rule keeps what its evidence
 * needs of it.
 *
 * @param <E> the kind's own evidence record
 */
public abstract class AttemptRule<E extends Evidence> extends ProblemRule<E> {

    protected AttemptRule(Kind kind, Severity severity, String meaning, Class<E> evidenceType) {
        super(kind, severity, meaning, evidenceType);
    }

    /** The tracker outcomes that decide this kind (when {@link #decides} says so). */
    public abstract java.util.Set<Outcome> outcomes();

    /** Whether an attempt that reached one of its outcomes is this kind (a condition beyond the outcome). */
    public boolean decides(Attempt a, Outcome o) {
        return true;
    }

    /**
     * Keeps what the evidence needs of one attempt that reached the outcome (its count, times,
     * client and SYNs are already aggregated).
     * @param decidingFrame the frame that decided it (the RST, the ICMP error), or null for a timeout
     */
    protected abstract void record(Problem p, Attempt a, long time, DecodedFrame decidingFrame);
}
