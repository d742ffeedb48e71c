package org.tapdoctor.diagnose;

/**
 * How many distinct client addresses an aggregated problem had: exact up to
 * {@link ProblemTable#MAX_CLIENTS}, beyond that capped (docs/diagnosis-rules.md section 3).
 *
 * @param count distinct clients counted, at most {@link ProblemTable#MAX_CLIENTS}
 * @param capped true when more clients than that were seen
 */
public record Clients(int count, boolean capped) {
    public static final String CLIENTS = "clients", CLIENTS_CAPPED = "clients_capped";

    public void write(EvidenceWriter w) {
        w.put(CLIENTS, count);
        if (capped) {
            w.put(CLIENTS_CAPPED, true);
        }
    }

    /** More than one client: the evidence is about the server, whoever asks it. */
    public boolean several() {
        return count > 1 || capped;
    }
}
