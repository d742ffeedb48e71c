package org.tapdoctor.panel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small HD44780 behind a PCF8574, for tests: replays the bytes written to the expander and keeps
 * what a person would read. It latches D4-D7 and RS on each falling edge of E, starts in 8-bit
 * mode (one latch per instruction, D0-D3 not wired) until function set switches it to 4 bits,
 * then pairs nibbles, high first. It knows clear, set DDRAM address, entry mode (increment),
 * display control, function set and data writes, and the two-line DDRAM layout (0x00-0x27,
 * 0x40-0x67; a 20x4's rows 3 and 4 at 0x14 and 0x54). Anything else fails the test.
 */
public final class Hd44780Emulator {
    private final int columns;
    private final int rows;
    private final char[] ddram = new char[0x80];
    private boolean fourBit;
    private boolean twoLines;
    private boolean displayOn;
    private boolean backlight;
    private int address;
    private int previous = 0;
    private int pendingHigh = -1;
    private int pendingRs;
    private final List<String> log = new ArrayList<>();

    public Hd44780Emulator(int columns, int rows) {
        this.columns = columns;
        this.rows = rows;
        Arrays.fill(ddram, '#'); // power-on garbage, so a missing clear shows
    }

    public void feed(byte[] bytes) {
        for (byte b : bytes) {
            feed(b & 0xFF);
        }
    }

    void feed(int b) {
        if ((b & Hd44780.RW) != 0) {
            throw new AssertionError("RW must stay 0: " + Integer.toHexString(b));
        }
        backlight = (b & Hd44780.BACKLIGHT) != 0;
        boolean falling = (previous & Hd44780.E) != 0 && (b & Hd44780.E) == 0;
        if (falling && (previous & 0xF1) != (b & 0xF1)) {
            throw new AssertionError("data or RS changed with the falling edge of E: " + Integer.toHexString(previous)
                    + " -> " + Integer.toHexString(b));
        }
        previous = b;
        if (!falling) {
            return;
        }
        int nibble = b >> 4;
        int rs = b & Hd44780.RS;
        if (!fourBit) {
            execute(nibble << 4, rs);
            return;
        }
        if (pendingHigh < 0) {
            pendingHigh = nibble;
            pendingRs = rs;
        } else {
            if (rs != pendingRs) {
                throw new AssertionError("RS changed between the two nibbles of a byte");
            }
            execute(pendingHigh << 4 | nibble, rs);
            pendingHigh = -1;
        }
    }

    private void execute(int v, int rs) {
        if (rs != 0) {
            ddram[address] = (char) v;
            address = next(address);
            log.add(String.format("data %02x", v));
            return;
        }
        log.add(String.format("cmd %02x", v));
        if (v == 0x01) {
            Arrays.fill(ddram, ' ');
            address = 0;
        } else if ((v & 0x80) != 0) {
            address = v & 0x7F;
        } else if ((v & 0x20) != 0) {
            fourBit = (v & 0x10) == 0;
            twoLines = (v & 0x08) != 0;
        } else if ((v & 0x08) != 0) {
            displayOn = (v & 0x04) != 0;
        } else if ((v & 0xFC) == 0x04) {
            if (v != 0x06) {
                throw new AssertionError("only entry mode increment without shift is emulated: " + v);
            }
        } else {
            throw new AssertionError("instruction not emulated: " + Integer.toHexString(v));
        }
    }

    private int next(int a) {
        return switch (a) {
            case 0x27 -> 0x40;
            case 0x67 -> 0x00;
            default -> a + 1;
        };
    }

    /** What the display shows, row by row (blank when the display is off). */
    public List<String> screen() {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                sb.append(displayOn ? ddram[Hd44780.ROW_START[r] + c] : ' ');
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** Everything written to a mock I2C device since the last call (the mock keeps writes in a FIFO). */
    public static byte[] written(com.pi4j.io.i2c.I2C i2c) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] b = new byte[256];
        int n;
        while ((n = i2c.read(b, 0, b.length)) > 0) {
            out.write(b, 0, n);
            if (n < b.length) {
                break;
            }
        }
        return out.toByteArray();
    }

    boolean fourBit() { return fourBit; }
    boolean twoLines() { return twoLines; }
    boolean displayOn() { return displayOn; }
    boolean backlight() { return backlight; }
    List<String> log() { return log; }
}
