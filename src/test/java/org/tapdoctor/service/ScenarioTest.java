package org.tapdoctor.service;

import org.tapdoctor.engine.Engine;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The captures made by src/test/scenarios/make-scenarios.sh (real kernel traffic through the
 * namespace topology, captured on the tap's bridge) give exactly the diagnoses of expected.tsv.
 * {@code ScenarioCaptureIT} makes fresh captures and checks them against the same file.
 */
class ScenarioTest {
    static final Path DIR = Path.of("src/test/resources/scenarios");

    @TestFactory
    Stream<DynamicTest> shouldDiagnoseEveryCommittedScenario() throws IOException {
        Map<String, List<Expectations.Line>> byFile = Expectations.read(DIR.resolve("expected.tsv"));
        assertTrue(byFile.size() >= 15, "scenarios: " + byFile.size());
        return byFile.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(),
                () -> Expectations.check(e.getValue(), Expectations.replay(DIR.resolve(e.getKey())))));
    }

    /**
     * What live capture would keep: every scenario read through the kernel filter of live capture
     * (by libpcap) gives exactly the same diagnoses as the whole capture.
     */
    @TestFactory
    Stream<DynamicTest> shouldDiagnoseEveryScenarioThroughTheLiveCaptureFilter() throws IOException {
        Map<String, List<Expectations.Line>> byFile = Expectations.read(DIR.resolve("expected.tsv"));
        return byFile.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            Engine engine = new Engine();
            org.tapdoctor.capture.PcapFileSource.replay(DIR.resolve(e.getKey()), engine,
                    org.tapdoctor.capture.CaptureFilter.expression());
            engine.finish();
            Expectations.check(e.getValue(), engine.diagnoses());
        }));
    }

    /** The README's demo: the scenarios above one after another, as one site visit. */
    @TestFactory
    Stream<DynamicTest> shouldDiagnoseTheDemoSiteVisit() throws IOException {
        Path demo = Path.of("src/test/resources/demo");
        return Expectations.read(demo.resolve("expected.tsv")).entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(),
                () -> Expectations.check(e.getValue(), Expectations.replay(demo.resolve(e.getKey())))));
    }
}
