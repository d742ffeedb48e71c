package org.tapdoctor.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Pi4J panel on the mock platform: LED pins follow the state (blinking by phase), the LCD shows the rows, the button reports edges. */
class Pi4jPanelTest {
    static final Pi4jPanel.Pins PINS = new Pi4jPanel.Pins(17, 27, 22, 23, 1, 0x27, LcdSize.LCD_16X2,
            MockDigitalOutputProvider.ID, MockDigitalInputProvider.ID, MockI2CProvider.ID);
    private final Context pi4j = Hd44780Test.mockContext();

    @AfterEach
    void shutdown() {
        if (!pi4j.isShutdown()) {
            pi4j.shutdown();
        }
    }

    @Test
    void shouldDriveTheLedsTheLcdAndTheBacklightFromTheState() {
        Pi4jPanel panel = new Pi4jPanel(pi4j, PINS, us -> { });
        I2C i2c = pi4j.registry().get("panel-lcd");
        Hd44780Emulator emu = new Hd44780Emulator(16, 2);
        PanelState s = new PanelState(Led.BLINK, Led.OFF, Led.ON, true, List.of("ok/m 33 fail 11 ", "RST 192.0.2.20:6"),
                1, 4, "summary");
        panel.show(s, 0);
        assertEquals("HIGH LOW HIGH", pins(panel));
        panel.show(s, 250_000_000L);
        assertEquals("LOW LOW HIGH", pins(panel), "blink: off in the second 250 ms");
        emu.feed(Hd44780Test.written(i2c));
        assertEquals(List.of("ok/m 33 fail 11 ", "RST 192.0.2.20:6"), emu.screen());
        assertEquals(true, emu.backlight());
        panel.show(new PanelState(Led.OFF, Led.ON, Led.OFF, false, s.lines(), 1, 4, "summary"), 500_000_000L);
        assertEquals("LOW HIGH LOW", pins(panel));
        emu.feed(Hd44780Test.written(i2c));
        assertEquals(false, emu.backlight());
        panel.close();
        emu.feed(Hd44780Test.written(i2c));
        assertEquals(List.of("                ", "                "), emu.screen(), "cleared on close");
    }

    @Test
    void shouldReportButtonEdgesPressedLow() {
        Pi4jPanel panel = new Pi4jPanel(pi4j, PINS, us -> { });
        List<Boolean> edges = new ArrayList<>();
        panel.buttons(edges::add);
        MockDigitalInput button = (MockDigitalInput) panel.button();
        button.mockState(DigitalState.HIGH); // idle: pulled up (the mock does not emulate the pull)
        edges.clear();
        button.mockState(DigitalState.LOW);
        button.mockState(DigitalState.HIGH);
        assertEquals(List.of(true, false), edges);
    }

    static String pins(Pi4jPanel p) {
        return p.green().state() + " " + p.amber().state() + " " + p.red().state();
    }
}
