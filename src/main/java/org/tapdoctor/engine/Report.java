package org.tapdoctor.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.DiagnosisListener;
import org.tapdoctor.site.SiteRecord;

/**
 * What a replay reports, built from the reporter's stream: the latest of each diagnosis, without
 * those a later verdict withdrew, and with those that were retired (a capture longer than
 * {@code report.retire} reports each episode of a problem). Grows with the capture, as a report
 * must; the live service keeps none.
 */
public final class Report implements DiagnosisListener {
    /** Replay's order: first occurrence, then kind, server address and port. */
    public static final Comparator<Diagnosis> ORDER = Comparator.comparing(Diagnosis::first)
            .thenComparing(d -> d.kind().ordinal())
            .thenComparing(d -> d.server() == null ? "" : d.server().ip())
            .thenComparingInt(d -> d.server() == null ? -1 : d.server().port());

    private final Map<String, Diagnosis> current = new LinkedHashMap<>();
    private final List<Diagnosis> retired = new ArrayList<>();
    private final List<SiteRecord> sites = new ArrayList<>();

    @Override
    public void diagnosis(Diagnosis d) {
        current.put(d.key(), d);
    }

    @Override
    public void revised(Diagnosis d) {
        current.replace(d.key(), d);
    }

    @Override
    public void withdrawn(Diagnosis d) {
        current.remove(d.key());
    }

    @Override
    public void retired(Diagnosis last) {
        current.remove(last.key());
        retired.add(last);
    }

    @Override
    public void site(SiteRecord record) {
        sites.add(record);
    }

    /** The site record each time it changed, in time order (what the live service would have printed). */
    public List<SiteRecord> sites() {
        return List.copyOf(sites);
    }

    /** Every diagnosis of the report, in {@link #ORDER}. */
    public List<Diagnosis> diagnoses() {
        List<Diagnosis> out = new ArrayList<>(retired);
        out.addAll(current.values());
        out.sort(ORDER);
        return out;
    }
}
