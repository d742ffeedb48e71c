package org.tapdoctor.diagnose;

import java.time.Instant;
import java.util.Objects;

/**
 * One kind of problem as one unit: how it is decided (the subclass's rule: from which tracker
 * outcome or event, under which conditions), its evidence as a typed value {@code E}, its summary
 * in plain words, its LCD text, where its evidence points ({@link Placement.Fault}) and which
 * frames form its evidence pcap ({@link FrameSelection}). Each is an abstract method, so a kind
 * cannot be half-added; a kind with nothing to say for one of them returns null and documents why.
 *
 * <p>A diagnosis of a kind may also carry folded evidence ({@link Folded}: many ports of a host,
 * many servers of a client, many names of a DNS server as one line); the entry points here
 * dispatch to the fold, which speaks through the kind of its sample.
 *
 * <p>Rules are stateless and thread-safe; each is created once, by its {@link Kind}.
 *
 * @param <E> the kind's own evidence record
 */
public abstract class KindRule<E extends Evidence> {
    private final Kind kind;
    private final Severity severity;
    private final String meaning;
    private final Class<E> evidenceType;

    protected KindRule(Kind kind, Severity severity, String meaning, Class<E> evidenceType) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.severity = Objects.requireNonNull(severity, "severity");
        this.meaning = Objects.requireNonNull(meaning, "meaning");
        this.evidenceType = Objects.requireNonNull(evidenceType, "evidenceType");
    }

    public final Kind kind() {
        return kind;
    }

    public final Severity severity() {
        return severity;
    }

    /** One line saying what was observed. */
    public final String meaning() {
        return meaning;
    }

    public final Class<E> evidenceType() {
        return evidenceType;
    }

    // ---- what each kind says ----

    /** The one-line summary in plain words: what failed, where, and what it means. */
    protected abstract String summary(Endpoint client, Endpoint server, long count, E e);

    /** The LCD's first row starts with this tag ({@code RST}, {@code NO REPLY}); {@link #where} follows. */
    protected abstract String lcdTag(E e);

    /** What the LCD names after the tag: the server, or for the box's own health its NIC. */
    protected String where(Diagnosis d, E e) {
        return d.server() == null ? "" : d.server().toString();
    }

    /** The LCD's second row: the evidence that matters, in a few words. */
    protected abstract String lcdDetail(Diagnosis d, E e);

    /**
     * Where the evidence points (docs/diagnosis-rules.md section 6), or null when it points to no
     * side of the box (the box's own health, a conflict among hosts of one segment).
     */
    protected abstract Placement.Fault fault(Diagnosis d, E e);

    /** The frames of the evidence pcap, or null when the kind has none (the box's own health). */
    protected abstract FrameSelection frames(Diagnosis d, E e);

    // ---- entry points ----

    /** A diagnosis of this kind, its summary written by the kind. */
    public final Diagnosis diagnosis(String key, Endpoint client, Endpoint server, long count, Instant first, Instant last,
                                     E evidence) {
        return new Diagnosis(key, kind, last, client, server, count, first, last, evidence,
                summary(client, server, count, evidence), null, null);
    }

    /** The LCD tag of any diagnosis of this kind (folded or not; one read back from JSON: the kind's name). */
    public final String lcdTag(Diagnosis d) {
        if (d.evidence() instanceof Folded f) {
            return f.sample().kind().rule().lcdTag(f.sample());
        }
        E e = typed(d);
        return e == null ? kind.name().replace('_', ' ') : lcdTag(e);
    }

    /** What the LCD names after the tag, for any diagnosis of this kind (a folded one: its server, or nothing). */
    public final String where(Diagnosis d) {
        E e = typed(d);
        if (e == null) {
            return d.server() == null ? "" : d.server().toString();
        }
        return where(d, e);
    }

    /** More than {@code diagnose.max-ports-per-host} of it on one host are one line without a port. */
    public boolean foldsByHost() {
        return false;
    }

    /** One client failing so toward more than {@code diagnose.max-servers-per-client} servers is one line. */
    public boolean foldsByClient() {
        return false;
    }

    /** The LCD detail row of any diagnosis of this kind (folded or not). */
    public final String lcdDetail(Diagnosis d) {
        if (d.evidence() instanceof Folded f) {
            return f.lcdDetail(d);
        }
        E e = typed(d);
        return e == null ? d.summary() : lcdDetail(d, e);
    }

    /** Where any diagnosis of this kind points (a folded one: where its sample points; one read back: its placement). */
    public final Placement.Fault fault(Diagnosis d) {
        if (d.evidence() instanceof Folded f) {
            return f.sample().kind().rule().fault(f.sample());
        }
        E e = typed(d);
        if (e == null) {
            return d.placement() == null ? null : d.placement().fault();
        }
        return fault(d, e);
    }

    /** The evidence frames of any diagnosis of this kind, or null (none for one read back from JSON). */
    public final FrameSelection frames(Diagnosis d) {
        if (d.evidence() instanceof Folded f) {
            return f.frames(d);
        }
        E e = typed(d);
        return e == null ? null : frames(d, e);
    }

    /**
     * The kind's own evidence of {@code d}, or null when it carries other evidence: a fold, or a
     * diagnosis read back from JSON (watch, tests) whose evidence is only its fields.
     */
    private E typed(Diagnosis d) {
        if (d.kind() != kind) {
            throw new IllegalArgumentException(d.kind() + " is not " + kind);
        }
        return evidenceType.isInstance(d.evidence()) ? evidenceType.cast(d.evidence()) : null;
    }
}
