package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.tapdoctor.SharedPcaps;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Kind;

/**
 * The public corpus: every capture replays without an internal error and with every frame
 * accounted for; the golden expectations of src/test/resources/corpus/golden.tsv (derived with
 * tshark and Zeek's baselines, see RULE-NOTES.md there) hold exactly; the healthy captures give
 * no TCP failure at all.
 */
class CorpusTest {
    static final Path GOLDEN = Path.of("src/test/resources/corpus/golden.tsv");
    static final List<String> HEALTHY = List.of("zk_wikipedia.pcap", "cs_http_espn_ok.pcapng", "zk_echo-connections.pcap",
            "zk_ftp_ipv6.pcap");
    static final List<Kind> TCP_FAILURES = List.of(Kind.NO_RESPONSE, Kind.REFUSED, Kind.UNREACHABLE, Kind.NO_FINAL_ACK,
            Kind.RESET, Kind.TLS_FAILURE, Kind.HOST_UNREACHABLE, Kind.PORT_BLOCKED);

    @TestFactory
    Stream<DynamicTest> shouldReplayEveryCaptureOfTheCorpus() throws IOException {
        Path dir = SharedPcaps.dir();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches(".*\\.(pcap|pcapng|cap)$")).sorted().toList();
        }
        assertTrue(files.size() >= 50, "corpus has " + files.size() + " captures");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> Expectations.replay(f)));
    }

    @TestFactory
    Stream<DynamicTest> shouldMatchTheGoldenExpectations() throws IOException {
        Path dir = SharedPcaps.dir();
        Map<String, List<Expectations.Line>> byFile = Expectations.read(GOLDEN);
        assertTrue(byFile.size() >= 15, "golden covers " + byFile.size() + " files");
        return byFile.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(),
                () -> Expectations.check(e.getValue(), Expectations.replay(dir.resolve(e.getKey())))));
    }

    @Test
    void shouldGiveNoTcpFailureOnHealthyCaptures() throws Exception {
        Path dir = SharedPcaps.dir();
        for (String f : HEALTHY) {
            List<Diagnosis> tcpFailures = Expectations.replay(dir.resolve(f)).stream()
                    .filter(d -> TCP_FAILURES.contains(d.kind())).toList();
            assertEquals(List.of(), tcpFailures, f);
        }
    }
}
