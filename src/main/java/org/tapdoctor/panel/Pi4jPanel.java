package org.tapdoctor.panel;

import java.util.List;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.i2c.I2C;

/**
 * The box's panel through Pi4J 2: three LEDs on GPIO outputs (active high, through a resistor to
 * ground), the button on a GPIO input with the SoC's pull-up and a debounce (pressed = low, the
 * button shorts the pin to ground), and the HD44780 LCD on a PCF8574 I2C backpack. The LEDs and
 * the LCD are written only from the panel thread ({@link #show}); the button's edges come on
 * Pi4J's thread and go to the listener. Pin numbers are BCM GPIO numbers.
 */
public final class Pi4jPanel implements PanelDisplay {
    /** GPIO and I2C settings; provider ids name Pi4J providers ({@code gpiod-digital-output}...). */
    public record Pins(int green, int amber, int red, int button, int i2cBus, int i2cAddress, LcdSize lcd,
                       String outputProvider, String inputProvider, String i2cProvider) {
        /** The providers that work on a Pi 4 and 5 with Pi4J 2.8.0 (LIBRARIES.md). */
        public static Pins hardware(int green, int amber, int red, int button, int i2cBus, int i2cAddress, LcdSize lcd) {
            return new Pins(green, amber, red, button, i2cBus, i2cAddress, lcd, "gpiod-digital-output",
                    "gpiod-digital-input", "linuxfs-i2c");
        }
    }

    static final long DEBOUNCE_MICROS = 10_000;

    private final Context pi4j;
    private final DigitalOutput green, amber, red;
    private final DigitalInput button;
    private final Hd44780 lcd;
    private boolean initialised;
    private Boolean backlight;

    public Pi4jPanel(Context pi4j, Pins pins, Hd44780.Pause pause) {
        this.pi4j = pi4j;
        this.green = led(pi4j, pins, "green", pins.green());
        this.amber = led(pi4j, pins, "amber", pins.amber());
        this.red = led(pi4j, pins, "red", pins.red());
        this.button = pi4j.create(DigitalInput.newConfigBuilder(pi4j).id("panel-button").name("panel button")
                .address(pins.button()).pull(PullResistance.PULL_UP).debounce(DEBOUNCE_MICROS)
                .provider(pins.inputProvider()));
        I2C i2c = pi4j.create(I2C.newConfigBuilder(pi4j).id("panel-lcd").name("panel LCD").bus(pins.i2cBus())
                .device(pins.i2cAddress()).provider(pins.i2cProvider()));
        this.lcd = new Hd44780(i2c, pins.lcd(), pause);
    }

    private static DigitalOutput led(Context pi4j, Pins pins, String name, int address) {
        return pi4j.create(DigitalOutput.newConfigBuilder(pi4j).id("panel-led-" + name).name(name + " LED")
                .address(address).initial(DigitalState.LOW).shutdown(DigitalState.LOW).provider(pins.outputProvider()));
    }

    public DigitalOutput green() { return green; }
    public DigitalOutput amber() { return amber; }
    public DigitalOutput red() { return red; }
    public DigitalInput button() { return button; }
    public Hd44780 lcd() { return lcd; }

    @Override
    public void buttons(ButtonListener listener) {
        button.addListener(e -> listener.button(e.state() == DigitalState.LOW));
    }

    @Override
    public void show(PanelState state, long nowNanos) {
        green.state(DigitalState.getState(state.green().litAt(nowNanos)));
        amber.state(DigitalState.getState(state.amber().litAt(nowNanos)));
        red.state(DigitalState.getState(state.red().litAt(nowNanos)));
        if (!initialised) {
            lcd.init();
            initialised = true;
        }
        if (backlight == null || backlight != state.backlight()) {
            lcd.backlight(state.backlight());
            backlight = state.backlight();
        }
        lcd.show(state.lines());
    }

    /** LEDs off, the LCD cleared and dark, then Pi4J shut down. */
    @Override
    public void close() {
        try {
            green.low();
            amber.low();
            red.low();
            if (initialised) {
                lcd.show(List.of());
                lcd.backlight(false);
            }
        } catch (RuntimeException e) {
            // shutting down: the pins are released below either way
        } finally {
            pi4j.shutdown();
        }
    }
}
