package org.tapdoctor.diagnose;

import java.time.Instant;

import org.tapdoctor.wire.IpAddresses;

/**
 * A kind whose occurrences are held as problems in the {@link ProblemTable} (aggregated per
 * server, port and the kind's own key), as opposed to the verdicts built from them
 * ({@code port_blocked}, {@code host_unreachable}) and the box's own health. The subclass records
 * what it needs of an occurrence in the problem's values (its rule) and builds its evidence from
 * them and from the facts about the server.
 *
 * @param <E> the kind's own evidence record
 */
public abstract class ProblemRule<E extends Evidence> extends KindRule<E> {

    protected ProblemRule(Kind kind, Severity severity, String meaning, Class<E> evidenceType) {
        super(kind, severity, meaning, evidenceType);
    }

    /** The evidence of a held problem, from what the rule recorded and the facts about its server. */
    protected abstract E evidence(Problem p, Facts facts);

    /**
     * The SYNs its evidence counts ({@link Evidence#synCount()} of {@link #evidence}), read
     * without building the evidence: what a folded line sums.
     */
    public long syn(Problem p) {
        return 0;
    }

    /** Its failures make the port- and host-level verdicts (docs/diagnosis-rules.md section 2). */
    public boolean synFailure() {
        return false;
    }

    /** Whether a held problem is no failure after all (a search-list NXDOMAIN whose short name resolved). */
    public boolean dismissed(Problem p, Facts facts) {
        return false;
    }

    /** The problem as a diagnosis: server (ip, port), and the first occurrence's client when it has a port. */
    public Diagnosis diagnosis(Problem p, Facts facts) {
        Endpoint server = new Endpoint(IpAddresses.format(p.serverHi(), p.serverLo()), Math.max(-1, p.serverPort()));
        return diagnosis(key(p), client(p), server, p.count(), time(p.first()), time(p.last()), evidence(p, facts));
    }

    /** The problem's first client, (ip, port), or null when the kind has no client port. */
    public static Endpoint client(Problem p) {
        return p.clientPort() >= 0 ? new Endpoint(IpAddresses.format(p.clientHi(), p.clientLo()), p.clientPort()) : null;
    }

    /** What makes two diagnoses the same problem: kind, server, port and the kind's own key. */
    public String key(Problem p) {
        String server = new Endpoint(IpAddresses.format(p.serverHi(), p.serverLo()), Math.max(-1, p.serverPort())).toString();
        return kind().label() + " " + server + (p.extra() != 0 ? " #" + Long.toHexString(p.extra()) : "");
    }

    /** Packet (or monotonic) nanoseconds as an instant. */
    public static Instant time(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
