package org.tapdoctor.site;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Keeps the site record up to date and says when a person would see it change. Per frame it only
 * sums the sources' {@link SiteSource#siteChanges()} counters (no allocation); when the sum moved
 * it builds a new record, and it hands the record on when its {@link SiteRecord#readable()} view
 * differs from the last one handed on (a TTL refresh, a lease counted or a first-seen time is not
 * a change). An empty record is handed on only after a non-empty one (a switch that left).
 *
 * <p>Caveats: one owner (the engine thread); {@code now} is the engine's time (packet time or the
 * monotonic clock counted from the wall clock at start).
 */
public final class SiteRecorder {
    private final SiteSource[] sources;
    private final LongSupplier dnsAnswers;
    private final Consumer<SiteRecord> out;
    private long seen = Long.MIN_VALUE;
    private long linkChanges;
    private Map<String, String> links = Map.of();
    private SiteRecord latest;
    private SiteRecord lastPrinted;
    private long records;

    /**
     * @param sources the tables that know part of the site, in record order
     * @param dnsAnswers how many DNS responses carried an answer so far (0: DNS not verified)
     * @param out where a changed record goes (on the caller's thread)
     */
    public SiteRecorder(List<SiteSource> sources, LongSupplier dnsAnswers, Consumer<SiteRecord> out) {
        this.sources = sources.toArray(new SiteSource[0]);
        this.dnsAnswers = dnsAnswers;
        this.out = out;
    }

    /** After a frame or a move of time: rebuilds the record when a source reports a change. Allocates nothing otherwise. */
    public void check(long now) {
        long sum = linkChanges + (dnsAnswers.getAsLong() > 0 ? 1 : 0);
        for (SiteSource s : sources) {
            sum += s.siteChanges();
        }
        if (sum == seen) {
            return;
        }
        seen = sum;
        SiteRecord.Builder b = new SiteRecord.Builder(now).links(links).dnsAnswered(dnsAnswers.getAsLong() > 0);
        for (SiteSource s : sources) {
            s.addTo(b, now);
        }
        latest = b.build();
        records++;
        SiteRecord view = latest.readable();
        boolean print = lastPrinted == null ? !latest.isEmpty() : !view.equals(lastPrinted);
        if (print) {
            lastPrinted = view;
            out.accept(latest);
        }
    }

    /** The NICs' link states (live, side A first): a change of one is a change of the record. */
    public void links(Map<String, String> states) {
        if (!states.equals(links)) {
            links = new java.util.LinkedHashMap<>(states);
            linkChanges++;
        }
    }

    /** The latest record built (null before the first check), counters included. */
    public SiteRecord latest() {
        return latest;
    }

    /** Records built so far (each on a change a source reported). */
    public long records() {
        return records;
    }
}
