package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shared by the live integration tests: runs a namespace script (src/test/scenarios/*.sh, as
 * root) around the service jar, and reads what the service wrote. Without root or the script's
 * tools (its {@code --check}) a test is skipped with a visible message; in CI (CI=true) it fails.
 */
final class LiveScripts {
    static final Path SCENARIOS = Path.of("src/test/scenarios");

    private LiveScripts() {
    }

    /** Root and the script's tools: skipped with the reason on a developer machine, a failure in CI. */
    static void requirePrerequisites(String testName, Path script) throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", "-u").start();
        String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        id.waitFor();
        String missing = null;
        if (!"0".equals(uid)) {
            missing = "namespace scenarios need root (uid is " + uid + ")";
        } else {
            Process check = new ProcessBuilder("bash", script.toString(), "--check").redirectErrorStream(true).start();
            String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (check.waitFor() != 0) {
                missing = out;
            }
        }
        if (!Files.isRegularFile(jar())) {
            missing = (missing == null ? "" : missing + "; ") + "no service jar at " + jar() + " (mvn package first)";
        }
        if (missing != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail(missing + "\n(CI=true, so the live scenarios must run: see .ci/run for the packages)");
            }
            System.err.println("SKIPPED " + testName + ": " + missing);
            assumeTrue(false, missing);
        }
    }

    static Path jar() {
        return Path.of(System.getProperty("tapdoctor.jar", "target/tapdoctor.jar"));
    }

    /** The java launcher running the tests, and the service's command line after it. */
    static List<String> service(List<String> jvmOptions, String... runArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar().toAbsolutePath().toString());
        cmd.addAll(List.of("run", "--interfaces", "tapA,tapB", "--client-side", "tapA", "--format", "jsonl"));
        cmd.addAll(List.of(runArgs));
        return cmd;
    }

    /** Runs {@code bash SCRIPT ARGS...}, output to {@code log}; fails on a timeout or a non-zero exit. */
    static void run(Path log, long timeoutMinutes, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            fail(args.get(0) + " did not finish in " + timeoutMinutes + " min:\n" + tail(log, 40));
        }
        if (p.exitValue() != 0) {
            fail(args.get(0) + " failed (exit " + p.exitValue() + "):\n" + tail(log, 40));
        }
    }

    static List<String> lines(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    /** Whether a jsonl line is the site record ({@code "kind":"site"}), not a diagnosis. */
    static boolean isSite(String json) {
        return "site".equals(field(json, "kind"));
    }

    /** A JSON line's top-level string field, e.g. {@code kind}; null when absent. */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    /** A JSON line's first numeric field of that name; -1 when absent. */
    static long number(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Whether a diagnosis is about {@code ip:port} as its server. */
    static boolean aboutServer(String json, String ip, int port) {
        return json.contains("\"server\":{\"ip\":\"" + ip + "\",\"port\":" + port + "}")
                || json.contains("\"server\":{\"ip\":\"" + ip + "\",\"port\":" + port + ",");
    }

    /** Java exception stack traces in a log: "\tat pkg.Class.method(File.java:12)" or "Exception in thread". */
    static List<String> stackTraceLines(List<String> log) {
        Pattern frame = Pattern.compile("^\\s+at [\\w$.<>/]+\\(.*\\)\\s*$");
        List<String> out = new ArrayList<>();
        for (String l : log) {
            if (frame.matcher(l).matches() || l.contains("Exception in thread") || l.startsWith("Caused by: ")) {
                out.add(l);
            }
        }
        return out;
    }

    static String tail(Path file, int n) {
        try {
            List<String> l = lines(file);
            return String.join("\n", l.subList(Math.max(0, l.size() - n), l.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
