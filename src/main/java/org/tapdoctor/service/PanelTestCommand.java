package org.tapdoctor.service;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;

import org.tapdoctor.panel.Hd44780;
import org.tapdoctor.panel.LcdSize;
import org.tapdoctor.panel.Pi4jPanel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tapdoctor panel-test}: the board bring-up check (board/README.md). Scans the I2C bus for
 * the LCD backpack (0x20-0x27 PCF8574, 0x38-0x3F PCF8574A) and reports what answers, lights each
 * LED for a second, fills every LCD cell with a test pattern, then waits for a button press.
 * Exit code 0 when the backpack answered and the button was pressed, 1 otherwise, 2 for a
 * configuration error.
 */
@Command(name = "panel-test", mixinStandardHelpOptions = true,
        description = "Board bring-up: scan I2C for the LCD, cycle the LEDs, fill the LCD, wait for the button.")
final class PanelTestCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "configuration file (default: /etc/tapdoctor/tapdoctor.conf, if present)")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "overrides any configuration key (panel.*)")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "30", description = "how long to wait for the button (default: ${DEFAULT-VALUE})")
    int waitSeconds = 30;

    @Override
    public Integer call() {
        Config cfg;
        try {
            cfg = Config.load(config != null ? config : RunCommand.DEFAULT_CONFIG, config != null, set);
        } catch (Config.ConfigException e) {
            System.err.println("tapdoctor: " + e.getMessage());
            return 2;
        }
        Pi4jPanel.Pins pins = Panels.pins(cfg);
        Path gpio = Path.of("/dev/gpiochip0"), i2c = Path.of("/dev/i2c-" + pins.i2cBus());
        if (!Files.exists(gpio) || !Files.exists(i2c)) {
            System.err.println("tapdoctor: panel-test needs the board: " + (Files.exists(gpio) ? "" : gpio + " ")
                    + (Files.exists(i2c) ? "" : i2c + " ") + "missing (on a Pi: dtparam=i2c_arm=on and modprobe i2c-dev)");
            return 1;
        }
        Context pi4j = Pi4J.newAutoContext();
        try {
            return check(pi4j, pins, System.out, Hd44780.Pause.SLEEP, 1_000, waitSeconds * 1_000L, PanelTestCommand::scan)
                    ? 0 : 1;
        } catch (RuntimeException e) {
            System.err.println("tapdoctor: panel-test: " + e);
            return 1;
        }
    }

    /** The addresses a PCF8574 (0x20-0x27) or PCF8574A (0x38-0x3F) backpack can have. */
    static List<Integer> candidates() {
        List<Integer> a = new ArrayList<>();
        for (int i = 0x20; i <= 0x27; i++) {
            a.add(i);
        }
        for (int i = 0x38; i <= 0x3F; i++) {
            a.add(i);
        }
        return a;
    }

    /** The candidate addresses that answer a one-byte read on the bus. */
    static List<Integer> scan(Context pi4j, Pi4jPanel.Pins pins) {
        List<Integer> found = new ArrayList<>();
        for (int address : candidates()) {
            String id = String.format("scan-%02x", address);
            try {
                I2C dev = pi4j.create(I2C.newConfigBuilder(pi4j).id(id).bus(pins.i2cBus()).device(address)
                        .provider(pins.i2cProvider()));
                try {
                    if (dev.read() >= 0) {
                        found.add(address);
                    }
                } finally {
                    pi4j.shutdown(id);
                }
            } catch (RuntimeException e) {
                // nothing answers there
            }
        }
        return found;
    }

    /** How the bus is scanned (tests stand in for devices the mock platform cannot answer for). */
    @FunctionalInterface
    interface Scanner {
        List<Integer> scan(Context pi4j, Pi4jPanel.Pins pins);
    }

    /** The check itself, on any Pi4J context (tests use the mock platform). */
    static boolean check(Context pi4j, Pi4jPanel.Pins pins, PrintStream out, Hd44780.Pause pause, long stepMillis,
                         long waitMillis, Scanner scanner) {
        List<Integer> found = scanner.scan(pi4j, pins);
        out.println("I2C bus " + pins.i2cBus() + ": " + (found.isEmpty() ? "no PCF8574 answers at 0x20-0x27 or 0x38-0x3F"
                : "found " + String.join(", ", found.stream().map(a -> String.format("0x%02x", a)).toList())));
        Pi4jPanel.Pins use = pins;
        if (!found.isEmpty() && !found.contains(pins.i2cAddress())) {
            out.println(String.format("configured panel.i2c-address 0x%02x does not answer: testing 0x%02x"
                    + " (set panel.i2c-address = 0x%02x)", pins.i2cAddress(), found.get(0), found.get(0)));
            use = new Pi4jPanel.Pins(pins.green(), pins.amber(), pins.red(), pins.button(), pins.i2cBus(), found.get(0),
                    pins.lcd(), pins.outputProvider(), pins.inputProvider(), pins.i2cProvider());
        }
        Pi4jPanel panel = new Pi4jPanel(pi4j, use, pause);
        CountDownLatch pressed = new CountDownLatch(1);
        panel.buttons(down -> {
            if (down) {
                pressed.countDown();
            }
        });
        try {
            String[] names = {"green", "amber", "red"};
            int[] gpios = {pins.green(), pins.amber(), pins.red()};
            var leds = List.of(panel.green(), panel.amber(), panel.red());
            for (int i = 0; i < 3; i++) {
                out.println("LED " + names[i] + " (GPIO" + gpios[i] + ") on for " + stepMillis + " ms");
                leds.get(i).high();
                sleep(stepMillis);
                leds.get(i).low();
            }
            boolean lcdOk = !found.isEmpty();
            try {
                panel.lcd().init();
                panel.lcd().show(pattern(use.lcd()));
                out.println("LCD " + use.lcd() + ": test pattern on every cell (each row: its number, then letters)");
            } catch (RuntimeException e) {
                out.println("LCD: I2C write failed: " + e);
                lcdOk = false;
            }
            out.println("press the button (GPIO" + pins.button() + ") within " + waitMillis / 1000 + " s ...");
            boolean button = pressed.await(waitMillis, TimeUnit.MILLISECONDS);
            out.println(button ? "button: pressed" : "button: no press seen");
            if (lcdOk) {
                panel.lcd().show(List.of("panel-test", button && lcdOk ? "OK" : "button: no"));
            }
            boolean ok = lcdOk && button;
            out.println(ok ? "panel-test: OK" : "panel-test: FAILED");
            return ok;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            panel.green().low();
            panel.amber().low();
            panel.red().low();
            pi4j.shutdown();
        }
    }

    /** Every cell written: row r starts with its digit, then letters shifted by row, so a stuck bit or swapped row shows. */
    static List<String> pattern(LcdSize lcd) {
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < lcd.rows(); r++) {
            StringBuilder sb = new StringBuilder().append(r + 1);
            for (int c = 1; c < lcd.columns(); c++) {
                sb.append((char) ('A' + (r * 7 + c - 1) % 26));
            }
            rows.add(sb.toString());
        }
        return rows;
    }

    private static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
