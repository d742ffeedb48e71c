package org.tapdoctor.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The README's first command ("Try it") on a fresh Debian 12, as its two kinds of reader run it:
 * as root on a fresh install, which has no sudo, and as a user with sudo. Each run is a fresh
 * bookworm chroot (readme-first-command.sh; apt installs the JDK and Maven, Maven builds from the
 * clone, the jar replays the bundled capture), and its output must be what the README says it
 * prints: every line of "What the first command prints (abridged)", in order, with "..." standing
 * for what was left out. The command and the expected lines are read from the README, so the test
 * fails when either stops being true. About 1.5-2 min a run.
 */
class ReadmeFirstCommandIT {

    static final Path README = Path.of("README.md");

    @Test
    void shouldRunTheFirstCommandAsRootWithoutSudo() throws Exception {
        runAndCompare("root");
    }

    @Test
    void shouldRunTheFirstCommandAsAUserWithSudo() throws Exception {
        runAndCompare("sudo");
    }

    private static void runAndCompare(String as) throws Exception {
        ApplianceScript.requirePrerequisites("ReadmeFirstCommandIT", "readme-first-command.sh", true);
        List<String> readme = Files.readAllLines(README);
        Path work = Path.of("target/appliance/readme-" + as).toAbsolutePath();
        Files.createDirectories(work);
        Path command = Files.writeString(work.resolve("command.sh"), firstCommand(readme) + "\n");
        ApplianceScript.run(work.resolve("script.log"), 15, "readme-first-command.sh", as,
                Path.of("").toAbsolutePath().toString(), command.toString(), work.toString());
        List<String> output = Files.readAllLines(work.resolve("output.txt"));
        List<String> missing = missingInOrder(printedAbridged(readme), output);
        assertTrue(missing.isEmpty(), "as " + as + ", the README's lines not printed (in order):\n  "
                + String.join("\n  ", missing) + "\nthe end of what was printed:\n" + ApplianceScript.tail(work.resolve("output.txt")));
        List<String> printed = printedAbridged(readme);
        assertEquals(printed.get(printed.size() - 1), output.get(output.size() - 1), "the output ends with the panel");
    }

    /** The first sh block after "## Try it". */
    static String firstCommand(List<String> readme) {
        List<String> block = block(readme, "## Try it", "```sh");
        assertEquals(1, block.size(), "the first command is one line: " + block);
        return block.get(0);
    }

    /** The block after "What the first command prints (abridged):". */
    static List<String> printedAbridged(List<String> readme) {
        List<String> block = block(readme, "What the first command prints (abridged):", "```");
        assertFalse(block.isEmpty(), "the README shows what the first command prints");
        return block;
    }

    private static List<String> block(List<String> readme, String after, String fence) {
        int i = readme.indexOf(after);
        assertTrue(i >= 0, "the README has '" + after + "'");
        while (i < readme.size() && !readme.get(i).equals(fence)) {
            i++;
        }
        List<String> block = new ArrayList<>();
        for (i++; i < readme.size() && !readme.get(i).startsWith("```"); i++) {
            if (!readme.get(i).isBlank()) {
                block.add(readme.get(i));
            }
        }
        return block;
    }

    /**
     * The expected lines that no output line matches, each after the previous one's match. A line
     * matches when its pieces between "..." occur in it in order, the first at its start (a line
     * without "..." must be equal); the replay's wall time ("in 0.10 s:") is not compared.
     */
    static List<String> missingInOrder(List<String> expected, List<String> output) {
        List<String> missing = new ArrayList<>();
        int from = 0;
        for (String line : expected) {
            int at = from;
            while (at < output.size() && !matches(line, output.get(at))) {
                at++;
            }
            if (at == output.size()) {
                missing.add(line);
            } else {
                from = at + 1;
            }
        }
        return missing;
    }

    static boolean matches(String expected, String actual) {
        String e = wallTimeless(expected);
        String a = wallTimeless(actual);
        String[] pieces = e.split("\\.\\.\\.", -1);
        if (pieces.length == 1) {
            return e.equals(a);
        }
        if (!a.startsWith(pieces[0])) {
            return false;
        }
        int at = pieces[0].length();
        for (int i = 1; i < pieces.length; i++) {
            int found = a.indexOf(pieces[i], at);
            if (found < 0) {
                return false;
            }
            at = found + pieces[i].length();
        }
        return true;
    }

    private static String wallTimeless(String line) {
        return line.replaceFirst("^(frames \\d+ in )[0-9.]+ s:", "$1T s:");
    }
}
