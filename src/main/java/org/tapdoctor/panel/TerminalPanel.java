package org.tapdoctor.panel;

import java.io.PrintStream;

/**
 * The panel drawn as text: a line of LEDs, the LCD in a box, and the page and backlight:
 * <pre>
 * LEDs  green:blink  amber:on  red:on
 * +----------------+
 * |ok/m 33 fail 11 |
 * |RST 198.51.100.1|
 * +----------------+
 * page 1/14 summary, backlight on
 * </pre>
 * {@link #render} gives that text (with ANSI colours on request); as a {@link PanelDisplay} it
 * redraws it in place on a terminal (cursor up, erase to the end of the screen), and lines
 * printed through {@link #printAbove} scroll above it.
 */
public final class TerminalPanel implements PanelDisplay {
    private static final String RESET = "\033[0m";

    private final PrintStream out;
    private final boolean colour;
    private String drawn;

    public TerminalPanel(PrintStream out, boolean colour) {
        this.out = out;
        this.colour = colour;
    }

    /** The panel as text, lines ending in '\n'. */
    public static String render(PanelState s, boolean colour) {
        StringBuilder sb = new StringBuilder("LEDs  ");
        led(sb, "green", s.green(), "\033[1;32m", colour);
        sb.append("  ");
        led(sb, "amber", s.amber(), "\033[1;33m", colour);
        sb.append("  ");
        led(sb, "red", s.red(), "\033[1;31m", colour);
        sb.append('\n');
        int width = s.lines().isEmpty() ? 0 : s.lines().get(0).length();
        String border = "+" + "-".repeat(width) + "+\n";
        sb.append(border);
        for (String line : s.lines()) {
            sb.append('|');
            if (colour) {
                sb.append(s.backlight() ? "\033[30;42m" : "\033[32;40m").append(line).append(RESET);
            } else {
                sb.append(line);
            }
            sb.append("|\n");
        }
        sb.append(border);
        sb.append("page ").append(s.page()).append('/').append(s.pages()).append(' ').append(s.pageName())
                .append(", backlight ").append(s.backlight() ? "on" : "off").append('\n');
        return sb.toString();
    }

    private static void led(StringBuilder sb, String name, Led led, String on, boolean colour) {
        if (!colour) {
            sb.append(name).append(':').append(led.label());
            return;
        }
        sb.append(led == Led.OFF ? "\033[2m" : on).append(led == Led.OFF ? "o " : "* ").append(name).append(':')
                .append(led.label()).append(RESET);
    }

    @Override
    public synchronized void show(PanelState state, long nowNanos) {
        String text = render(state, colour);
        if (text.equals(drawn)) {
            return;
        }
        erase();
        out.print(text);
        out.flush();
        drawn = text;
    }

    @Override
    public synchronized void printAbove(Runnable print) {
        String text = drawn;
        erase();
        drawn = null;
        out.flush();
        print.run();
        if (text != null) {
            out.print(text);
            out.flush();
            drawn = text;
        }
    }

    private void erase() {
        if (drawn != null) {
            long lines = drawn.chars().filter(c -> c == '\n').count();
            out.print("\033[" + lines + "A\r\033[J");
        }
    }
}
