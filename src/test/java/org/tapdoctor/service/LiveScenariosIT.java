package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.jr.ob.JSON;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.Placement;

/**
 * The live service on real kernel traffic: make-scenarios.sh --live starts {@code tapdoctor run}
 * inside the tap namespace, capturing on its two bridge ports, and provokes every fault of the
 * scenario suite while 250 healthy connections run alongside; the diagnoses it prints (JSON
 * lines) must be those of live-expected.tsv, with their sides and fault directions, and nothing
 * about the healthy server port. Root and the script's tools are required: skipped with a
 * message on a developer machine without them, a failure in CI.
 */
class LiveScenariosIT {
    static final Path EXPECTED = Path.of("src/test/resources/scenarios/live-expected.tsv");

    @Test
    void shouldDiagnoseEveryFaultLiveWithSidesAndFaults(@TempDir Path out) throws Exception {
        LiveScripts.requirePrerequisites("LiveScenariosIT", ScenarioCaptureIT.SCRIPT);
        Path jar = Path.of(System.getProperty("tapdoctor.jar", "target/tapdoctor.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "no jar at " + jar);
        Path log = out.resolve("script.log");
        Process p = new ProcessBuilder("bash", ScenarioCaptureIT.SCRIPT.toString(), "--live", out.toString(), "--",
                "java", "-Xmx256m", "-jar", jar.toString(), "run", "--interfaces", "tapA,tapB", "--client-side", "tapA",
                "--format", "jsonl", "--set", "report.interval=500ms", "--stats-interval", "2s",
                "--set", "evidence.dir=" + out.resolve("evidence"), "--set", "evidence.max-files=" + EVIDENCE_FILES)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("make-scenarios.sh --live did not finish in 10 min:\n" + ScenarioCaptureIT.tail(log));
        }
        assertEquals(0, p.exitValue(), "make-scenarios.sh --live failed:\n" + ScenarioCaptureIT.tail(log)
                + "\n--- service log:\n" + ScenarioCaptureIT.tail(out.resolve("live.log")));

        List<Diagnosis> live = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("live.out"))) {
            if (!LiveScripts.isSite(line)) { // the site record is its own line, not a diagnosis
                live.add(parse(line));
            }
        }
        String serviceLog = Files.readString(out.resolve("live.log"));
        assertFalse(serviceLog.contains("Exception"), "the service logged an exception:\n" + serviceLog);

        Expectations.check(Expectations.read(EXPECTED).get("live.out"), live);
        assertTrue(live.stream().noneMatch(d -> d.server() != null && d.server().toString().equals("198.51.100.10:80")),
                "the healthy server port must never be diagnosed");

        checkEvidence(out.resolve("evidence"), out.resolve("live.out"));

        Matcher m = Pattern.compile("final stats .*handshakes ok (\\d+) failed (\\d+)").matcher(serviceLog);
        assertTrue(m.find(), "no final stats in the service log:\n" + serviceLog);
        long ok = Long.parseLong(m.group(1));
        assertTrue(ok >= 250, "at least the 250 healthy handshakes alongside the faults: " + ok);
        System.out.println("live scenarios: " + live.size() + " diagnoses published; " + m.group());
    }

    /**
     * Evidence written live: the directory never holds more than its limit (the oldest go first),
     * every diagnosis about a connection names its file, and the files of a refused and of an
     * unanswered attempt (the IPv6 ones, published last) hold exactly that attempt's frames.
     */
    @SuppressWarnings("unchecked")
    static void checkEvidence(Path dir, Path liveOut) throws Exception {
        org.tapdoctor.Tshark.require();
        List<Path> files;
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".pcap")).toList();
        }
        assertTrue(files.size() <= EVIDENCE_FILES, "evidence directory holds " + files.size() + " files");
        String refusedFile = null, unansweredFile = null;
        for (String line : Files.readAllLines(liveOut)) {
            Map<String, Object> m = JSON.std.mapFrom(line);
            Map<String, Object> server = (Map<String, Object>) m.get("server");
            String where = server == null ? "" : server.get("ip") + " " + server.get("port");
            if ("port_blocked".equals(m.get("kind")) && where.equals("2001:db8:b::10 82")) {
                refusedFile = (String) m.get("evidence_file");
            }
            if ("no_response".equals(m.get("kind")) && where.equals("2001:db8:b::20 81")) {
                unansweredFile = (String) m.get("evidence_file");
            }
        }
        assertTrue(refusedFile != null && unansweredFile != null, "evidence files named: " + refusedFile + ", " + unansweredFile);
        assertEquals(List.of("2001:db8:a::10\t2001:db8:b::10\t··········S·", "2001:db8:b::10\t2001:db8:a::10\t·······A·R··"),
                org.tapdoctor.Tshark.fields(dir.resolve(refusedFile), null, "ipv6.src", "ipv6.dst", "tcp.flags.str"));
        assertEquals(List.of("2001:db8:a::10\t2001:db8:b::20\t··········S·", "2001:db8:a::10\t2001:db8:b::20\t··········S·",
                        "2001:db8:a::10\t2001:db8:b::20\t··········S·"),
                org.tapdoctor.Tshark.fields(dir.resolve(unansweredFile), null, "ipv6.src", "ipv6.dst", "tcp.flags.str"));
    }

    static final int EVIDENCE_FILES = 10;

    /** Reads a published JSON line back into a Diagnosis (only what the checks look at). */
    @SuppressWarnings("unchecked")
    static Diagnosis parse(String json) throws Exception {
        Map<String, Object> m = JSON.std.mapFrom(json);
        Map<String, Object> server = (Map<String, Object>) m.get("server");
        Map<String, Object> client = (Map<String, Object>) m.get("client");
        Map<String, Object> side = (Map<String, Object>) m.get("side");
        Placement placement = side == null && m.get("fault") == null ? null
                : new Placement(side == null ? null : (String) side.get("client"), side == null ? null : (String) side.get("server"),
                        m.get("fault") == null ? null : Placement.Fault.valueOf(((String) m.get("fault")).toUpperCase()));
        java.time.Instant t = java.time.Instant.parse((String) m.get("time"));
        Kind kind = Kind.ofLabel((String) m.get("kind"));
        return new Diagnosis(kind.label() + " " + server, kind, t, endpoint(client), endpoint(server),
                ((Number) m.get("count")).longValue(), java.time.Instant.parse((String) m.get("first")),
                java.time.Instant.parse((String) m.get("last")),
                org.tapdoctor.diagnose.Diagnoses.parsed((Map<String, Object>) m.get("evidence")),
                (String) m.get("summary"), placement, null);
    }

    private static Endpoint endpoint(Map<String, Object> e) {
        return e == null ? null : new Endpoint((String) e.get("ip"), e.get("port") == null ? -1 : ((Number) e.get("port")).intValue());
    }
}
