package org.tapdoctor.panel;

import java.util.Arrays;
import java.util.List;

import com.pi4j.io.i2c.I2C;

/**
 * An HD44780 character LCD driven in 4-bit mode through a PCF8574 I2C port expander (the common
 * "I2C backpack"). Each byte written to the PCF8574 sets its eight outputs, wired:
 * <pre>
 *   bit   7    6    5    4    3    2   1   0
 *       +----+----+----+----+----+---+---+---+
 *       | D7 | D6 | D5 | D4 | BL | E |RW |RS |     RS 0 = instruction, 1 = data; RW always 0 (write)
 *       +----+----+----+----+----+---+---+---+     BL backlight transistor; E latches on its falling edge
 * </pre>
 * One nibble is three expander writes: the nibble with E low, with E high, with E low again
 * (data is stable before the rising edge and latched on the falling one). A byte is its high
 * nibble then its low nibble. At 100 kHz one expander write takes ~90 µs, so every instruction
 * (6 writes) outlasts the controller's 37 µs execution time; only clear waits explicitly (2 ms).
 *
 * <p>Initialisation (HD44780U datasheet, figure 24, 4-bit): after power-on wait 50 ms; nibble 0x3
 * three times (waits 4.5 ms, 4.5 ms, 150 µs), nibble 0x2 (4-bit mode); then function set 0x28
 * (2 lines, 5x8 font), display on 0x0C (no cursor, no blink), clear 0x01 (2 ms), entry mode 0x06
 * (increment, no shift). Row starts in DDRAM: 0x00, 0x40, 0x14, 0x54 (a 20x4's rows 3 and 4
 * continue rows 1 and 2).
 *
 * <p>{@link #show} writes only the characters that differ from what the display holds (a shadow
 * copy), each run of changed cells (bridging single unchanged cells) as one address set plus its
 * characters, all in one I2C write.
 * Characters outside printable ASCII become {@code ?} (the A00 ROM has a yen for the backslash
 * and arrows for ~ and DEL, so those become {@code /}, {@code -} and {@code ?}).
 *
 * <p>Caveats: not thread-safe; one owner thread. Pi4J I/O errors are thrown to the caller.
 */
public final class Hd44780 {
    public static final int RS = 0x01;
    public static final int RW = 0x02;
    public static final int E = 0x04;
    public static final int BACKLIGHT = 0x08;
    static final int[] ROW_START = {0x00, 0x40, 0x14, 0x54};

    /** How the driver waits; tests pass one that does not. */
    @FunctionalInterface
    public interface Pause {
        void micros(long micros);

        Pause SLEEP = us -> {
            try {
                Thread.sleep(us / 1000, (int) (us % 1000) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private final I2C i2c;
    private final LcdSize size;
    private final Pause pause;
    private final char[][] shadow;
    private final byte[] buf = new byte[4096];
    private int n;
    private int backlight = BACKLIGHT;

    public Hd44780(I2C i2c, LcdSize size, Pause pause) {
        this.i2c = i2c;
        this.size = size;
        this.pause = pause;
        this.shadow = new char[size.rows()][size.columns()];
    }

    /** Runs the 4-bit initialisation and leaves the display clear, on, backlight on. */
    public void init() {
        backlight = BACKLIGHT;
        expander(backlight);
        flush();
        pause.micros(50_000);
        nibble(0x3, 0);
        flush();
        pause.micros(4_500);
        nibble(0x3, 0);
        flush();
        pause.micros(4_500);
        nibble(0x3, 0);
        flush();
        pause.micros(150);
        nibble(0x2, 0);
        command(0x28);
        command(0x0C);
        flush();
        clear();
        command(0x06);
        flush();
    }

    /** Clears the display (2 ms) and the shadow copy. */
    public void clear() {
        command(0x01);
        flush();
        pause.micros(2_000);
        for (char[] row : shadow) {
            Arrays.fill(row, ' ');
        }
    }

    public void backlight(boolean on) {
        int bl = on ? BACKLIGHT : 0;
        if (bl != backlight) {
            backlight = bl;
            expander(backlight);
            flush();
        }
    }

    /** Makes the display show {@code lines} (missing rows blank), writing only the cells that change. */
    public void show(List<String> lines) {
        for (int r = 0; r < size.rows(); r++) {
            String line = r < lines.size() ? lines.get(r) : "";
            int c = 0;
            while (c < size.columns()) {
                if (shadow[r][c] == cell(line, c)) {
                    c++;
                    continue;
                }
                command(0x80 | (ROW_START[r] + c));
                // a run goes on through one unchanged cell: rewriting it costs what a new address costs
                while (c < size.columns() && (changed(r, line, c) || changed(r, line, c + 1))) {
                    char ch = cell(line, c);
                    data(ch);
                    shadow[r][c] = ch;
                    c++;
                }
            }
        }
        flush();
    }

    /** The text the display holds now, as far as this driver knows. */
    public List<String> shadow() {
        return Arrays.stream(shadow).map(String::new).toList();
    }

    private boolean changed(int r, String line, int c) {
        return c < size.columns() && shadow[r][c] != cell(line, c);
    }

    static char cell(String line, int c) {
        char ch = c < line.length() ? line.charAt(c) : ' ';
        return switch (ch) {
            case '\\' -> '/';
            case '~' -> '-';
            default -> ch >= 0x20 && ch < 0x7E ? ch : '?';
        };
    }

    private void command(int b) {
        nibble(b >> 4, 0);
        nibble(b & 0xF, 0);
    }

    private void data(int b) {
        nibble(b >> 4, RS);
        nibble(b & 0xF, RS);
    }

    private void nibble(int nibble, int rs) {
        int v = (nibble & 0xF) << 4 | backlight | rs;
        expander(v);
        expander(v | E);
        expander(v);
    }

    private void expander(int v) {
        if (n == buf.length) {
            flush();
        }
        buf[n++] = (byte) v;
    }

    private void flush() {
        if (n > 0) {
            i2c.write(buf, 0, n);
            n = 0;
        }
    }
}
