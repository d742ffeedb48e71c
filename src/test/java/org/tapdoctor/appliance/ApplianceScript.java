package org.tapdoctor.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the appliance's test scripts (src/test/appliance) and returns its output. Each
 * script has a {@code --check} mode that names the tools it lacks; a missing tool, or not being
 * root when the script needs it, skips the test with the reason on a developer machine and fails
 * it in CI ({@code CI=true}), where .ci/run installs everything.
 */
final class ApplianceScript {

    static final Path DIR = Path.of("src/test/appliance");

    private ApplianceScript() {
    }

    static void requirePrerequisites(String test, String script, boolean needsRoot) throws IOException, InterruptedException {
        String missing = null;
        if (needsRoot) {
            Process id = new ProcessBuilder("id", "-u").start();
            String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            id.waitFor();
            if (!"0".equals(uid)) {
                missing = script + " needs root (uid is " + uid + ")";
            }
        }
        if (missing == null) {
            Process check = new ProcessBuilder("bash", DIR.resolve(script).toString(), "--check").redirectErrorStream(true).start();
            String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (check.waitFor() != 0) {
                missing = script + ": " + out;
            }
        }
        if (missing != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail(missing + "\n(CI=true, so " + test + " must run: see .ci/run for the packages)");
            }
            System.err.println("SKIPPED " + test + ": " + missing);
            assumeTrue(false, missing);
        }
    }

    /** Runs the script with the arguments; fails with the end of its output unless it exits 0. */
    static List<String> run(Path log, long timeoutMinutes, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", DIR.resolve(script).toString()));
        command.addAll(List.of(args));
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            fail(script + " did not finish in " + timeoutMinutes + " min:\n" + tail(log));
        }
        List<String> lines = Files.readAllLines(log);
        assertEquals(0, p.exitValue(), script + " failed:\n" + tail(log));
        System.out.println(script + ":\n  " + String.join("\n  ", lines));
        return lines;
    }

    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
