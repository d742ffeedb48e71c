package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heap budget in the real JVM with the appliance unit's options (TAPDOCTOR_JAVA_OPTS of
 * systemd/tapdoctor.service): a ring eight times the default on the appliance's two NICs is refused
 * before capture starts (the interfaces need not exist: nothing is opened), in
 * one line and exit code 2, where it used to die of an OutOfMemoryError stack trace; replay with
 * tables too large for the heap likewise.
 */
class HeapBudgetIT {
    record Result(int exit, String out, String err) { }

    static List<String> unitJavaOptions(Path tmp) throws Exception {
        Matcher m = Pattern.compile("TAPDOCTOR_JAVA_OPTS=\"([^\"]+)\"").matcher(Files.readString(Path.of("systemd/tapdoctor.service")));
        assertTrue(m.find(), "no TAPDOCTOR_JAVA_OPTS in systemd/tapdoctor.service");
        List<String> opts = new ArrayList<>();
        for (String o : m.group(1).split(" ")) {
            // JNA's directory is the package's cache directory; a test has its own.
            opts.add(o.startsWith("-Djna.tmpdir=") ? "-Djna.tmpdir=" + tmp : o);
        }
        return opts;
    }

    static Result java(Path tmp, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(unitJavaOptions(tmp));
        cmd.add("-jar");
        cmd.add(Path.of(System.getProperty("tapdoctor.jar", "target/tapdoctor.jar")).toAbsolutePath().toString());
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(); // the service started: the budget let it through
            return new Result(-1, Files.readString(tmp.resolve("out")), Files.readString(tmp.resolve("err")));
        }
        return new Result(p.exitValue(), Files.readString(tmp.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseARingTooLargeForTheUnitsHeapInOneLine(@TempDir Path tmp) throws Exception {
        Result r = java(tmp, "run", "--interfaces", "tdnone0,tdnone1", "--panel", "none", "--set", "capture.ring=131072");
        assertEquals(2, r.exit(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("tapdoctor: the configuration needs "), lines.get(0));
        assertTrue(lines.get(0).contains("capture.ring=131072 x capture.snaplen="), lines.get(0));
        assertTrue(lines.get(0).contains(" heap): "), lines.get(0));
        assertEquals("", r.out());
    }

    @Test
    void shouldRefuseReplayTablesTooLargeForTheUnitsHeap(@TempDir Path tmp) throws Exception {
        Result r = java(tmp, "replay", "--set", "tables.connections=4000000", "src/test/resources/scenarios/healthy.pcap");
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("tables.connections/servers/arp/dns = "), r.err());
    }
}
