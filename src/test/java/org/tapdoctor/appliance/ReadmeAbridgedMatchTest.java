package org.tapdoctor.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;

/** How ReadmeFirstCommandIT reads the README and compares what the command printed. */
class ReadmeAbridgedMatchTest {

    @Test
    void shouldReadTheCommandAndThePrintedLinesFromTheReadme() throws Exception {
        List<String> readme = Files.readAllLines(ReadmeFirstCommandIT.README);
        String command = ReadmeFirstCommandIT.firstCommand(readme);
        assertTrue(command.contains("replay src/test/resources/demo/site-visit.pcap"), command);
        assertFalse(command.startsWith("sudo "), "a fresh Debian 12 has no sudo: " + command);
        List<String> printed = ReadmeFirstCommandIT.printedAbridged(readme);
        assertTrue(printed.get(printed.size() - 1).startsWith("page 1/"), printed.toString());
    }

    @Test
    void shouldMatchPiecesBetweenEllipsesInOrder() {
        String line = "12:00 CRITICAL reset: 198.51.100.10:85 fails {failure=refused, rst_ttl=64, rst_from=middlebox}";
        assertTrue(ReadmeFirstCommandIT.matches("12:00 CRITICAL reset: ... {..., rst_ttl=64, rst_from=middlebox}", line));
        assertFalse(ReadmeFirstCommandIT.matches("12:00 CRITICAL reset: ... {..., rst_ttl=63, rst_from=middlebox}", line));
        assertFalse(ReadmeFirstCommandIT.matches("CRITICAL reset: ...", line), "the first piece starts the line");
        assertFalse(ReadmeFirstCommandIT.matches("{..., rst_from=middlebox}...12:00", line), "pieces in order");
        assertFalse(ReadmeFirstCommandIT.matches("12:00 CRITICAL reset:", line), "without ... the whole line");
        assertTrue(ReadmeFirstCommandIT.matches("frames 15 in 0.10 s: decoded 15", "frames 15 in 0.31 s: decoded 15"),
                "the wall time is not compared");
        assertFalse(ReadmeFirstCommandIT.matches("frames 15 in 0.10 s: decoded 15", "frames 16 in 0.10 s: decoded 15"));
    }

    @Test
    void shouldFindTheExpectedLinesOnlyInOrder() {
        List<String> output = List.of("a 1", "b 2", "c 3");
        assertEquals(List.of(), ReadmeFirstCommandIT.missingInOrder(List.of("a ...", "c 3"), output));
        assertEquals(List.of("a 1"), ReadmeFirstCommandIT.missingInOrder(List.of("b 2", "a 1"), output));
        assertEquals(List.of("d 4"), ReadmeFirstCommandIT.missingInOrder(List.of("a 1", "d 4", "c 3"), output));
    }
}
