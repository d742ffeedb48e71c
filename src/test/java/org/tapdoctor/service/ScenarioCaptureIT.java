package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
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
        LiveScripts.requirePrerequisites("ScenarioCaptureIT", SCRIPT);
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

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
