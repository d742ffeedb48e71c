package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU temperature from a thermal sysfs laid out as the kernel does (thermal_zone<N>/type and
 * temp in millidegrees): a Pi's cpu-thermal zone is found whatever its number; other zones (a PC's
 * package sensor, ACPI) and a machine without any give none.
 */
class CpuTemperatureTest {

    static void zone(Path root, int n, String type, String milli) throws IOException {
        Path z = Files.createDirectories(root.resolve("thermal_zone" + n));
        Files.writeString(z.resolve("type"), type + "\n");
        Files.writeString(z.resolve("temp"), milli + "\n");
    }

    @Test
    void shouldFindThePisCpuZone(@TempDir Path root) throws IOException {
        zone(root, 0, "acpitz", "27800");
        zone(root, 2, "cpu-thermal", "47236");
        Files.createDirectories(root.resolve("cooling_device0"));
        CpuTemperature t = CpuTemperature.find(root);
        assertTrue(t.available());
        assertEquals(47.2, t.celsius());
    }

    @Test
    void shouldHaveNoneElsewhere(@TempDir Path root) throws IOException {
        assertFalse(CpuTemperature.find(root).available(), "no zones");
        assertFalse(CpuTemperature.find(root.resolve("missing")).available(), "no thermal directory");
        zone(root, 0, "x86_pkg_temp", "51000");
        CpuTemperature t = CpuTemperature.find(root);
        assertFalse(t.available(), "a PC's package sensor is not a Pi's CPU");
        assertTrue(Double.isNaN(t.celsius()));
    }

    @Test
    void shouldGiveNaNWhenTheZoneCannotBeReadNow(@TempDir Path root) throws IOException {
        zone(root, 0, "cpu-thermal", "garbage");
        assertTrue(Double.isNaN(CpuTemperature.find(root).celsius()));
    }
}
