package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live service under a SYN flood in the namespace topology (src/test/scenarios/live-load.sh,
 * as root): 2,000,000 SYNs from spoofed documentation sources through the tap, a connection table
 * of 4096 entries (so it must evict), a 256 MB heap; meanwhile one real refused connection
 * (198.51.100.10:82) and one real unanswered one (198.51.100.20:81). Checks that both are still
 * diagnosed, that the table's evictions are reported (table_full), that the JVM's RSS stays flat
 * (growth under 64 MB from before to after the flood) and that kernel drops, if any, are
 * reported as capture_drops. Prints the figures. Skipped with a message without root or tools; a
 * failure in CI.
 */
class LiveLoadIT {
    static final Path SCRIPT = LiveScripts.SCENARIOS.resolve("live-load.sh");
    static final long COUNT = 2_000_000;
    static final long MAX_RSS_GROWTH_KB = 64 * 1024;
    static final long MAX_HEAP_GROWTH_KB = 16 * 1024;
    static final Pattern CAPTURE_ALLOCATION = Pattern.compile(
            "(\\S+): (\\d+) frames since its handle opened, its capture thread allocated (-?\\d+) bytes");
    static final Pattern NIC_STATS = Pattern.compile("(\\S+) (?:up|down|missing)[^|]*? frames (\\d+) drops (\\d+) \\|");
    static final Pattern EVICTED = Pattern.compile("evicted (\\d+)");

