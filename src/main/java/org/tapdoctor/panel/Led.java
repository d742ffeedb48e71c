package org.tapdoctor.panel;

/** What one LED does. {@link #BLINK} is a state, not a phase: the display turns it on and off. */
public enum Led {
    OFF,
    ON,
    BLINK;

    /** Whether the LED is lit at {@code nowNanos}: BLINK is on for 250 ms, off for 250 ms. */
    public boolean litAt(long nowNanos) {
        return this == ON || (this == BLINK && Math.floorMod(nowNanos / 250_000_000L, 2L) == 0);
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
