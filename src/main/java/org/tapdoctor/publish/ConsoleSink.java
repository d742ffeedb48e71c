package org.tapdoctor.publish;

import java.io.PrintStream;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.site.SiteRecord;

/**
 * Diagnoses on stdout: one JSON object per line ({@code jsonl}: nothing else is printed, stats
 * included, so the stream stays parseable; the site record is its own {@code "kind":"site"} line) or the human line ({@code text}, with the stats line).
 */
public final class ConsoleSink implements DiagnosisSink {
    private final PrintStream out;
    private final boolean jsonl;

    public ConsoleSink(PrintStream out, boolean jsonl) {
        this.out = out;
        this.jsonl = jsonl;
    }

    @Override
    public synchronized void diagnosis(Diagnosis d) {
        out.println(jsonl ? DiagnosisJson.toJson(d) : DiagnosisText.format(d));
        out.flush();
    }

    /** The site record when it changed: {@code {"kind":"site",...}} (jsonl) or {@code site: ...}. */
    @Override
    public synchronized void site(SiteRecord r) {
        out.println(jsonl ? SiteJson.toJson(r) : SiteText.line(r));
        out.flush();
    }

    @Override
    public synchronized void stats(Stats s) {
        if (!jsonl) {
            out.println(s.line());
            out.flush();
        }
    }
}
