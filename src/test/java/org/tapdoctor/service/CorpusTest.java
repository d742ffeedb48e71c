package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.tapdoctor.SharedPcaps;
import org.tapdoctor.capture.PcapFileSource;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.wire.DecodeResult;

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
            Kind.RESET, Kind.HOST_UNREACHABLE, Kind.PORT_BLOCKED);

    record Golden(String file, String kind, String server, String port, String count, String evidence, String note) {
    }

    static List<Diagnosis> replay(Path file) throws Exception {
        Engine engine = new Engine();
        long frames = PcapFileSource.replay(file, engine);
        engine.finish();
        long accounted = 0;
        for (DecodeResult r : DecodeResult.values()) {
            accounted += engine.decoder().count(r);
        }
        assertEquals(frames, accounted, file + ": every frame is counted by exactly one decode result");
        assertEquals(0, engine.internalErrors(), file + ": internal errors");
        return engine.diagnoses();
    }

    @TestFactory
    Stream<DynamicTest> shouldReplayEveryCaptureOfTheCorpus() throws IOException {
        Path dir = SharedPcaps.dir();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches(".*\\.(pcap|pcapng|cap)$")).sorted().toList();
        }
        assertTrue(files.size() >= 50, "corpus has " + files.size() + " captures");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> replay(f)));
    }

    @TestFactory
    Stream<DynamicTest> shouldMatchTheGoldenExpectations() throws IOException {
        Path dir = SharedPcaps.dir();
        Map<String, List<Golden>> byFile = new LinkedHashMap<>();
        for (String line : Files.readAllLines(GOLDEN).subList(1, Files.readAllLines(GOLDEN).size())) {
            String[] c = line.split("\t", -1);
            byFile.computeIfAbsent(c[0], k -> new ArrayList<>()).add(new Golden(c[0], c[1], c[2], c[3], c[4], c[5], c[6]));
        }
        assertTrue(byFile.size() >= 15, "golden covers " + byFile.size() + " files");
        return byFile.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(),
                () -> check(e.getValue(), replay(dir.resolve(e.getKey())))));
    }

    private static void check(List<Golden> expected, List<Diagnosis> actual) {
        List<Diagnosis> unmatched = new ArrayList<>(actual);
        for (Golden g : expected) {
            if (g.kind.equals("none")) {
                continue;
            }
            int wanted = g.server.equals("*") ? Integer.parseInt(g.count) : 1;
            for (int n = 0; n < wanted; n++) {
                Diagnosis d = unmatched.stream().filter(x -> matches(g, x)).findFirst().orElse(null);
                assertTrue(d != null, "expected " + g + "\nbut got:\n" + lines(actual));
                unmatched.remove(d);
                if (!g.server.equals("*")) {
                    assertEquals(Long.parseLong(g.count), d.count(), "count of " + g);
                    checkEvidence(g, d);
                }
            }
        }
        assertEquals(List.of(), lines(unmatched).lines().filter(l -> !l.isEmpty()).toList(), "unexpected diagnoses");
    }

    private static boolean matches(Golden g, Diagnosis d) {
        if (!d.kind().label().equals(g.kind)) {
            return false;
        }
        if (g.server.equals("*")) {
            return d.server() != null;
        }
        String ip = d.server() == null ? "-" : d.server().ip();
        String port = d.server() == null || !d.server().hasPort() ? "-" : Integer.toString(d.server().port());
        return ip.equals(g.server) && port.equals(g.port);
    }

    private static void checkEvidence(Golden g, Diagnosis d) {
        if (g.evidence.equals("-")) {
            return;
        }
        for (String kv : g.evidence.split(";")) {
            String[] p = kv.split("=", 2);
            Object v = d.evidence().get(p[0]);
            String text = v instanceof List<?> l ? l.stream().map(String::valueOf).collect(Collectors.joining(","))
                    : String.valueOf(v);
            assertEquals(p[1], text, "evidence " + p[0] + " of " + g.kind + " " + g.server + " " + g.port + " in " + g.file);
        }
    }

    private static String lines(List<Diagnosis> ds) {
        return ds.stream().map(d -> d.kind().label() + " " + d.server() + " x" + d.count() + " " + d.evidence())
                .collect(Collectors.joining("\n"));
    }

    @Test
    void shouldGiveNoTcpFailureOnHealthyCaptures() throws Exception {
        Path dir = SharedPcaps.dir();
        for (String f : HEALTHY) {
            List<Diagnosis> tcpFailures = replay(dir.resolve(f)).stream().filter(d -> TCP_FAILURES.contains(d.kind())).toList();
            assertEquals(List.of(), tcpFailures, f);
        }
    }
}
