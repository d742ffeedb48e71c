package org.tapdoctor.diagnose.kinds;

import java.time.Instant;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.EvidenceWriter;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.KindRule;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.diagnose.Severity;

/**
 * {@code table_full}: a tracking table was full and evicted entries (docs/diagnosis-rules.md
 * section 4): diagnoses may be incomplete. For the problems table, evicted problems had been
 * reported; those that could not even be recorded are counted apart.
 */
public final class TableFull extends KindRule<TableFull.Evidence> {
    public static final String PROBLEMS = "problems";

    /**
     * @param table {@code connections}, {@code servers}, {@code arp}, {@code dns} or {@code problems}
     * @param capacity its capacity
     * @param evictions entries evicted (problems: evicted after they were reported)
     * @param evictedUnanswered connections only: evicted attempts nobody had answered yet, else -1
     * @param unrecorded problems only: problems that could not be recorded, else -1
     */
    public record Evidence(String table, int capacity, long evictions, long evictedUnanswered, long unrecorded)
            implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put("table", table);
            w.put("capacity", capacity);
            w.put("evictions", evictions);
            if (evictedUnanswered >= 0) {
                w.put("evicted_unanswered", evictedUnanswered);
            }
            if (unrecorded >= 0) {
                w.put("unrecorded", unrecorded);
            }
        }
    }

    public TableFull(Kind kind) {
        super(kind, Severity.WARNING, "a tracking table was full and dropped entries: diagnoses may be incomplete",
                Evidence.class);
    }

    /** The diagnosis of one table, as of {@code time}. */
    public Diagnosis diagnosis(Evidence e, Instant time) {
        return diagnosis(kind().label() + " " + e.table, null, null, Math.max(1, e.evictions + Math.max(0, e.unrecorded)),
                time, time, e);
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        if (e.table.equals(PROBLEMS)) {
            return "the problems table (" + e.capacity + " entries) was full: " + e.evictions
                    + " problems evicted after they were reported, " + Math.max(0, e.unrecorded)
                    + " could not be recorded; diagnoses may be incomplete";
        }
        return "the " + e.table + " table (" + e.capacity + " entries) was full: " + e.evictions
                + " entries evicted, diagnoses may be incomplete";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "TABLE FULL";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return e.table + " evicted " + e.evictions;
    }

    /** The box's own health. */
    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return null;
    }

    /** The box's own health: no frames to show. */
    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return null;
    }
}
