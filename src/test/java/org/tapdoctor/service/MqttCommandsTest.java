package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.jr.ob.JSON;
import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;

import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.panel.LcdSize;
import org.tapdoctor.panel.PanelModel;
import org.tapdoctor.panel.PanelSink;
import org.tapdoctor.panel.PanelState;
import org.tapdoctor.panel.Pi4jPanel;
import org.tapdoctor.publish.DiagnosisSink;
import org.tapdoctor.publish.FanOutSink;
import org.tapdoctor.publish.mqtt.Mosquitto;
import org.tapdoctor.publish.mqtt.MqttSettings;
import org.tapdoctor.publish.mqtt.MqttSink;
import org.tapdoctor.publish.mqtt.Subscriber;
import org.tapdoctor.publish.mqtt.Synthetic;

/**
 * Remote commands and the broker's ACLs, against a real Mosquitto whose password file (made with
 * mosquitto_passwd) and ACL file (board/mosquitto-acl.example as shipped, plus a test observer who
 * may read and write everything) are made here. The box is the service's own wiring (its
 * configuration through {@link MqttSetup}, the panel joined by {@link MqttSetup#wirePanel}), its
 * panel the real Pi4J panel on Pi4J's mock platform, so the LEDs are pin states: a box's user
 * cannot subscribe to another box's cmd/ nor publish outside its prefix; a command from someone the
 * ACL does not let reach the box never does; an authorised {@code ack} clears amber and red exactly
 * as the 2 s press does; the presses become device trigger messages; {@code evidence} re-sends a
 * pcap still on disk; {@code status} publishes status, site and discovery again. Junk and oversized
 * commands: {@link MqttJunkCommandsTest}.
 */
class MqttCommandsTest {
    static final String PASSWORD = "pw-";

    @TempDir
    static Path dir;
    static Mosquitto broker;

    @BeforeAll
    static void broker() throws Exception {
        Mosquitto.require();
        broker = startBroker(dir);
    }

    /** A broker with users pi4-lab, pi4-shop, alice, bob, carol, homeassistant, observer (password "pw-" + name). */
    static Mosquitto startBroker(Path dir) throws Exception {
        Path passwd = dir.resolve("passwd");
        boolean first = true;
        for (String user : List.of("pi4-lab", "pi4-shop", "alice", "bob", "carol", "homeassistant", "observer")) {
            List<String> cmd = new ArrayList<>(List.of("mosquitto_passwd", "-b", passwd.toString(), user, PASSWORD + user));
            if (first) {
                cmd.add(1, "-c");
                first = false;
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            Files.writeString(dir.resolve("password-" + user), PASSWORD + user + "\n");
        }
        Path acl = dir.resolve("tapdoctor.acl");
        Files.writeString(acl, Files.readString(Path.of("board/mosquitto-acl.example"))
                + "\n# the test's observer\nuser observer\ntopic readwrite #\n");
        return Mosquitto.start(dir.resolve("broker"), List.of("allow_anonymous false", "password_file " + passwd,
                "acl_file " + acl));
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.stop();
        }
    }

    /** The box as `tapdoctor run` wires it: configuration keys, the panel on the mock platform, panel and MQTT joined. */
    static final class Box implements AutoCloseable {
        final MqttSink mqtt;
        final PanelSink panel;
        final Pi4jPanel pi;
        final DiagnosisSink sink;
        private final Context pi4j;

