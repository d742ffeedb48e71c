package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd readiness and watchdog, as systemd would see them: the service runs live in a network
 * namespace of its own (the two ends of a veth pair as NICs) with NOTIFY_SOCKET pointing at a datagram socket this test
 * reads; it must send READY=1 once capture is open, WATCHDOG=1 while it runs, STOPPING=1 on
 * SIGTERM, and exit cleanly. Needs root (skipped with a message outside CI, a failure in CI).
 */
class SystemdNotifyIT {

    @Test
    void shouldNotifyReadyWatchdogAndStopping(@TempDir Path dir) throws Exception {
        LiveScripts.requirePrerequisites("SystemdNotifyIT", ScenarioCaptureIT.SCRIPT);
        String ns = "tdn" + ProcessHandle.current().pid();
        Path socket = dir.resolve("notify.sock");
        Path received = dir.resolve("received.txt");
        Path jar = Path.of(System.getProperty("tapdoctor.jar", "target/tapdoctor.jar")).toAbsolutePath();
        Process listener = null;
        Process service = null;
        try {
            sh("ip netns add " + ns);
            sh("ip -n " + ns + " link add d0 type veth peer name d1"
                    + " && ip -n " + ns + " link set d0 up && ip -n " + ns + " link set d1 up");
            listener = new ProcessBuilder("python3", "-c", String.join("\n",
                    "import socket, sys",
                    "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
                    "s.bind(sys.argv[1])",
                    "s.settimeout(60)",
                    "with open(sys.argv[2], 'a') as out:",
                    "    while True:",
                    "        try:",
                    "            d = s.recv(4096)",
                    "        except socket.timeout:",
                    "            break",
                    "        out.write(d.decode().replace('\\n', ' ') + '\\n'); out.flush()"),
                    socket.toString(), received.toString()).start();
            waitFor(() -> Files.exists(socket), 10, "the notify socket");
            ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns, "java", "-Xmx128m", "-jar", jar.toString(), "run",
                    "--interfaces", "d0,d1", "--format", "jsonl")
                    .redirectOutput(dir.resolve("out.jsonl").toFile()).redirectError(dir.resolve("service.log").toFile());
            pb.environment().put("NOTIFY_SOCKET", socket.toString());
            service = pb.start();
            waitFor(() -> read(received).contains("READY=1"), 20, "READY=1");
            try {
                waitFor(() -> read(received).contains("WATCHDOG=1"), 10, "WATCHDOG=1");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; received: " + read(received) + "; service log: "
                        + read(dir.resolve("service.log")), e);
            }
            service.destroy(); // SIGTERM to the JVM (ip netns exec execs it in the same process)
            assertTrue(service.waitFor(20, TimeUnit.SECONDS), "the service did not stop on SIGTERM");
            int exit = service.exitValue();
            assertTrue(exit == 0 || exit == 143, "exit code " + exit + "\n" + read(dir.resolve("service.log")));
            waitFor(() -> read(received).contains("STOPPING=1"), 5, "STOPPING=1");
            String log = read(dir.resolve("service.log"));
            assertTrue(log.contains("final stats"), log);
            List<String> lines = Files.readAllLines(received);
            assertTrue(lines.get(0).startsWith("READY=1"), "READY comes first: " + lines);
            assertTrue(lines.get(0).contains("STATUS=capturing on d0, d1"), lines.get(0));
        } finally {
            if (service != null && service.isAlive()) {
                service.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            if (listener != null) {
                listener.destroy();
                listener.waitFor(5, TimeUnit.SECONDS);
            }
            new ProcessBuilder("ip", "netns", "del", ns).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void waitFor(Condition c, int seconds, String what) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (c.holds()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    static void sh(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), command + ": " + out);
    }
}
