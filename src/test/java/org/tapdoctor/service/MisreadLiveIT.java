package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.diagnose.Diagnosis;

/**
 * The issue-11 scenarios live: make-misread.sh --live runs every scenario of misread/expected.tsv
 * (the faults and the healthy traffic, 250 healthy connections to srv1:80 alongside) while two
 * services capture on the tap's two NICs side by side (src/test/scenarios/live-pair.sh): one with
 * the default kernel filter, one with {@code capture.path-mtu=true} (every TCP segment). For each
 * service and each row of expected.tsv: the row's diagnosis, with its key evidence, is the only one
 * published about the row's server (the latest line of each, as it was republished); a {@code none}
 * row's traffic gives nothing (every published diagnosis must belong to some row). Rows whose kinds
 * are not on this branch yet are listed in {@link #PENDING}: checked as far as "nothing outside
 * their server", and printed as not checked. About 3 min (the script's scenarios, both services'
 * start and the last timeouts). Root and the script's tools are required: skipped with a message on
 * a developer machine without them, a failure in CI.
 */
class MisreadLiveIT {
    static final Path SCRIPT = MisreadCaptureIT.SCRIPT;
    static final Path EXPECTED = MisreadCaptureIT.EXPECTED;

    /**
     * Rows of expected.tsv whose kind (or rule change) is built on another branch: file to
     * {server ip, port or "-", what is missing}. The lead empties this list as those branches merge
     * (overload and tlsreset are merged: their rows are checked); a row listed here is not checked,
     * but its server is the only place its misreading may show.
     */
    static final Map<String, List<String[]>> PENDING = new LinkedHashMap<>();

    static {
        // empty: every kind of expected.tsv is on main (server_overloaded is run by ServerOverloadedLiveIT)
    }

    /**
     * Scenarios not run live here, and why: server_overloaded's own client expectations (a SYN
     * that must time out against the full accept queue) failed at this machine's load (2 runs of 3
     * on 2026-12-02 at load 17-21, in the script's clients, before any check of the service); its
     * kind is checked replayed and through the filter by MisreadKindsTest. The scenario belongs to
     * the branch that built server_overloaded; the lead empties this when it holds under load.
     */
    static final Map<String, String> NOT_RUN = Map.of("server_overloaded.pcap",
            "its set-up checks its own clients and may need another run on a loaded machine: ServerOverloadedLiveIT");

    private static void pending(String file, String ip, String port, String why) {
        PENDING.computeIfAbsent(file, f -> new ArrayList<>()).add(new String[] {ip, port, why});
    }

    /**
     * What the live service publishes for a row where it differs from the replay, and why: the
     * scan's host has no working port live either, but other hosts work beside it, so its 20
     * no_response are one host_unreachable (expected.tsv's note says so).
     */
    static Expectations.Line live(Expectations.Line row) {
        if (row.file().equals("port_scan_filtered.pcap")) {
            return new Expectations.Line(row.file(), "host_unreachable", row.server(), row.port(), "", "ports=20;syn=60",
                    row.note());
        }
        return row;
    }

