package org.tapdoctor.service;

import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;

import org.tapdoctor.panel.Hd44780;
import org.tapdoctor.panel.LcdSize;
import org.tapdoctor.panel.PanelDisplay;
import org.tapdoctor.panel.PanelModel;
import org.tapdoctor.panel.PanelSink;
import org.tapdoctor.panel.Pi4jPanel;
import org.tapdoctor.panel.TerminalPanel;
import org.tapdoctor.publish.DiagnosisSink;
import org.tinylog.Logger;

/** Builds the panel the configuration asks for, in front of the console sink. */
final class Panels {
    private Panels() {
    }

    /**
     * The console sink wrapped by the panel of {@code mode} ({@code pi4j}, {@code terminal},
     * {@code none}), or the console sink alone. {@code pi4j} without GPIO and I2C devices is
     * {@code none} with one log line.
     */
    static DiagnosisSink wrap(String mode, Config cfg, DiagnosisSink console, PrintStream out, List<String> sides,
                              Path dev) {
        PanelDisplay display = switch (mode) {
            case "terminal" -> new TerminalPanel(out, true);
            case "pi4j" -> hardware(cfg, dev);
            default -> null;
        };
        if (display == null) {
            return console;
        }
        long start = System.nanoTime();
        PanelModel model = new PanelModel(LcdSize.parse(cfg.string("panel.lcd")), cfg.duration("panel.hold").toNanos(), start);
        model.nics(sides);
        return new PanelSink(console, model, display, System::nanoTime, () -> managementIp(sides), deviceId()).start();
    }

    private static PanelDisplay hardware(Config cfg, Path dev) {
        int bus = cfg.integer("panel.i2c-bus");
        Path gpio = dev.resolve("gpiochip0"), i2c = dev.resolve("i2c-" + bus);
        if (!Files.exists(gpio) || !Files.exists(i2c)) {
            Logger.info("panel: no GPIO/I2C hardware ({} or {} missing): running without a panel", gpio, i2c);
            return null;
        }
        Context pi4j = null;
        try {
            pi4j = Pi4J.newAutoContext();
            return new Pi4jPanel(pi4j, pins(cfg), Hd44780.Pause.SLEEP);
        } catch (RuntimeException | LinkageError e) {
            Logger.warn("panel: Pi4J could not open the panel ({}): running without a panel", e.toString());
            if (pi4j != null) {
                pi4j.shutdown();
            }
            return null;
        }
    }

    static Pi4jPanel.Pins pins(Config cfg) {
        return Pi4jPanel.Pins.hardware(cfg.integer("panel.gpio-green"), cfg.integer("panel.gpio-amber"),
                cfg.integer("panel.gpio-red"), cfg.integer("panel.gpio-button"), cfg.integer("panel.i2c-bus"),
                cfg.integer("panel.i2c-address"), LcdSize.parse(cfg.string("panel.lcd")));
    }

    /** The first IPv4 address of an interface that is up, not loopback and not a tap port. */
    static String managementIp(List<String> sides) {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || sides.contains(nic.getName())) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            Logger.debug(e, "no management address");
        }
        return null;
    }

    /** The host name (the MQTT work will give the panel its device id). */
    static String deviceId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            return "tapdoctor";
        }
    }
}
