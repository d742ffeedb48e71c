package org.tapdoctor.panel;

/**
 * The character grid of an HD44780 display: 16x2 (the default) or 20x4. Immutable.
 *
 * @param columns characters per row
 * @param rows rows
 */
public record LcdSize(int columns, int rows) {
    public static final LcdSize LCD_16X2 = new LcdSize(16, 2);
    public static final LcdSize LCD_20X4 = new LcdSize(20, 4);

    public LcdSize {
        if (columns < 8 || columns > 40 || rows < 1 || rows > 4) {
            throw new IllegalArgumentException("LCD size out of range: " + columns + "x" + rows + " (expected 8..40 x 1..4)");
        }
    }

    /** {@code 16x2} or {@code 20x4}. */
    public static LcdSize parse(String s) {
        return switch (s) {
            case "16x2" -> LCD_16X2;
            case "20x4" -> LCD_20X4;
            default -> throw new IllegalArgumentException("unknown LCD size '" + s + "' (expected 16x2 or 20x4)");
        };
    }

    @Override
    public String toString() {
        return columns + "x" + rows;
    }
}