    @Test
    void shouldKeepDiagnosingThroughASynFlood(@TempDir Path out) throws Exception {
        LiveScripts.requirePrerequisites("LiveLoadIT", SCRIPT);
        Path script = out.resolve("live-load.log");
        List<String> args = new ArrayList<>(List.of(SCRIPT.toString(), out.toString(), Long.toString(COUNT), "--"));
        // The appliance's JVM settings: a fixed, pre-touched heap, so RSS measures native growth
        // (a leak, a growing buffer), not the JVM deciding to commit more heap under load.
        args.addAll(LiveScripts.service(List.of("-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC"),
                "--set", "tables.connections=4096"));
        LiveScripts.run(script, 10, args);

        List<String> diagnoses = LiveScripts.lines(out.resolve("live.out"));
        List<String> log = LiveScripts.lines(out.resolve("live.log"));
        Map<String, String> fig = new LinkedHashMap<>();
        for (String l : LiveScripts.lines(out.resolve("figures.txt"))) {
            int eq = l.indexOf('=');
            if (eq > 0) {
                fig.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        String finalStats = fig.getOrDefault("final_stats", "");
        long frames = 0, drops = 0, evictions = -1;
        Matcher m = NIC_STATS.matcher(finalStats);
        while (m.find()) {
            frames += Long.parseLong(m.group(2));
            drops += Long.parseLong(m.group(3));
        }
        Matcher e = EVICTED.matcher(finalStats);
        if (e.find()) {
            evictions = Long.parseLong(e.group(1));
        }
        long rssBefore = Long.parseLong(fig.getOrDefault("rss_before_kb", "0"));
        long rssAfter = Long.parseLong(fig.getOrDefault("rss_after_kb", "0"));
        System.out.printf("LiveLoadIT figures: packets sent %s in %s s; frames seen %d (both NICs); drops %d; evictions %d;%n"
                        + "  heap used (after full GC) before %s KB, after %s KB; RSS start %s KB, before %d KB, peak %s KB, after %d KB"
                        + " (growth %d KB)%n  %s%n",
                fig.get("packets_sent"), fig.get("flood_seconds"), frames, drops, evictions, fig.get("heap_used_before_kb"),
                fig.get("heap_used_after_kb"), fig.get("rss_start_kb"), rssBefore, fig.get("rss_peak_kb"), rssAfter,
                rssAfter - rssBefore, finalStats);

        List<String> failures = new ArrayList<>();
        if (diagnoses.stream().noneMatch(d -> kindIn(d, "refused", "port_blocked") && LiveScripts.aboutServer(d, "198.51.100.10", 82))) {
            failures.add("the refused connection to 198.51.100.10:82 during the flood was not diagnosed");
        }
        // The flood's own SYNs to 198.51.100.20:443 go unanswered too, so the host may be judged as a
        // whole (host_unreachable, its port list holding 81) rather than port by port.
        if (diagnoses.stream().noneMatch(d -> (kindIn(d, "no_response", "port_blocked") && LiveScripts.aboutServer(d, "198.51.100.20", 81))
                || (kindIn(d, "host_unreachable") && d.contains("\"server\":{\"ip\":\"198.51.100.20\"}")
                        && d.matches(".*\"port_list\":\\[[^\\]]*\\b81\\b.*")))) {
            failures.add("the unanswered connection to 198.51.100.20:81 during the flood was not diagnosed");
        }
        if (diagnoses.stream().noneMatch(d -> kindIn(d, "table_full") && "connections".equals(LiveScripts.field(d, "table")))) {
            failures.add("no table_full diagnosis for the connections table (evictions " + evictions + ")");
        }
        if (evictions <= 0) {
            failures.add("no evictions in the final stats although the table holds 4096 entries: " + finalStats);
        }
        if (rssBefore <= 0 || rssAfter <= 0) {
            failures.add("no RSS figures: " + fig);
        } else if (rssAfter - rssBefore >= MAX_RSS_GROWTH_KB) {
            failures.add("RSS grew by " + (rssAfter - rssBefore) + " KB over the flood (limit " + MAX_RSS_GROWTH_KB + " KB)");
        }
        long heapBefore = Long.parseLong(fig.getOrDefault("heap_used_before_kb", "0"));
        long heapAfter = Long.parseLong(fig.getOrDefault("heap_used_after_kb", "0"));
        if (heapBefore <= 0 || heapAfter - heapBefore >= MAX_HEAP_GROWTH_KB) {
            failures.add("heap used after a full GC went from " + heapBefore + " KB to " + heapAfter + " KB (limit +"
                    + MAX_HEAP_GROWTH_KB + " KB)");
        }
        if (drops > 0 && diagnoses.stream().noneMatch(d -> kindIn(d, "capture_drops"))) {
            failures.add("the final stats show " + drops + " drops but no capture_drops diagnosis was published");
        }
        // The capture path allocates nothing per frame: the flooded NIC's thread, since its handle
        // opened, allocated less than a byte per frame (a stats read each second is all it may do).
        boolean sawAllocation = false;
        for (String l : log) {
            Matcher a = CAPTURE_ALLOCATION.matcher(l);
            if (a.find() && Long.parseLong(a.group(2)) >= 100_000) {
                sawAllocation = true;
                long frames1 = Long.parseLong(a.group(2)), bytes = Long.parseLong(a.group(3));
                System.out.printf("LiveLoadIT capture thread of %s: %d bytes allocated over %d frames (%.3f B/frame)%n",
                        a.group(1), bytes, frames1, (double) bytes / frames1);
                if (bytes < 0 || bytes >= frames1) {
                    failures.add("the capture thread of " + a.group(1) + " allocated " + bytes + " bytes over " + frames1 + " frames");
                }
            }
        }
        if (!sawAllocation) {
            failures.add("no capture thread allocation line for a NIC with >= 100000 frames in the log");
        }
        if (finalStats.isEmpty()) {
            failures.add("no final stats line in the service log");
        }
        String rc = fig.getOrDefault("live_rc", LiveScripts.lines(out.resolve("live.rc")).stream().findFirst().orElse("?")).trim();
        if (!rc.equals("0") && !rc.equals("143")) {
            failures.add("the service exited with " + rc);
        }
        failures.addAll(LiveScripts.stackTraceLines(log).stream().map(l -> "stack trace in the log: " + l).toList());
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures) + "\n--- diagnoses:\n" + abbreviate(diagnoses) + "\n--- log:\n"
                    + String.join("\n", log));
        }
    }

    private static boolean kindIn(String json, String... kinds) {
        String k = LiveScripts.field(json, "kind");
        for (String want : kinds) {
            if (want.equals(k)) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines.subList(0, Math.min(lines.size(), 60))) {
            sb.append(l.length() > 400 ? l.substring(0, 400) + "..." : l).append('\n');
        }
        return sb.toString();
    }
}
