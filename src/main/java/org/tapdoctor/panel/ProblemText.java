package org.tapdoctor.panel;

import org.tapdoctor.diagnose.Diagnosis;

/**
 * A diagnosis in field shorthand for a character LCD, as its kind writes it: a title ({@code RST
 * 192.0.2.20:6036}, {@code NO REPLY 198.51.100.140}) and a detail line ({@code port blocked, 80
 * ok}, {@code 3 SYN x3 ports}), then, on tall displays, how often and where it points. Lines may be
 * longer than the display: the model scrolls them.
 */
final class ProblemText {
    private ProblemText() {
    }

    /** The first line: what failed, and where. */
    static String title(Diagnosis d) {
        String tag = d.kind().rule().lcdTag(d);
        String where = d.kind().rule().where(d);
        return where.isEmpty() ? tag : tag + " " + where;
    }

    /** The second line: the evidence that matters, in a few words. */
    static String detail(Diagnosis d) {
        return d.kind().rule().lcdDetail(d);
    }

    /** A third line for tall displays: how often and how long ago. */
    static String seen(Diagnosis d, long agoNanos) {
        long s = Math.max(0, agoNanos / 1_000_000_000L);
        String ago = s < 120 ? s + "s ago" : s / 60 + "m ago";
        return "x" + d.count() + " last " + ago;
    }

    /** A fourth line for tall displays: where the evidence points, or who asked. */
    static String origin(Diagnosis d) {
        if (d.placement() != null && d.placement().fault() != null) {
            return "fault: " + d.placement().fault().label().replace('_', ' ');
        }
        return d.client() == null ? "" : "from " + (d.client().ip() != null ? d.client().ip() : d.client().mac());
    }
}
