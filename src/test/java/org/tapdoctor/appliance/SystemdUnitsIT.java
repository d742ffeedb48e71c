package org.tapdoctor.appliance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Every unit of systemd/ and image/files/ passes {@code systemd-analyze verify} (in a throw-away
 * root with stubs for the binaries, see verify-units.sh), and tapdoctor.service's exposure level
 * from {@code systemd-analyze security} stays at or under 3.0 ("OK"), the goal of issue 6.
 */
class SystemdUnitsIT {

    @Test
    void shouldVerifyEveryUnitAndKeepTheExposureAtMost3() throws Exception {
        ApplianceScript.requirePrerequisites("SystemdUnitsIT", "verify-units.sh", false);
        List<String> out = ApplianceScript.run(Path.of("target/appliance/verify-units.log"), 5, "verify-units.sh");
        assertTrue(out.contains("verify: ok"), String.join("\n", out));
        String last = out.get(out.size() - 1);
        assertTrue(last.startsWith("exposure "), last);
        String[] score = last.substring("exposure ".length()).split(" ");
        double exposure = Double.parseDouble(score[0]);
        assertTrue(exposure <= 3.0, "exposure " + exposure + " is above the goal of 3.0:\n" + String.join("\n", out));
        assertTrue(score[1].equals("OK"), last);
    }
}
