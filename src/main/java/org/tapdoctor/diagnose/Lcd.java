package org.tapdoctor.diagnose;

import java.util.List;

/** Small pieces of LCD text shared by kinds. The display scrolls lines longer than its width. */
public final class Lcd {
    private Lcd() {
    }

    /** {@code " x3"} for a diagnosis aggregating three, nothing for one. */
    public static String times(Diagnosis d) {
        return d.count() > 1 ? " x" + d.count() : "";
    }

    /** A short form of {@code rst_from}: {@code server}, {@code middlebox} or {@code ?}. */
    public static String from(RstOrigin rst) {
        return rst.from() == RstOrigin.From.UNKNOWN ? "?" : rst.from().label();
    }

    /** {@code 80} for one working port, {@code 80+3} for four, {@code others} for none known. */
    public static String okPorts(List<Integer> ports) {
        if (ports.isEmpty()) {
            return "others";
        }
        return ports.size() == 1 ? String.valueOf(ports.get(0)) : ports.get(0) + "+" + (ports.size() - 1);
    }
}
