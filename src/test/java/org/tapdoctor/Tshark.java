package org.tapdoctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs tshark for tests that check what Wireshark makes of a file: installed in CI, where those
 * tests must run; on a machine without it they are skipped with a visible message.
 */
public final class Tshark {
    private Tshark() {
    }

    /** Skips the calling test (or fails it when CI=true) when tshark cannot be run. */
    public static void require() {
        try {
            Process p = new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() == 0) {
                return;
            }
        } catch (IOException e) {
            // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String message = "tshark not found: the check with Wireshark's dissectors is skipped";
        if ("true".equals(System.getenv("CI"))) {
            fail(message + "; CI=true, so it must be installed");
        }
        System.err.println("SKIPPED: " + message);
        assumeTrue(false, message);
    }

    /** {@code tshark -r FILE [-Y FILTER] -T fields -e F...}: one line per frame, fields tab separated. */
    public static List<String> fields(Path file, String filter, String... fields) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        if (filter != null) {
            cmd.add("-Y");
            cmd.add(filter);
        }
        cmd.add("-T");
        cmd.add("fields");
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "tshark failed on " + file + ": " + cmd);
        return out.lines().toList();
    }

    /**
     * {@code tshark -r FILE -T fields -E occurrence=a -E aggregator=| -e F...}: one line per frame,
     * fields tab separated, every occurrence of a field joined by {@code |}.
     */
    public static List<String> fieldsAll(Path file, String... fields) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields",
                "-E", "occurrence=a", "-E", "aggregator=|", "-E", "separator=/t"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "tshark failed on " + file + ": " + cmd);
        return out.lines().toList();
    }
}
