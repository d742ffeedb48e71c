package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.publish.mqtt.Mosquitto;

/**
 * The live service with MQTT, crashed: {@code tapdoctor run --mqtt} runs in a namespace of its own
 * (a veth pair as its two NICs, a Mosquitto broker on that namespace's loopback); the frames of
 * the refused scenario are put on the wire; the diagnosis arrives on its topic and the retained
 * status is online; then the service is killed with SIGKILL and the retained status becomes
 * offline through the last will. Root and mosquitto are required (skipped with a message outside
 * CI, a failure in CI).
 */
class MqttLiveIT {

    @Test
    void shouldPublishLiveAndGoOfflineThroughTheWillWhenKilled(@TempDir Path dir) throws Exception {
        LiveScripts.requirePrerequisites("MqttLiveIT", ScenarioCaptureIT.SCRIPT);
        Mosquitto.require();
        String ns = "tdm" + ProcessHandle.current().pid();
        int port = 18830 + (int) (ProcessHandle.current().pid() % 1000);
        Path jar = Path.of(System.getProperty("tapdoctor.jar", "target/tapdoctor.jar")).toAbsolutePath();
        Process broker = null;
        Process service = null;
        try {
            SystemdNotifyIT.sh("ip netns add " + ns + " && ip -n " + ns + " link set lo up"
                    + " && ip -n " + ns + " link add d0 type veth peer name d1"
                    + " && ip -n " + ns + " link set d0 up && ip -n " + ns + " link set d1 up");
            Path conf = dir.resolve("mosquitto.conf");
            Files.writeString(conf, "user root\npersistence false\nallow_anonymous true\nlistener " + port + " 127.0.0.1\n");
            broker = new ProcessBuilder("ip", "netns", "exec", ns, "/usr/sbin/mosquitto", "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
            SystemdNotifyIT.waitFor(() -> sub(ns, port, "$SYS/broker/version", 1).contains("mosquitto"), 10, "the broker");

            service = new ProcessBuilder("ip", "netns", "exec", ns, "java", "-Xmx128m", "-jar", jar.toString(), "run",
                    "--interfaces", "d0,d1", "--format", "jsonl", "--mqtt", "tcp://127.0.0.1:" + port,
                    "--set", "device.id=box1", "--set", "report.interval=200ms")
                    .redirectOutput(dir.resolve("out.jsonl").toFile()).redirectError(dir.resolve("service.log").toFile()).start();
            SystemdNotifyIT.waitFor(() -> sub(ns, port, "tapdoctor/box1/status", 1).contains("\"online\""), 30,
                    "the retained online status");

            Process diagnoses = new ProcessBuilder("ip", "netns", "exec", ns, "mosquitto_sub", "-h", "127.0.0.1", "-p",
                    Integer.toString(port), "-t", "tapdoctor/box1/diagnosis/#", "-v", "-C", "1", "-W", "30")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("diagnoses.txt").toFile()).start();
            Thread.sleep(500); // subscribed before the traffic
            SystemdNotifyIT.sh("ip netns exec " + ns + " python3 src/test/scenarios/sendpcap.py d1 "
                    + "src/test/resources/scenarios/refused.pcap");
            assertTrue(diagnoses.waitFor(40, TimeUnit.SECONDS), "no diagnosis published");
            String published = Files.readString(dir.resolve("diagnoses.txt"));
            assertTrue(published.startsWith("tapdoctor/box1/diagnosis/refused {\"id\":"), () -> published
                    + "\nservice's stdout:\n" + SystemdNotifyIT.read(dir.resolve("out.jsonl"))
                    + "\nservice's log:\n" + SystemdNotifyIT.read(dir.resolve("service.log")));
            assertTrue(published.contains("\"server\":{\"ip\":\"198.51.100.10\",\"port\":82}"), published);
            assertTrue(Files.readString(dir.resolve("out.jsonl")).contains("\"refused\""), "the console printed it too");

            ProcessHandle.of(service.pid()).orElseThrow().destroyForcibly(); // SIGKILL: no goodbye, only the will
            assertTrue(service.waitFor(10, TimeUnit.SECONDS));
            SystemdNotifyIT.waitFor(() -> sub(ns, port, "tapdoctor/box1/status", 1).contains("offline"), 60,
                    "the retained offline status from the will");
            String status = sub(ns, port, "tapdoctor/box1/status", 1);
            assertTrue(status.contains("\"state\":\"offline\""), status);
        } finally {
            if (service != null && service.isAlive()) {
                service.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            if (broker != null) {
                broker.destroy();
                broker.waitFor(5, TimeUnit.SECONDS);
            }
            new ProcessBuilder("ip", "netns", "del", ns).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** {@code mosquitto_sub} inside the namespace: up to {@code count} messages (0: what arrives in 2 s). */
    static String sub(String ns, int port, String topic, int count) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns, "mosquitto_sub", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-t", topic, "-W", "2");
        if (count > 0) {
            pb.command().add("-C");
            pb.command().add(Integer.toString(count));
        }
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
