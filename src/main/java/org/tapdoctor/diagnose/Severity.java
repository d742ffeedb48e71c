package org.tapdoctor.diagnose;

/** How bad a diagnosis is, as the LEDs show it: red, amber, or just information. */
public enum Severity {
    CRITICAL,
    WARNING,
    INFO;

    /** The lower-case name used in JSON and on the console. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
