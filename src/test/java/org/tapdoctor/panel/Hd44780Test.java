package org.tapdoctor.panel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HD44780 driver on Pi4J's mock platform: the exact bytes the PCF8574 receives for init,
 * clear and a page, and what an emulated display shows after replaying them (16x2 and 20x4).
 */
class Hd44780Test {
    private final Context pi4j = mockContext();
    private final List<Long> pauses = new ArrayList<>();

    static Context mockContext() {
        return Pi4J.newContextBuilder().add(new MockPlatform())
                .add(MockI2CProvider.newInstance(), MockDigitalOutputProvider.newInstance(), MockDigitalInputProvider.newInstance())
                .build();
    }

    @AfterEach
    void shutdown() {
        pi4j.shutdown();
    }

    static byte[] written(I2C i2c) {
        return Hd44780Emulator.written(i2c);
    }

    I2C lcdDevice() {
        return pi4j.create(I2C.newConfigBuilder(pi4j).id("lcd").bus(1).device(0x27).provider(MockI2CProvider.ID));
    }

    /** The three expander writes of one nibble with backlight on: data, data|E, data. */
    static int[] nibble(int nibble, boolean rs) {
        int v = nibble << 4 | Hd44780.BACKLIGHT | (rs ? Hd44780.RS : 0);
        return new int[] {v, v | Hd44780.E, v};
    }

    static byte[] bytes(int[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int[] p : parts) {
            for (int v : p) {
                out.write(v);
            }
        }
        return out.toByteArray();
    }

    static int[][] command(int b) {
        return new int[][] {nibble(b >> 4, false), nibble(b & 0xF, false)};
    }

    static int[][] data(int b) {
        return new int[][] {nibble(b >> 4, true), nibble(b & 0xF, true)};
    }

    static byte[] concat(int[][]... parts) {
        List<int[]> all = new ArrayList<>();
        for (int[][] p : parts) {
            all.addAll(List.of(p));
        }
        return bytes(all.toArray(new int[0][]));
    }

    @Test
    void shouldInitialiseWithTheDatasheetSequence() {
        I2C i2c = lcdDevice();
        Hd44780 lcd = new Hd44780(i2c, LcdSize.LCD_16X2, pauses::add);
        lcd.init();
        byte[] expected = concat(new int[][] {{0x08}}, new int[][] {nibble(3, false)}, new int[][] {nibble(3, false)},
                new int[][] {nibble(3, false)}, new int[][] {nibble(2, false)}, command(0x28), command(0x0C),
                command(0x01), command(0x06));
        assertArrayEquals(expected, written(i2c));
        assertEquals(List.of(50_000L, 4_500L, 4_500L, 150L, 2_000L), pauses, "power-on, 3 x 0x3, clear");
        Hd44780Emulator emu = new Hd44780Emulator(16, 2);
        emu.feed(expected);
        assertTrue(emu.fourBit() && emu.twoLines() && emu.displayOn() && emu.backlight());
        assertEquals(List.of("                ", "                "), emu.screen());
    }

    @Test
    void shouldClearWithOneInstructionAndWait2ms() {
        I2C i2c = lcdDevice();
        Hd44780 lcd = new Hd44780(i2c, LcdSize.LCD_16X2, pauses::add);
        lcd.clear();
        assertArrayEquals(concat(command(0x01)), written(i2c));
        assertEquals(List.of(2_000L), pauses);
    }

    @Test
    void shouldWriteAPageAndThenOnlyTheCharactersThatChanged() {
        I2C i2c = lcdDevice();
        Hd44780 lcd = new Hd44780(i2c, LcdSize.LCD_16X2, pauses::add);
        Hd44780Emulator emu = new Hd44780Emulator(16, 2);
        lcd.init();
        emu.feed(written(i2c));
        lcd.show(List.of("ok/m 33 fail 11", "RST 192.0.2.20"));
        byte[] page = written(i2c);
        List<int[][]> expected = new ArrayList<>();
        expected.add(command(0x80));
        for (char c : "ok/m 33 fail 11".toCharArray()) {
            expected.add(data(c));
        }
        expected.add(command(0xC0));
        for (char c : "RST 192.0.2.20".toCharArray()) {
            expected.add(data(c));
        }
        assertArrayEquals(concat(expected.toArray(new int[0][][])), page, "trailing blanks are already blank");
        emu.feed(page);
        assertEquals(List.of("ok/m 33 fail 11 ", "RST 192.0.2.20  "), emu.screen());

        lcd.show(List.of("ok/m 34 fail 11", "RST 192.0.2.21:81"));
        byte[] update = written(i2c);
        assertArrayEquals(concat(command(0x80 + 6), data('4'), command(0xC0 + 13), data('1'), data(':'), data('8')),
                update, "one run per changed stretch; the 17th character is cut");
        emu.feed(update);
        assertEquals(List.of("ok/m 34 fail 11 ", "RST 192.0.2.21:8"), emu.screen());

        lcd.show(List.of("ok/m 34 fail 11", "RST 192.0.2.21:81"));
        assertEquals(0, written(i2c).length, "nothing changed, nothing written");
    }

    @Test
    void shouldAddressTheFourRowsOfA20x4AndTurnTheBacklightOff() {
        I2C i2c = lcdDevice();
        Hd44780 lcd = new Hd44780(i2c, LcdSize.LCD_20X4, us -> { });
        Hd44780Emulator emu = new Hd44780Emulator(20, 4);
        lcd.init();
        List<String> page = List.of("RST 192.0.2.20:6036", "port blocked, 80 ok", "x1 last 12s ago", "from 192.0.2.10");
        lcd.show(page);
        emu.feed(written(i2c));
        assertEquals(List.of("RST 192.0.2.20:6036 ", "port blocked, 80 ok ", "x1 last 12s ago     ",
                "from 192.0.2.10     "), emu.screen());
        assertTrue(emu.log().contains("cmd 94") && emu.log().contains("cmd d4"), "rows 3 and 4 at 0x14 and 0x54");
        lcd.backlight(false);
        byte[] off = written(i2c);
        assertArrayEquals(new byte[] {0x00}, off);
        emu.feed(off);
        assertEquals(false, emu.backlight());
        lcd.show(List.of("a\\b~c\u00e9"));
        emu.feed(written(i2c));
        assertEquals("a/b-c?              ", emu.screen().get(0), "characters the A00 ROM would show otherwise");
    }
}
