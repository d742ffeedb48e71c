package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.wire.SiteCrossCheck;

/**
 * Makes the site scenarios afresh with the real daemons in network namespaces
 * (src/test/scenarios/make-site-scenarios.sh, as root; the script checks each capture with tshark
 * itself, checksite.py) and checks the fresh captures as SiteScenarioTest checks the committed
 * ones: every site frame decodes as tshark decodes it, every frame is counted, and today's engine
 * raises nothing site/expected.tsv does not list. Skipped without root or the daemons (the
 * script's {@code --check}) on a developer machine; a failure in CI.
 */
class SiteScenarioCaptureIT {
    static final Path SCRIPT = Path.of("src/test/scenarios/make-site-scenarios.sh");
    static final Path EXPECTED = Path.of("src/test/resources/scenarios/site/expected.tsv");

    @Test
    void shouldMakeAndDecodeFreshSiteScenarios(@TempDir Path out) throws Exception {
        LiveScripts.requirePrerequisites("SiteScenarioCaptureIT", SCRIPT);
        Path log = out.resolve("make-site-scenarios.log");
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), out.resolve("pcaps").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("make-site-scenarios.sh did not finish in 10 min:\n" + ScenarioCaptureIT.tail(log));
        }
        assertEquals(0, p.exitValue(), "make-site-scenarios.sh failed:\n" + ScenarioCaptureIT.tail(log));
        Map<String, List<Expectations.Line>> byFile = Expectations.read(EXPECTED);
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, List<Expectations.Line>> e : byFile.entrySet()) {
            Path pcap = out.resolve("pcaps").resolve(e.getKey());
            assertTrue(Files.isRegularFile(pcap), "not captured: " + pcap + "\n" + ScenarioCaptureIT.tail(log));
            try {
                SiteCrossCheck.check(pcap);
                for (Diagnosis d : Expectations.replay(pcap)) {
                    String server = d.server() == null ? "-" : d.server().ip();
                    if (e.getValue().stream().noneMatch(l -> l.kind().replace("?", "").equals(d.kind().label())
                            && l.server().equals(server))) {
                        failures.add(e.getKey() + ": unexpected " + d.kind().label() + " " + server + " " + d.evidence());
                    }
                }
            } catch (AssertionError ae) {
                failures.add(e.getKey() + ": " + ae.getMessage());
            }
        }
        assertEquals(List.of(), failures, "fresh site captures");
    }
}
