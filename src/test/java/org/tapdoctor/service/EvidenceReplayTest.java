package org.tapdoctor.service;

import org.tapdoctor.engine.Engine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tapdoctor.Tshark;
import org.tapdoctor.capture.CaptureFileReader;
import org.tapdoctor.capture.RecentFrames;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.publish.EvidenceDirectory;
import org.tapdoctor.publish.EvidenceWriter;

/**
 * {@code replay --evidence DIR} end to end: the pcap written for a refused and for an unanswered
 * attempt holds exactly that attempt's frames, as Wireshark sees them (tshark's view of the source
 * capture filtered by the attempt's 4-tuple), and the JSON line names the file. The same from the
 * live service's ring of recent frames.
 */
class EvidenceReplayTest {
    private static final Path SCENARIOS = Path.of("src/test/resources/scenarios");
    private static final String[] FIELDS = {"frame.time_epoch", "tcp.flags.str", "ip.src", "ipv6.src", "frame.len"};

    @TempDir
    Path dir;

    /** What the test needs of one JSON line. */
    record Line(String kind, String clientIp, int clientPort, String serverIp, int serverPort, int syn, String file) {
        private static final Pattern P = Pattern.compile("\\{\"kind\":\"([a-z_]+)\".*\"client\":\\{\"ip\":\"([^\"]+)\",\"port\":(\\d+)\\},"
                + "\"server\":\\{\"ip\":\"([^\"]+)\",\"port\":(\\d+)\\}.*\"syn\":(\\d+).*?(?:,\"evidence_file\":\"([^\"]+)\")?\\}");

        static Line parse(String json) {
            Matcher m = P.matcher(json);
            assertTrue(m.matches(), json);
            return new Line(m.group(1), m.group(2), Integer.parseInt(m.group(3)), m.group(4), Integer.parseInt(m.group(5)),
                    Integer.parseInt(m.group(6)), m.group(7));
        }

        String tupleFilter() {
            String ip = clientIp.contains(":") ? "ipv6" : "ip";
            return String.format("%s.addr==%s && %s.addr==%s && tcp.port==%d && tcp.port==%d", ip, clientIp, ip, serverIp,
                    clientPort, serverPort);
        }
    }

    /** The diagnoses printed for {@code file} with evidence on. */
    private List<Line> replay(String file) {
        ReplayCommandTest.Run r = ReplayCommandTest.run("replay", "--format", "jsonl", "--evidence", dir.toString(),
                SCENARIOS.resolve(file).toString());
        assertEquals(0, r.exit(), r.err());
        List<Line> out = new ArrayList<>();
        for (String line : r.out().lines().toList()) {
            out.add(Line.parse(line));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"refused.pcap", "no_response.pcap", "ipv6_refused_noresponse.pcap"})
    void shouldWriteExactlyTheAttemptsFramesAndNameTheFile(String file) throws Exception {
        List<Line> ds = replay(file);
        assertFalse(ds.isEmpty());
        for (Line d : ds) {
            String name = d.file();
            assertNotNull(name, "no evidence_file in " + d);
            assertTrue(name.matches("\\d{8}T\\d{6}Z-" + d.kind() + "-[0-9a-f._]+-\\d+\\.pcap"), name);
            Path pcap = dir.resolve(name);
            assertTrue(Files.isRegularFile(pcap), pcap.toString());
            // readable by our own reader, frame count as the tracker counted SYNs at least
            long[] frames = {0};
            new CaptureFileReader().read(pcap, (f, l, w, t, link, side) -> frames[0]++);
            assertTrue(frames[0] >= d.syn(), frames[0] + " frames for " + d);

            Tshark.require();
            List<String> expected = Tshark.fields(SCENARIOS.resolve(file), d.tupleFilter(), FIELDS);
            List<String> got = Tshark.fields(pcap, null, FIELDS);
            assertFalse(expected.isEmpty());
            assertEquals(expected, got, "frames of " + name);
        }
    }

    @Test
    void shouldWriteTheSameFileFromTheLiveRingOfRecentFrames() throws Exception {
        Path source = SCENARIOS.resolve("refused.pcap");
        Engine engine = new Engine();
        RecentFrames recent = new RecentFrames(RecentFrames.MIN_BUDGET);
        new CaptureFileReader().read(source, recent.tee(engine));
        engine.finish();
        LiveEvidence live = new LiveEvidence(recent, new EvidenceWriter(new EvidenceDirectory(dir, 10, 1 << 20),
                EvidenceWriter.AFTER_LAST_NANOS, 1 << 20));
        List<Diagnosis> ds = live.write(engine.diagnoses());
        assertEquals(1, ds.size());
        Path pcap = dir.resolve(ds.get(0).evidenceFile());
        assertEquals("20261122T010933Z-refused-198.51.100.10-82.pcap", ds.get(0).evidenceFile());
        Tshark.require();
        assertEquals(Tshark.fields(source, "tcp.port==56308 && tcp.port==82", FIELDS), Tshark.fields(pcap, null, FIELDS));
    }

    @Test
    void shouldKeepGoingWithoutFilesWhenTheDirectoryFails() throws Exception {
        Path source = SCENARIOS.resolve("refused.pcap");
        Engine engine = new Engine();
        new CaptureFileReader().read(source, engine);
        engine.finish();
        EvidenceDirectory d = new EvidenceDirectory(dir.resolve("gone"), 10, 1 << 20);
        Files.delete(dir.resolve("gone"));
        Files.write(dir.resolve("gone"), new byte[0]); // a file where the directory was
        EvidenceWriter w = new EvidenceWriter(d, EvidenceWriter.AFTER_LAST_NANOS, 1 << 20);
        CaptureFileReader reader = new CaptureFileReader();
        List<Diagnosis> ds = w.write(engine.diagnoses(), h -> reader.read(source, h));
        List<Diagnosis> again = w.write(engine.diagnoses(), h -> reader.read(source, h));
        assertEquals(engine.diagnoses(), ds);
        assertEquals(engine.diagnoses(), again);
        assertEquals(2, w.errors());
        assertEquals(0, w.written());
    }
}
