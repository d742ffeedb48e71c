package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regenerates every scenario capture with the kernel's own stacks in network namespaces
 * (src/test/scenarios/make-scenarios.sh, as root) and checks the fresh captures against
 * expected.tsv, exactly as the committed ones. Needs root and the script's tools (its
 * {@code --check}): on a developer machine without them it is skipped with a message; in CI
 * (CI=true) it fails.
 */
class ScenarioCaptureIT {
    static final Path SCRIPT = Path.of("src/test/scenarios/make-scenarios.sh");
    static final Path EXPECTED = Path.of("src/test/resources/scenarios/expected.tsv");

    @Test
    void shouldDiagnoseFreshlyCapturedScenarios(@TempDir Path out) throws Exception {
        requirePrerequisites();
        Path log = out.resolve("make-scenarios.log");
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), out.resolve("pcaps").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("make-scenarios.sh did not finish in 15 min:\n" + tail(log));
        }
        assertEquals(0, p.exitValue(), "make-scenarios.sh failed:\n" + tail(log));
        Map<String, List<Expectations.Line>> byFile = Expectations.read(EXPECTED);
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, List<Expectations.Line>> e : byFile.entrySet()) {
            Path pcap = out.resolve("pcaps").resolve(e.getKey());
            assertTrue(Files.isRegularFile(pcap), "not captured: " + pcap + "\n" + tail(log));
            try {
                Expectations.check(e.getValue(), Expectations.replay(pcap));
            } catch (AssertionError ae) {
                failures.add(e.getKey() + ": " + ae.getMessage());
            }
        }
        assertEquals(List.of(), failures, "fresh captures that do not give their expected diagnoses");
    }

    /** Root and the script's tools: skipped with the reason on a developer machine, a failure in CI. */
    static void requirePrerequisites() throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", "-u").start();
        String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        id.waitFor();
        String missing = null;
        if (!"0".equals(uid)) {
            missing = "namespace scenarios need root (uid is " + uid + ")";
        } else {
            Process check = new ProcessBuilder("bash", SCRIPT.toString(), "--check").redirectErrorStream(true).start();
            String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (check.waitFor() != 0) {
                missing = out;
            }
        }
        if (missing != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail(missing + "\n(CI=true, so the scenarios must run: see .ci/run for the packages)");
            }
            System.err.println("SKIPPED ScenarioCaptureIT: " + missing);
            assumeTrue(false, missing);
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
