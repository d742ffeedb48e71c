package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** A plain replay command line means the same without picocli as through it; anything else goes to picocli. */
class PlainReplayLineTest {

    /** The command picocli makes of {@code args}, as Main builds it. */
    private static ReplayCommand picocli(String... args) {
        CommandLine cl = Main.commandLine(args);
        CommandLine.ParseResult r = cl.parseArgs(args);
        return (ReplayCommand) r.subcommand().commandSpec().userObject();
    }

    private static String fields(ReplayCommand c) {
        return "format=" + c.format + " reader=" + c.reader + " panel=" + c.panel + " lcd=" + c.lcd + " files="
                + c.files + " set=" + c.set + " config=" + c.config + " evidence=" + c.evidence + " mqtt=" + c.mqtt
                + " maxFiles=" + c.evidenceMaxFiles + " maxBytes=" + c.evidenceMaxBytes;
    }

    @Test
    void shouldReadWhatPicocliReadsFromAPlainLine() {
        List<String[]> lines = List.of(
                new String[] {"replay", "a.pcap"},
                new String[] {"replay", "--format", "jsonl", "a.pcap"},
                new String[] {"replay", "--format=JSONL", "a.pcap", "b.pcapng"},
                new String[] {"replay", "a.pcap", "--format", "Text", "--panel", "none", "b.pcap"},
                new String[] {"replay", "--reader", "libpcap", "--lcd", "20x4", "dir/with space.pcap"},
                new String[] {"replay", "--reader=java", "--panel=TERMINAL", "--lcd=16x2", "/tmp/x.pcap"},
                new String[] {"replay", "--lcd", "bogus", "x.pcap"}); // picocli takes any string; replay refuses it
        for (String[] args : lines) {
            ReplayCommand plain = PlainReplayLine.parse(args);
            assertNotNull(plain, Arrays.toString(args));
            assertEquals(fields(picocli(args)), fields(plain), Arrays.toString(args));
        }
    }

    @Test
    void shouldLeaveEverythingElseToPicocli() {
        List<String[]> lines = List.of(
                new String[] {"replay"},
                new String[] {"run", "a.pcap"},
                new String[] {"Replay", "a.pcap"},
                new String[] {"replay", "--help"},
                new String[] {"replay", "-h", "a.pcap"},
                new String[] {"replay", "--version"},
                new String[] {"replay", "--format", "jsonl"}, // no file
                new String[] {"replay", "a.pcap", "--format"}, // no value
                new String[] {"replay", "--format", "xml", "a.pcap"},
                new String[] {"replay", "--format", "jsonl", "--format", "text", "a.pcap"},
                new String[] {"replay", "--format=jsonl", "--format", "jsonl", "a.pcap"},
                new String[] {"replay", "--set", "tcp.syn-timeout=5s", "a.pcap"},
                new String[] {"replay", "--config", "c.conf", "a.pcap"},
                new String[] {"replay", "--evidence", "/tmp/e", "a.pcap"},
                new String[] {"replay", "--mqtt", "tcp://x", "a.pcap"},
                new String[] {"replay", "--", "a.pcap"},
                new String[] {"replay", "@args.txt"},
                new String[] {"replay", "--lcd", "@x", "a.pcap"},
                new String[] {"replay", "--lcd", "-1", "a.pcap"},
                new String[] {"replay", "-", "a.pcap"},
                new String[] {"replay", "", "a.pcap"},
                new String[] {"replay", "--form", "jsonl", "a.pcap"},
                new String[] {"replay", "--format", "jsonl\u0131", "a.pcap"},
                new String[] {"replay", "--reader", "l\u0131bpcap", "a.pcap"},
                new String[] {"replay", "a\u0000.pcap"});
        for (String[] args : lines) {
            assertNull(PlainReplayLine.parse(args), Arrays.toString(args));
        }
    }
}