    @Test
    void shouldGiveEachMisreadScenarioItsDiagnosisLive(@TempDir Path out) throws Exception {
        LiveScripts.requirePrerequisites("MisreadLiveIT", SCRIPT);
        Path pathMtuOut = out.resolve("live-path-mtu.out"), pathMtuLog = out.resolve("live-path-mtu.log");
        List<String> args = new ArrayList<>(List.of(SCRIPT.toString(), "--live", out.toString(), "--", "bash",
                LiveScripts.SCENARIOS.resolve("live-pair.sh").toString(), pathMtuOut.toString(), pathMtuLog.toString(), "--"));
        args.addAll(LiveScripts.service(List.of("-Xmx256m"), "--set", "report.interval=500ms"));
        args.add("--");
        args.addAll(LiveScripts.service(List.of("-Xmx256m"), "--set", "report.interval=500ms", "--set", "capture.path-mtu=true"));
        // Every scenario of expected.tsv but those NOT_RUN (make-misread.sh's ONLY)
        Map<String, List<Expectations.Line>> rows = Expectations.read(EXPECTED);
        String only = String.join(" ", rows.keySet().stream().map(f -> f.replace(".pcap", ""))
                .filter(n -> !NOT_RUN.containsKey(n + ".pcap")).toList());
        NOT_RUN.forEach((f, why) -> System.out.println("MisreadLiveIT: NOT RUN " + f + ": " + why));
        long t0 = System.nanoTime();
        LiveScripts.run(out.resolve("script.log"), 10, args, Map.of("ONLY", only));
        System.out.printf("MisreadLiveIT: make-misread.sh --live with two services took %.0f s%n", (System.nanoTime() - t0) / 1e9);
        String rc = Files.readString(pathMtuOut.resolveSibling(pathMtuOut.getFileName() + ".rc")).trim();
        assertTrue(rc.equals("0") || rc.equals("143"), // stopped by SIGTERM, as live_stop accepts
                "the path-mtu service's exit status " + rc + "; its log:\n" + LiveScripts.tail(pathMtuLog, 20));

        // Kept for a look after the run (the temporary directory goes): target/misread-live/
        Path keep = Files.createDirectories(Path.of("target", "misread-live"));
        for (String f : List.of("live.out", "live.log", "live-path-mtu.out", "live-path-mtu.log", "script.log")) {
            if (Files.isRegularFile(out.resolve(f))) {
                Files.copy(out.resolve(f), keep.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        List<String> failures = new ArrayList<>();
        failures.addAll(check("default filter", latest(out.resolve("live.out")), rows, false));
        failures.addAll(check("capture.path-mtu", latest(pathMtuOut), rows, true));
        for (Map.Entry<String, List<String[]>> e : PENDING.entrySet()) {
            for (String[] p : e.getValue()) {
                System.out.println("MisreadLiveIT: NOT CHECKED (pending) " + e.getKey() + " " + p[0] + " " + p[1] + ": " + p[2]);
            }
        }
        assertEquals(List.of(), failures, "live diagnoses against misread/expected.tsv");
        for (String log : List.of("live.log", "live-path-mtu.log")) {
            assertEquals(List.of(), LiveScripts.stackTraceLines(LiveScripts.lines(out.resolve(log))), log);
        }
    }

    /** The latest published line of each diagnosis (kind, server): it is republished as it recurs. */
    static List<Diagnosis> latest(Path jsonl) throws Exception {
        Map<String, Diagnosis> byKey = new LinkedHashMap<>();
        for (String line : LiveScripts.lines(jsonl)) {
            if (LiveScripts.isSite(line)) {
                continue; // the site record (a gateway learned from the scenarios' traffic) is its own line
            }
            Diagnosis d = LiveScenariosIT.parse(line);
            byKey.put(d.kind().label() + " " + d.server(), d);
        }
        return new ArrayList<>(byKey.values());
    }

    /**
     * Checks one service's diagnoses against every row; returns what failed, one line each.
     * @param pathMtu the service saw every TCP segment: the black hole is expected (else a miss)
     */
    static List<String> check(String service, List<Diagnosis> live, Map<String, List<Expectations.Line>> rows,
                              boolean pathMtu) {
        List<String> failures = new ArrayList<>();
        List<Diagnosis> unclaimed = new ArrayList<>(live);
        for (Map.Entry<String, List<Expectations.Line>> e : rows.entrySet()) {
            String file = e.getKey();
            for (String[] p : PENDING.getOrDefault(file, List.of())) {
                unclaimed.removeIf(d -> about(d, p[0], p[1]));
            }
            if (PENDING.containsKey(file) || NOT_RUN.containsKey(file)) {
                continue;
            }
            for (Expectations.Line row : e.getValue()) {
                if (row.kind().equals("none")) {
                    continue; // healthy: nothing may be published that no row claims (below)
                }
                Expectations.Line want = live(row);
                List<Diagnosis> here = new ArrayList<>(live.stream().filter(d -> about(d, want.server(), want.port())).toList());
                unclaimed.removeAll(here);
                if (sharedWithPending(want)) {
                    // Another scenario's pending row uses this server too: only this row's kind is judged here.
                    here.removeIf(d -> !d.kind().label().equals(want.kind()));
                }
                // Another scenario's row for the same server (parameter_problem and mtu_icmp both
                // talk to the far host's :9001): its kind is judged by its own row.
                here.removeIf(d -> !d.kind().label().equals(want.kind()) && otherRows(rows, want).contains(d.kind().label()));
                if (want.kind().equals("host_unreachable")) {
                    // Published per port as the first ports concluded, then replaced by the host's line.
                    here.removeIf(d -> d.kind().label().equals("no_response") && d.server().hasPort());
                }
                boolean seen = pathMtu || !want.kind().equals("mtu_blackhole");
                try {
                    // Without capture.path-mtu the black hole's segments stay in the kernel: nothing.
                    Expectations.check(seen ? List.of(want) : List.of(), here);
                } catch (AssertionError x) {
                    failures.add(service + ": " + file + " " + want.server() + " " + want.port() + ": " + x.getMessage());
                }
            }
        }
        for (Diagnosis d : unclaimed) {
            failures.add(service + ": no row of expected.tsv claims " + d.kind().label() + " " + d.server() + " "
                    + d.evidence() + " (healthy traffic must stay silent)");
        }
        return failures;
    }

    /** The kinds other files' rows expect of the same server. */
    private static java.util.Set<String> otherRows(Map<String, List<Expectations.Line>> rows, Expectations.Line row) {
        java.util.Set<String> kinds = new java.util.HashSet<>();
        rows.values().stream().flatMap(List::stream).map(MisreadLiveIT::live)
                .filter(r -> !r.file().equals(row.file()) && r.server().equals(row.server()) && r.port().equals(row.port()))
                .forEach(r -> kinds.add(r.kind()));
        return kinds;
    }

    private static boolean sharedWithPending(Expectations.Line row) {
        return PENDING.values().stream().flatMap(List::stream)
                .anyMatch(p -> p[0].equals(row.server()) && (p[1].equals(row.port()) || p[1].equals("-")));
    }

    private static boolean about(Diagnosis d, String ip, String port) {
        if (d.server() == null || !d.server().ip().equals(ip)) {
            return false;
        }
        // "-": the host, whichever port (a host-level line, and the per-port lines it folds)
        return port.equals("-") || d.server().hasPort() && Integer.toString(d.server().port()).equals(port);
    }
}
