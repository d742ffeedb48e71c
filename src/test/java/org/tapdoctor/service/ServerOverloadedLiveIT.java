package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Placement;

/**
 * server_overloaded live (issue 11 item 1): make-misread.sh --live runs only the full accept
 * queue (srv1:8001, backlog 4, never accepting; 4 clients queued, a burst of 6, a later SYN;
 * srv1:80 working alongside) while the service captures on the tap's NICs with the default
 * kernel filter, which drops the clients' bare final ACKs: the box must still blame the server,
 * not the client side (today's no_final_ack), and say nothing else.
 *
 * <p>The scenario checks its own set-up (its clients must stall, the later SYN time out): on a
 * loaded 2-core machine that set-up sometimes does not happen (a client gets in or times out
 * early) and the script stops before any verdict. Only then is the scenario run again, at most
 * {@link #ATTEMPTS} times in all, each attempt printed; the service's verdict is judged on the
 * first attempt whose set-up held, and never retried. About 1 min an attempt.
 */
class ServerOverloadedLiveIT {
    static final int ATTEMPTS = 3;
    static final String SERVER = "198.51.100.10:8001";

    @Test
    void shouldBlameTheServerWhoseAcceptQueueIsFullLive(@TempDir Path tmp) throws Exception {
        LiveScripts.requirePrerequisites("ServerOverloadedLiveIT", MisreadLiveIT.SCRIPT);
        Path out = null;
        for (int attempt = 1; attempt <= ATTEMPTS && out == null; attempt++) {
            Path dir = Files.createDirectories(tmp.resolve("attempt-" + attempt));
            List<String> args = new ArrayList<>(List.of(MisreadLiveIT.SCRIPT.toString(), "--live", dir.toString(), "--"));
            args.addAll(LiveScripts.service(List.of("-Xmx256m"), "--set", "report.interval=500ms"));
            Path log = dir.resolve("script.log");
            try {
                LiveScripts.run(log, 5, args, Map.of("ONLY", "server_overloaded"));
                out = dir;
            } catch (AssertionError e) {
                String text = Files.readString(log);
                if (!setUpFailed(text)) {
                    throw e; // anything but the scenario's own set-up check is a failure
                }
                System.out.println("ServerOverloadedLiveIT: attempt " + attempt + " of " + ATTEMPTS
                        + ": the scenario's set-up did not hold, run again:\n" + LiveScripts.tail(log, 6));
            }
        }
        if (out == null) {
            fail("the server_overloaded scenario's set-up failed " + ATTEMPTS + " times");
        }
        List<Diagnosis> live = new ArrayList<>();
        for (Diagnosis d : MisreadLiveIT.latest(out.resolve("live.out"))) {
            live.add(d);
        }
        List<String> lines = live.stream().map(d -> d.kind().label() + " " + d.server() + " " + d.evidence().asMap()).toList();
        assertEquals(1, live.size(), "exactly the server's diagnosis, nothing about srv1:80 or the clients: " + lines);
        Diagnosis d = live.get(0);
        assertEquals("server_overloaded " + SERVER, d.kind().label() + " " + d.server(), lines.toString());
        assertEquals(Placement.Fault.BEYOND_TAP, d.placement().fault(), lines.toString());
        long afterAck = ((Number) d.evidence().get("synack_after_ack")).longValue();
        assertTrue(afterAck >= 2, "at least two attempts' SYN/ACKs retransmitted after the client's ACK: " + lines);
        System.out.println("ServerOverloadedLiveIT: " + lines.get(0));
        assertEquals(List.of(), LiveScripts.stackTraceLines(LiveScripts.lines(out.resolve("live.log"))));
    }

    /** The scenario's own checks of its clients (make-misread.sh sc_server_overloaded, tcpdo.py). */
    static boolean setUpFailed(String scriptLog) {
        return scriptLog.contains("did not stall") || scriptLog.matches("(?s).*expected [a-z|']+, got [a-z]+.*");
    }
}