        Box(Mosquitto broker, Path dir, String device, Map<String, String> more) throws Exception {
            Map<String, String> keys = new LinkedHashMap<>(Map.of("device.id", device, "mqtt.url", broker.url(),
                    "mqtt.username", device, "mqtt.password-file", dir.resolve("password-" + device).toString(),
                    "mqtt.commands", "true", "mqtt.homeassistant", "true", "mqtt.reconnect-max", "1s"));
            keys.putAll(more);
            MqttSettings s = MqttSetup.settings(Config.load(null, false, keys));
            mqtt = MqttSink.start(s, "test");
            pi4j = Pi4J.newContextBuilder().add(new MockPlatform()).add(MockI2CProvider.newInstance(),
                    MockDigitalOutputProvider.newInstance(), MockDigitalInputProvider.newInstance()).build();
            pi = new Pi4jPanel(pi4j, new Pi4jPanel.Pins(17, 27, 22, 23, 1, 0x27, LcdSize.LCD_16X2,
                    MockDigitalOutputProvider.ID, MockDigitalInputProvider.ID, MockI2CProvider.ID), us -> { });
            ((MockDigitalInput) pi.button()).mockState(DigitalState.HIGH); // idle: pulled up
            PanelModel model = new PanelModel(LcdSize.LCD_16X2, PanelModel.DEFAULT_HOLD_NANOS, System.nanoTime());
            model.nics(List.of("tapA", "tapB"));
            panel = new PanelSink(d -> { }, model, pi, System::nanoTime, () -> "10.0.0.5", device).start();
            MqttSetup.wirePanel(panel, mqtt);
            sink = new FanOutSink(List.of(panel, mqtt));
            assertTrue(mqtt.awaitConnected(5_000), "connected as " + device + ": " + mqtt.lastError());
        }

        /** amber and red LED pins, e.g. "HIGH HIGH". */
        String amberRed() {
            return pi.amber().state() + " " + pi.red().state();
        }

        void button(boolean down) {
            ((MockDigitalInput) pi.button()).mockState(down ? DigitalState.LOW : DigitalState.HIGH);
        }

        @Override
        public void close() {
            sink.close();
            pi4j.shutdown();
        }
    }

    static void waitFor(BooleanSupplier condition, long millis, String what) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static String command(String correlation) {
        return "{\"correlation_id\":\"" + correlation + "\"}";
    }

    /** Sends {@code status} until it is answered: the box has subscribed. */
    static Map<String, Object> answered(Subscriber engineer, String box, String command, String payload, String correlation)
            throws Exception {
        engineer.publish("tapdoctor/" + box + "/cmd/" + command, payload);
        List<Subscriber.Message> ms = engineer.await(l -> response(l, correlation) != null, 5_000);
        Map<String, Object> r = response(ms, correlation);
        assertTrue(r != null, "an answer to " + correlation + " in " + ms);
        return r;
    }

    static Map<String, Object> response(List<Subscriber.Message> ms, String correlation) {
        for (Subscriber.Message m : ms) {
            if (m.topic().endsWith("/cmd/response")) {
                try {
                    Map<String, Object> r = JSON.std.mapFrom(m.payload());
                    if (correlation.equals(r.get("correlation_id"))) {
                        return r;
                    }
                } catch (IOException e) {
                    throw new AssertionError(m.payload(), e);
                }
            }
        }
        return null;
    }

    static void ready(Subscriber engineer, String box) throws Exception {
        long end = System.currentTimeMillis() + 10_000;
        for (int i = 0; System.currentTimeMillis() < end; i++) {
            engineer.publish("tapdoctor/" + box + "/cmd/status", command("ready-" + i));
            if (response(engineer.await(l -> !l.isEmpty() && l.stream().anyMatch(m -> m.topic().endsWith("/cmd/response")),
                    300), "ready-" + i) != null) {
                return;
            }
        }
        throw new AssertionError(box + " never answered");
    }

