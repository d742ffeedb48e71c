package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;

import org.junit.jupiter.api.Test;
import org.tapdoctor.panel.Hd44780Emulator;
import org.tapdoctor.panel.LcdSize;
import org.tapdoctor.panel.Pi4jPanel;

/** The bring-up check on Pi4J's mock platform, with the button pressed from another thread. */
class PanelTestCommandTest {
    static final Pi4jPanel.Pins PINS = new Pi4jPanel.Pins(17, 27, 22, 23, 1, 0x27, LcdSize.LCD_16X2,
            MockDigitalOutputProvider.ID, MockDigitalInputProvider.ID, MockI2CProvider.ID);

    static Context mock() {
        return Pi4J.newContextBuilder().add(new MockPlatform())
                .add(MockI2CProvider.newInstance(), MockDigitalOutputProvider.newInstance(), MockDigitalInputProvider.newInstance())
                .build();
    }

    @Test
    void shouldCycleTheLedsFillTheLcdAndWaitForTheButton() throws Exception {
        Context pi4j = mock();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        I2C[] lcd = new I2C[1];
        Hd44780Emulator emu = new Hd44780Emulator(16, 2);
        List<String> patternSeen = new java.util.ArrayList<>();
        Thread presser = new Thread(() -> {
            try {
                while (!out.toString(StandardCharsets.UTF_8).contains("press the button")) {
                    Thread.sleep(5);
                }
                lcd[0] = pi4j.registry().get("panel-lcd");
                emu.feed(Hd44780Emulator.written(lcd[0]));
                patternSeen.addAll(emu.screen());
                MockDigitalInput b = (MockDigitalInput) pi4j.registry().<DigitalInput>get("panel-button");
                b.mockState(DigitalState.HIGH);
                b.mockState(DigitalState.LOW);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        presser.start();
        boolean ok = PanelTestCommand.check(pi4j, PINS, new PrintStream(out, true, StandardCharsets.UTF_8), us -> { }, 1,
                5_000, (ctx, pins) -> List.of(0x3f));
        presser.join();
        assertEquals(List.of("I2C bus 1: found 0x3f",
                "configured panel.i2c-address 0x27 does not answer: testing 0x3f (set panel.i2c-address = 0x3f)",
                "LED green (GPIO17) on for 1 ms", "LED amber (GPIO27) on for 1 ms", "LED red (GPIO22) on for 1 ms",
                "LCD 16x2: test pattern on every cell (each row: its number, then letters)",
                "press the button (GPIO23) within 5 s ...", "button: pressed", "panel-test: OK"),
                out.toString(StandardCharsets.UTF_8).lines().toList());
        assertEquals(true, ok);
        assertEquals(0x3f, lcd[0].device());
        assertEquals(List.of("1ABCDEFGHIJKLMNO", "2HIJKLMNOPQRSTUV"), patternSeen, "every cell, while waiting for the button");
        emu.feed(Hd44780Emulator.written(lcd[0]));
        assertEquals(List.of("panel-test      ", "OK              "), emu.screen());
    }

    @Test
    void shouldFailWhenNothingAnswersOnTheBusOrNobodyPresses() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean ok = PanelTestCommand.check(mock(), PINS, new PrintStream(out, true, StandardCharsets.UTF_8), us -> { }, 1,
                50, (ctx, pins) -> List.of());
        assertEquals(false, ok);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("I2C bus 1: no PCF8574 answers at 0x20-0x27 or 0x38-0x3F", lines.get(0));
        assertEquals(List.of("button: no press seen", "panel-test: FAILED"), lines.subList(lines.size() - 2, lines.size()));
    }

    @Test
    void shouldFillEveryCellWithAPatternThatShowsASwappedRow() {
        assertEquals(List.of("1ABCDEFGHIJKLMNO", "2HIJKLMNOPQRSTUV"), PanelTestCommand.pattern(LcdSize.LCD_16X2));
        assertEquals(List.of("1ABCDEFGHIJKLMNOPQRS", "2HIJKLMNOPQRSTUVWXYZ", "3OPQRSTUVWXYZABCDEFG", "4VWXYZABCDEFGHIJKLMN"),
                PanelTestCommand.pattern(LcdSize.LCD_20X4));
    }

    @Test
    void shouldSayWhatIsMissingOffThePi() {
        ReplayCommandTest.Run r = ReplayCommandTest.run("panel-test", "--set", "panel.i2c-bus=31");
        assertEquals(1, r.exit());
        assertEquals(true, r.err().startsWith("tapdoctor: panel-test needs the board: "), r.err());
    }
}
