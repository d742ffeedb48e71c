package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live service's own links, in the namespace topology (src/test/scenarios/live-link.sh, as
 * root): tapB taken down and up, then its veth pair deleted and re-created. The service must say
 * link_down then link_up each time, capture again on the re-created NIC (a refused connection
 * made afterwards, whose RST comes in by tapB, is diagnosed), stop cleanly on SIGTERM and log no
 * stack trace. Skipped with a message without root or tools; a failure in CI.
 */
class LiveLinkIT {
    static final Path SCRIPT = LiveScripts.SCENARIOS.resolve("live-link.sh");

    @Test
    void shouldFollowTapBDownUpAndDeletedRecreated(@TempDir Path out) throws Exception {
        LiveScripts.requirePrerequisites("LiveLinkIT", SCRIPT);
        Path script = out.resolve("live-link.log");
        List<String> args = new ArrayList<>(List.of(SCRIPT.toString(), out.toString(), "--"));
        args.addAll(LiveScripts.service(List.of("-Xmx256m")));
        LiveScripts.run(script, 5, args);

        List<String> diagnoses = LiveScripts.lines(out.resolve("live.out"));
        List<String> log = LiveScripts.lines(out.resolve("live.log"));
        String context = "\n--- live.out:\n" + String.join("\n", diagnoses) + "\n--- live.log:\n" + String.join("\n", log);

        // the tapB link events, in the order published
        List<String> tapB = new ArrayList<>();
        int lastLinkUp = -1;
        for (int i = 0; i < diagnoses.size(); i++) {
            String d = diagnoses.get(i);
            String kind = LiveScripts.field(d, "kind");
            if (("link_down".equals(kind) || "link_up".equals(kind)) && "tapB".equals(LiveScripts.field(d, "nic"))) {
                tapB.add(kind + " " + LiveScripts.field(d, "state"));
                if (kind.equals("link_up")) {
                    lastLinkUp = i;
                }
            }
        }
        assertEquals(4, tapB.size(), "tapB link events " + tapB + context);
        assertTrue(tapB.get(0).startsWith("link_down") && tapB.get(1).startsWith("link_up")
                && tapB.get(2).startsWith("link_down") && tapB.get(3).startsWith("link_up"),
                "expected link_down, link_up (down/up) then link_down, link_up (deleted/re-created): " + tapB + context);
        assertEquals("link_down down", tapB.get(0), "ip link set tapB down" + context);
        assertEquals("link_down missing", tapB.get(2), "tapB deleted" + context);

        // the refused connection made after the re-creation: its RST came in by the new tapB
        String refused = null;
        for (int i = lastLinkUp + 1; i < diagnoses.size(); i++) {
            String d = diagnoses.get(i);
            String kind = LiveScripts.field(d, "kind");
            if (("refused".equals(kind) || "port_blocked".equals(kind)) && LiveScripts.aboutServer(d, "198.51.100.10", 82)) {
                refused = d;
            }
        }
        assertTrue(refused != null, "no refused/port_blocked for 198.51.100.10:82 after tapB was re-created" + context);
        assertTrue(refused.contains("\"rst_ttl\":"), "the diagnosis must rest on the RST seen on tapB: " + refused);

        long reopened = log.stream().filter(l -> l.contains("capturing on tapB")).count();
        assertTrue(reopened >= 2, "the capture on tapB was not reopened after the re-creation" + context);
        String rc = LiveScripts.lines(out.resolve("live.rc")).get(0).trim();
        assertTrue(rc.equals("0") || rc.equals("143"), "the service exited with " + rc + context);
        assertTrue(log.stream().anyMatch(l -> l.contains("final stats")), "no final stats in the log" + context);
        assertEquals(List.of(), LiveScripts.stackTraceLines(log), "stack traces in the service log" + context);
        System.out.println("LiveLinkIT: tapB " + tapB + "; after re-creation: " + refused);
    }
}