    static MqttClient client(String user) throws MqttException {
        MqttClient c = new MqttClient(broker.url(), "raw-" + user + "-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(user);
        o.setPassword((PASSWORD + user).toCharArray());
        c.connect(o);
        return c;
    }

    static int granted(MqttClient c, String topic) {
        try {
            IMqttToken t = c.subscribeWithResponse(new String[] {topic}, new int[] {1});
            return t.getGrantedQos()[0];
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    @Test
    void shouldKeepEachBoxToItsOwnTopics() throws Exception {
        try (Subscriber observer = Subscriber.as(broker.url(), "observer", PASSWORD + "observer", "#")) {
            MqttClient box = client("pi4-lab");
            try {
                for (String outside : List.of("tapdoctor/pi4-shop/status", "tapdoctor/pi4-shop/cmd/ack", "elsewhere/x",
                        "homeassistant/sensor/tapdoctor_pi4-shop/health/config", "homeassistant/status")) {
                    box.publish(outside, ("{\"correlation_id\":\"forged\"}").getBytes(StandardCharsets.UTF_8), 1, false);
                }
                box.publish("tapdoctor/pi4-lab/probe", "own".getBytes(StandardCharsets.UTF_8), 1, false);
                List<Subscriber.Message> seen = observer.await(l -> l.stream().anyMatch(m -> m.topic().endsWith("/probe")),
                        5_000);
                assertEquals(List.of("tapdoctor/pi4-lab/probe"), seen.stream().filter(m -> !m.retained())
                        .map(Subscriber.Message::topic).toList(), "only what it published under its prefix got through");
            } finally {
                box.disconnect();
                box.close();
            }
            try (Subscriber bob = Subscriber.as(broker.url(), "bob", PASSWORD + "bob", "tapdoctor/pi4-shop/#")) {
                MqttClient spy = client("pi4-lab");
                List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
                spy.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                    public void connectionLost(Throwable cause) { }
                    public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage m) { got.add(topic); }
                    public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken t) { }
                });
                // Mosquitto 2.0's acl_file accepts any SUBSCRIBE (SUBACK granted) and checks every message
                // against the read rules on its way out: what the box may not read never reaches it.
                for (String topic : List.of("tapdoctor/pi4-shop/cmd/#", "tapdoctor/pi4-shop/#", "tapdoctor/#", "#")) {
                    int code = granted(spy, topic);
                    assertTrue(code == 1 || code == 128, topic + ": " + code);
                }
                assertEquals(1, granted(spy, "tapdoctor/pi4-lab/cmd/#"), "its own cmd/");
                bob.publish("tapdoctor/pi4-shop/cmd/status", command("to-shop"));
                bob.publish("tapdoctor/pi4-lab/cmd/ack", command("bob-forbidden")); // bob does not own pi4-lab
                observer.publish("tapdoctor/pi4-shop/diagnosis/refused", "{}");
                observer.publish("tapdoctor/pi4-lab/cmd/status", command("barrier"));
                waitFor(() -> got.contains("tapdoctor/pi4-lab/cmd/status"), 5_000, "the barrier");
                Thread.sleep(200);
                assertEquals(List.of("tapdoctor/pi4-lab/cmd/status"), List.copyOf(new java.util.LinkedHashSet<>(got)),
                        "neither the other box's command or diagnosis, nor bob's command: " + got);
                spy.disconnect();
                spy.close();
            }
        }
    }

    @Test
    void shouldTakeCommandsOnlyFromTheOwnerAndAckAsTheLongPressDoes() throws Exception {
        try (Box box = new Box(broker, dir, "pi4-lab", Map.of());
             Subscriber alice = Subscriber.as(broker.url(), "alice", PASSWORD + "alice", "tapdoctor/pi4-lab/#");
             Subscriber bob = Subscriber.as(broker.url(), "bob", PASSWORD + "bob", "tapdoctor/pi4-shop/#");
             Subscriber carol = Subscriber.as(broker.url(), "carol", PASSWORD + "carol", "tapdoctor/pi4-lab/#")) {
            ready(alice, "pi4-lab");
            box.sink.diagnosis(Synthetic.diagnosis(Kind.REFUSED, 1));
            box.sink.diagnosis(Synthetic.diagnosis(Kind.DNS_FAILURE, 2));
            waitFor(() -> box.amberRed().equals("HIGH HIGH"), 5_000, "amber and red on");
            long done = box.mqtt.commandsDone();

            bob.publish("tapdoctor/pi4-lab/cmd/ack", command("bob-1"));     // not his box
            carol.publish("tapdoctor/pi4-lab/cmd/ack", command("carol-1")); // she may only look
            assertEquals("status", answered(alice, "pi4-lab", "status", command("alice-2"), "alice-2").get("command"));
            Thread.sleep(300); // three panel frames
            assertEquals("HIGH HIGH", box.amberRed(), "nobody the ACL keeps out cleared the LEDs");
            assertEquals(done + 1, box.mqtt.commandsDone(), "only alice's status reached the box");
            assertEquals(0, box.mqtt.commandsIgnored());
            assertEquals(null, response(alice.messages(), "bob-1"));
            assertEquals(null, response(alice.messages(), "carol-1"));

            Map<String, Object> ack = answered(alice, "pi4-lab", "ack", command("alice-3"), "alice-3");
            assertEquals(true, ack.get("ok"), ack.toString());
            assertEquals("ack", ack.get("command"));
            waitFor(() -> box.amberRed().equals("LOW LOW"), 2_000, "amber and red off after the remote ack");
            PanelState remote = box.panel.lastState();
            alice.await(l -> lastStatus(l).contains("\"problem\":false"), 5_000);
            assertTrue(lastStatus(alice.messages()).contains("\"health\":\"ok\""), "the health is acknowledged too");

            box.sink.diagnosis(Synthetic.diagnosis(Kind.REFUSED, 3));
            box.sink.diagnosis(Synthetic.diagnosis(Kind.DNS_FAILURE, 4));
            waitFor(() -> box.amberRed().equals("HIGH HIGH"), 5_000, "amber and red on again");
            alice.await(l -> lastStatus(l).contains("\"problem\":true"), 5_000);
            alice.clear();
            box.button(true);
            Thread.sleep(2_300); // held 2 s: the panel acknowledges while it is held
            box.button(false);
            waitFor(() -> box.amberRed().equals("LOW LOW"), 2_000, "amber and red off after the long press");
            PanelState pressed = box.panel.lastState();
            assertEquals(remote.lines(), pressed.lines(), "the same LCD");
            assertEquals(remote.pageName(), pressed.pageName());
            assertEquals(List.of(remote.amber(), remote.red()), List.of(pressed.amber(), pressed.red()));
            List<Subscriber.Message> ms = alice.await(l -> l.stream().anyMatch(m -> m.topic().endsWith("/button"))
                    && lastStatus(l).contains("\"problem\":false"), 5_000);
            assertEquals(List.of("long_press"), payloads(ms, "tapdoctor/pi4-lab/button"), "the device trigger");

            box.button(true);
            Thread.sleep(150);
            box.button(false);
            ms = alice.await(l -> payloads(l, "tapdoctor/pi4-lab/button").size() >= 2, 5_000);
            assertEquals(List.of("long_press", "short_press"), payloads(ms, "tapdoctor/pi4-lab/button"));
            assertFalse(ms.stream().anyMatch(m -> m.topic().endsWith("/button") && m.retained()));
        }
    }

    static String lastStatus(List<Subscriber.Message> ms) {
        String last = "";
        for (Subscriber.Message m : ms) {
            if (m.topic().endsWith("/status")) {
                last = m.payload();
            }
        }
        return last;
    }

    static List<String> payloads(List<Subscriber.Message> ms, String topic) {
        return ms.stream().filter(m -> m.topic().equals(topic)).map(Subscriber.Message::payload).toList();
    }

    @Test
    void shouldResendEvidenceStillOnDiskOnRequest() throws Exception {
        Path evidence = Files.createDirectories(dir.resolve("evidence"));
        CommandRun.Result r = CommandRun.run("replay", "--format", "jsonl", "--evidence", evidence.toString(),
                ReplayCommandTest.DEMO.toString());
        assertEquals(0, r.exit(), r.err());
        String name;
        try (var s = Files.list(evidence)) {
            name = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pcap")).sorted().findFirst().orElseThrow();
        }
        byte[] pcap = Files.readAllBytes(evidence.resolve(name));
        try (Box box = new Box(broker, dir, "pi4-lab", Map.of("evidence.dir", evidence.toString()));
             Subscriber carol = Subscriber.as(broker.url(), "carol", PASSWORD + "carol", "tapdoctor/pi4-lab/#")) {
            ready(carol, "pi4-lab");
            Diagnosis d = Synthetic.refused(7).withEvidenceFile(name);
            box.sink.diagnosis(d);
            List<Subscriber.Message> ms = carol.await(l -> l.stream().anyMatch(m -> m.topic().contains("/evidence/")), 5_000);
            Subscriber.Message diagnosis = ms.stream().filter(m -> m.topic().contains("/diagnosis/")).findFirst().orElseThrow();
            String id = (String) JSON.std.mapFrom(diagnosis.payload()).get("id");
            assertArrayEquals(pcap, ms.stream().filter(m -> m.topic().endsWith("/evidence/" + id)).findFirst().orElseThrow()
                    .bytes());
            carol.clear();

            Map<String, Object> ok = answered(carol, "pi4-lab", "evidence",
                    "{\"correlation_id\":\"e-1\",\"id\":\"" + id + "\"}", "e-1");
            assertEquals(true, ok.get("ok"), ok.toString());
            assertEquals("tapdoctor/pi4-lab/evidence/" + id, ok.get("topic"));
            assertEquals(name, ok.get("evidence_file"));
            assertEquals(pcap.length, ok.get("bytes"));
            ms = carol.await(l -> l.stream().anyMatch(m -> m.topic().endsWith("/evidence/" + id)), 5_000);
            assertArrayEquals(pcap, ms.stream().filter(m -> m.topic().endsWith("/evidence/" + id)).findFirst().orElseThrow()
                    .bytes(), "re-sent byte for byte");

            Map<String, Object> unknown = answered(carol, "pi4-lab", "evidence",
                    "{\"correlation_id\":\"e-2\",\"id\":\"pi4-lab-nothing-1\"}", "e-2");
            assertEquals(false, unknown.get("ok"));
            assertTrue(((String) unknown.get("error")).startsWith("no evidence file known for pi4-lab-nothing-1"), unknown
                    .toString());
            Files.delete(evidence.resolve(name));
            Map<String, Object> gone = answered(carol, "pi4-lab", "evidence",
                    "{\"correlation_id\":\"e-3\",\"id\":\"" + id + "\"}", "e-3");
            assertEquals(false, gone.get("ok"));
            assertTrue(((String) gone.get("error")).contains("is no longer on disk"), gone.toString());
        }
    }

    @Test
    void shouldPublishStatusSiteAndDiscoveryAgainOnRequestOrWhenHomeAssistantComesOnline() throws Exception {
        try (Box box = new Box(broker, dir, "pi4-lab", Map.of());
             Subscriber carol = Subscriber.as(broker.url(), "carol", PASSWORD + "carol", "tapdoctor/pi4-lab/#");
             Subscriber ha = Subscriber.as(broker.url(), "homeassistant", PASSWORD + "homeassistant",
                     "homeassistant/+/tapdoctor_pi4-lab/+/config", "tapdoctor/pi4-lab/status", "tapdoctor/pi4-lab/site")) {
            ready(carol, "pi4-lab");
            String site = "{\"kind\":\"site\",\"time\":\"2026-11-22T01:00:00.000Z\",\"switch\":{\"name\":\"sw-1\"}}";
            box.mqtt.site(site);
            ha.await(l -> payloads(l, "tapdoctor/pi4-lab/site").contains(site) && configs(l) >= 16, 5_000);
            ha.clear();
            Map<String, Object> r = answered(carol, "pi4-lab", "status", command("s-1"), "s-1");
            assertEquals("status, site and discovery published", r.get("result"));
            List<Subscriber.Message> ms = ha.await(l -> configs(l) >= 16 && payloads(l, "tapdoctor/pi4-lab/site").size() == 1
                    && !payloads(l, "tapdoctor/pi4-lab/status").isEmpty(), 5_000);
            assertEquals(List.of(site), payloads(ms, "tapdoctor/pi4-lab/site"));
            assertTrue(configs(ms) >= 16, ms.toString());

            ha.clear();
            ha.publish("homeassistant/status", "online"); // Home Assistant's birth, through its own ACL
            ms = ha.await(l -> configs(l) >= 16 && !payloads(l, "tapdoctor/pi4-lab/status").isEmpty(), 5_000);
            assertTrue(configs(ms) >= 16, "discovery again at Home Assistant's birth: " + ms);
        }
    }

    static long configs(List<Subscriber.Message> ms) {
        return ms.stream().filter(m -> m.topic().endsWith("/config") && !m.payload().isEmpty()).count();
    }
}
