package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay command through {@link Main#run}, on the capture bundled in the repo: stdout
 * carries only what the format promises, errors are one line on stderr with a non-zero exit.
 */
class ReplayCommandTest {
    static final Path DEMO = Path.of("src/test/resources/scenarios/port_blocked.pcap");

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void shouldPrintOnlyJsonObjectsOnStdoutInJsonl() throws Exception {
        Run r = run("replay", "--format", "jsonl", DEMO.toString());
        assertEquals(0, r.exit, r.err);
        List<String> lines = r.out.lines().toList();
        assertFalse(lines.isEmpty());
        JsonFactory json = new JsonFactory();
        for (String line : lines) {
            try (JsonParser p = json.createParser(line)) {
                assertEquals(JsonToken.START_OBJECT, p.nextToken(), line);
                p.skipChildren();
                assertEquals(null, p.nextToken(), "exactly one object per line: " + line);
            }
            assertTrue(line.contains("\"kind\":\"port_blocked\""), line);
        }
    }

    @Test
    void shouldPrintDiagnosesAndASummaryInText() {
        Run r = run("replay", DEMO.toString());
        assertEquals(0, r.exit, r.err);
        assertTrue(r.out.contains("CRITICAL port_blocked"), r.out);
        assertTrue(r.out.contains("-- summary of"), r.out);
        assertTrue(r.out.contains("handshakes ok"), r.out);
        assertTrue(r.out.contains("problems: 1 critical"), r.out);
    }

    @Test
    void shouldFailWithOneLineForAMissingFile() {
        Run r = run("replay", "--format", "jsonl", "no/such/file.pcap");
        assertEquals(1, r.exit);
        assertEquals("", r.out);
        assertEquals(List.of("tapdoctor: no/such/file.pcap: no such file"), r.err.lines().toList());
    }

    @Test
    void shouldFailWithOneLineForAFileThatIsNotACapture(@TempDir Path dir) throws Exception {
        Path bogus = dir.resolve("notes.pcap");
        Files.writeString(bogus, "this is not a capture\n");
        Run r = run("replay", bogus.toString());
        assertEquals(1, r.exit);
        assertEquals(1, r.err.lines().count(), r.err);
        assertTrue(r.err.startsWith("tapdoctor: " + bogus + ": cannot read as pcap/pcapng"), r.err);
    }

    @Test
    void shouldKeepWhatWasReadFromATruncatedCapture(@TempDir Path dir) throws Exception {
        byte[] whole = Files.readAllBytes(DEMO);
        Path cut = dir.resolve("cut.pcap");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 7));
        Run r = run("replay", "--format", "jsonl", cut.toString());
        assertEquals(0, r.exit, r.err);
        assertTrue(r.err.contains("read error after"), r.err);
    }

    @Test
    void shouldFallBackToLibpcapForAFormatOnlyItKnows(@TempDir Path dir) throws Exception {
        // "Modified" pcap of some Linux patches: magic a1b2cd34, 24-byte record headers; libpcap reads it, we do not
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(24 + 24 + 60).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xA1B2CD34)                  // magic
                .putShort((short) 2).putShort((short) 4) // version 2.4
                .putInt(0).putInt(0)          // reserved
                .putInt(65535)                // snaplen
                .putInt(1);                   // link type: Ethernet
        b.putInt(1_700_000_000).putInt(0)     // seconds, microseconds
                .putInt(60).putInt(60)        // captured length, original length
                .putInt(2)                    // interface index
                .putShort((short) 0x0800)     // protocol
                .put((byte) 0).put((byte) 0); // packet type, padding
        Path modified = dir.resolve("modified.pcap");
        Files.write(modified, b.array());     // 60 zero bytes of frame

        for (String reader : new String[] {"java", "libpcap"}) {
            Run r = run("replay", "--reader", reader, modified.toString());
            assertEquals(0, r.exit, r.err);
            assertTrue(r.out.contains("frames 1 in "), r.out);
        }
    }

    @Test
    void shouldGoOnWithTheNextFileAfterABadOne() {
        Run r = run("replay", "--format", "jsonl", "missing.pcap", DEMO.toString());
        assertEquals(1, r.exit);
        assertTrue(r.out.contains("port_blocked"), r.out);
    }

    /** The engine's keys come from the configuration in replay too: the same capture, another verdict. */
    @Test
    void shouldHonourTheEnginesKeysFromTheConfiguration(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String hostGone = "src/test/resources/scenarios/host_gone.pcap";
        Run defaults = run("replay", "--format", "jsonl", hostGone);
        assertEquals(0, defaults.exit(), defaults.err());
        assertTrue(defaults.out().contains("\"kind\":\"host_unreachable\""), defaults.out());
        Path conf = dir.resolve("tapdoctor.conf");
        java.nio.file.Files.writeString(conf, "diagnose.host-min-attempts = 3\n");
        Run configured = run("replay", "--format", "jsonl", "--config", conf.toString(), hostGone);
        assertEquals(0, configured.exit(), configured.err());
        assertFalse(configured.out().contains("host_unreachable"), "two attempts are not enough with 3: " + configured.out());
        assertEquals(2, configured.out().lines().filter(l -> l.contains("\"kind\":\"unreachable\"")).count(), configured.out());
        Run set = run("replay", "--format", "jsonl", "--set", "diagnose.host-min-attempts=3", hostGone);
        assertEquals(configured.out(), set.out(), "--set does the same");
    }
}
