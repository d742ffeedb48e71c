package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first frame the kernel filter passes after the capture opens is analysed: the refused
 * scenario's frames on a veth pair whose namespace has IPv6 off (so no neighbour discovery or MLD
 * frame comes first), and its SYN, the capture's first frame, must make the {@code refused}. With
 * "inbound" in the kernel filter, libpcap 1.10's user-space pass over the ring's first block
 * rejected that frame every time (PacketSocket); MqttLiveIT, whose namespace has IPv6, lost its
 * refused only when no ND frame happened to come first.
 */
class LiveFirstFrameIT {

    @Test
    void shouldAnalyseTheFirstFrameAfterTheCaptureOpens(@TempDir Path dir) throws Exception {
        LiveScripts.requirePrerequisites("LiveFirstFrameIT", ScenarioCaptureIT.SCRIPT);
        String ns = "tdf" + ProcessHandle.current().pid();
        Path jar = Path.of(System.getProperty("tapdoctor.jar", "target/tapdoctor.jar")).toAbsolutePath();
        Process service = null;
        try {
            SystemdNotifyIT.sh("ip netns add " + ns + " && ip -n " + ns + " link set lo up"
                    + " && ip netns exec " + ns + " sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1"
                    + " && ip -n " + ns + " link add d0 type veth peer name d1"
                    + " && ip -n " + ns + " link set d0 up && ip -n " + ns + " link set d1 up");
            service = new ProcessBuilder("ip", "netns", "exec", ns, "java", "-Xmx128m", "-jar", jar.toString(), "run",
                    "--interfaces", "d0,d1", "--format", "jsonl", "--set", "report.interval=200ms")
                    .redirectOutput(dir.resolve("out.jsonl").toFile()).redirectError(dir.resolve("service.log").toFile()).start();
            SystemdNotifyIT.waitFor(() -> SystemdNotifyIT.read(dir.resolve("service.log")).split("capturing on", -1).length == 3,
                    30, "both captures open");
            Thread.sleep(300);
            SystemdNotifyIT.sh("ip netns exec " + ns + " python3 src/test/scenarios/sendpcap.py d1 "
                    + "src/test/resources/scenarios/refused.pcap");
            try {
                SystemdNotifyIT.waitFor(() -> SystemdNotifyIT.read(dir.resolve("out.jsonl")).contains("\"kind\":\"refused\""), 10,
                        "the refused of the capture's first frame");
            } catch (AssertionError e) {
                service.destroy();
                service.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(e.getMessage() + "\nservice's stdout:\n" + SystemdNotifyIT.read(dir.resolve("out.jsonl"))
                        + "\nservice's log:\n" + SystemdNotifyIT.read(dir.resolve("service.log")), e);
            }
            assertTrue(SystemdNotifyIT.read(dir.resolve("out.jsonl")).contains("\"port\":82"));
        } finally {
            if (service != null && service.isAlive()) {
                service.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            new ProcessBuilder("ip", "netns", "del", ns).start().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
