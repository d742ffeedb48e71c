package org.tapdoctor.diagnose;

import org.tapdoctor.site.SiteRecord;

/**
 * What the {@link Reporter} streams, on the engine thread: every diagnosis when it is decided and
 * again when it has recurred; the diagnoses a later verdict replaced; the problems that aged out.
 * An implementation must return quickly and never block.
 */
public interface DiagnosisListener {
    /** A diagnosis decided, or one that recurred (a newer one with the same {@link Diagnosis#key}). */
    void diagnosis(Diagnosis d);

    /**
     * A diagnosis published earlier is no longer true as it stood: a later verdict replaced it (a
     * {@code no_response} that became {@code port_blocked} once another port worked, diagnoses
     * folded into one line, a search-list NXDOMAIN whose short name resolved).
     */
    default void withdrawn(Diagnosis d) {
    }

    /**
     * The final state of a published diagnosis that changed without recurring (a verdict's
     * evidence that grew: more working ports, another host that works), given at a flush: not
     * worth publishing again, but a replay's report shows it.
     */
    default void revised(Diagnosis d) {
    }

    /**
     * A problem published earlier left the box's memory (quiet for {@code report.retire}, or
     * evicted to make room for a new one): its last state, which may say more than its last
     * publication (a replay keeps it in its report).
     */
    default void retired(Diagnosis last) {
    }

    /**
     * The site record changed in a way a person would read (a switch, server, gateway or router
     * appeared, changed or left; a check of the checklist moved): its new state.
     */
    default void site(SiteRecord record) {
    }
}
