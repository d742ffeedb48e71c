package org.tapdoctor.publish.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeMap;

/**
 * The SoC's temperature from the kernel's thermal sysfs ({@code /sys/class/thermal/thermal_zone*}:
 * {@code type} names the sensor, {@code temp} is in millidegrees Celsius). A Raspberry Pi's is the
 * zone of type {@code cpu-thermal} (bcm2711 on a Pi 4, bcm2712 on a Pi 5); a machine without such a
 * zone (a PC, a VM) has none, and the box then publishes no temperature at all rather than another
 * sensor's. The zone is looked for once; reading it costs one small sysfs read. Immutable.
 */
final class CpuTemperature {
    /** Zone types that are the CPU/SoC itself on the boards the image supports. */
    static final Set<String> CPU_ZONES = Set.of("cpu-thermal", "cpu_thermal");

    private final Path temp;

    private CpuTemperature(Path temp) {
        this.temp = temp;
    }

    /** The Pi's CPU zone under {@code /sys/class/thermal}, or none. */
    static CpuTemperature system() {
        return find(Path.of("/sys/class/thermal"));
    }

    /** The first {@code thermal_zone<N>} (by N) under {@code root} whose type is a CPU zone; absent when none. */
    static CpuTemperature find(Path root) {
        TreeMap<Integer, Path> zones = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, "thermal_zone*")) {
            for (Path z : ds) {
                try {
                    zones.put(Integer.parseInt(z.getFileName().toString().substring("thermal_zone".length())), z);
                } catch (NumberFormatException e) {
                    // not a zone
                }
            }
        } catch (IOException e) {
            return new CpuTemperature(null);
        }
        for (Path z : zones.values()) {
            try {
                String type = Files.readString(z.resolve("type"), StandardCharsets.US_ASCII).trim();
                if (CPU_ZONES.contains(type) && Files.isReadable(z.resolve("temp"))) {
                    return new CpuTemperature(z.resolve("temp"));
                }
            } catch (IOException e) {
                // an unreadable zone is not ours
            }
        }
        return new CpuTemperature(null);
    }

    /** Whether this machine has a CPU temperature to publish. */
    boolean available() {
        return temp != null;
    }

    /** Degrees Celsius, one decimal; NaN when absent or unreadable right now. */
    double celsius() {
        if (temp == null) {
            return Double.NaN;
        }
        try {
            long milli = Long.parseLong(Files.readString(temp, StandardCharsets.US_ASCII).trim());
            return Math.round(milli / 100.0) / 10.0;
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
    }
}
