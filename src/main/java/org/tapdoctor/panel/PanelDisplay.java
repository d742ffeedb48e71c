package org.tapdoctor.panel;

/**
 * Where a {@link PanelState} is shown: the LEDs and LCD on the box ({@link Pi4jPanel}) or a
 * terminal ({@link TerminalPanel}). Called only on the panel thread.
 */
public interface PanelDisplay extends AutoCloseable {
    /** Shows the state; {@code nowNanos} decides the phase of blinking LEDs. May be slow (I2C), never on the engine thread. */
    void show(PanelState state, long nowNanos);

    /** Where the display reports button presses ({@code true} down, {@code false} up); none by default. */
    default void buttons(ButtonListener listener) {
    }

    /**
     * Runs {@code print}, which writes other output (a diagnosis line) where the display also
     * writes, without mixing the two: a terminal panel drawn in place erases itself first and
     * redraws after. Called on the engine thread: must not wait for {@link #show}'s slow parts.
     */
    default void printAbove(Runnable print) {
        print.run();
    }

    @Override
    default void close() {
    }

    /** Button edges from the hardware's own thread. */
    @FunctionalInterface
    interface ButtonListener {
        void button(boolean pressed);
    }
}
