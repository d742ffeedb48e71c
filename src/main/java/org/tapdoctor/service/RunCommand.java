package org.tapdoctor.service;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.tapdoctor.capture.LiveCapture;
import org.tapdoctor.publish.ConsoleSink;
import org.tapdoctor.publish.DiagnosisSink;
import org.tapdoctor.publish.FanOutSink;
import org.tapdoctor.publish.mqtt.MqttSink;
import org.tinylog.Logger;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tapdoctor run}: the in-line service. Captures live on the bridged NICs (one handle per
 * NIC, direction in), diagnoses in real time and prints the diagnoses on stdout; runs until
 * SIGTERM or SIGINT, then drains, flushes pending diagnoses and prints final stats. With
 * {@code mqtt.url} (or {@code --mqtt}) the same diagnoses, status and stats also go to an MQTT broker. Exit code 2
 * for a configuration error (one line naming the key, the value and the file).
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Capture live on the bridged NICs and diagnose.")
final class RunCommand implements Callable<Integer> {
    static final Path DEFAULT_CONFIG = Path.of("/etc/tapdoctor/tapdoctor.conf");

    @Option(names = "--config", paramLabel = "FILE",
            description = "configuration file (default: " + "/etc/tapdoctor/tapdoctor.conf, if present)")
    Path config;

    @Option(names = "--interfaces", paramLabel = "A,B", description = "the bridged NICs (overrides 'interfaces')")
    String interfaces;

    @Option(names = "--client-side", paramLabel = "NIC", description = "the NIC facing the clients (overrides 'client_side')")
    String clientSide;

    @Option(names = "--format", paramLabel = "text|jsonl", description = "overrides 'format'")
    String format;

    @Option(names = "--stats-interval", paramLabel = "DURATION", description = "overrides 'stats.interval', e.g. 10s")
    String statsInterval;

    @Option(names = "--mqtt", paramLabel = "URL", description = "publish to this MQTT broker, tcp:// or ssl:// (overrides 'mqtt.url')")
    String mqtt;

    @Option(names = "--panel", paramLabel = "pi4j|terminal|none", description = "overrides 'panel'")
    String panel;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "overrides any configuration key")
    Map<String, String> set = new LinkedHashMap<>();

    /** Where sysfs network devices are (tests point it elsewhere). */
    Path sysClassNet = Path.of("/sys/class/net");

    /** Where GPIO and I2C device nodes are. */
    Path dev = Path.of("/dev");

    @Override
    public Integer call() {
        Config cfg;
        try {
            cfg = Config.load(config != null ? config : DEFAULT_CONFIG, config != null, overrides());
        } catch (Config.ConfigException e) {
            System.err.println("tapdoctor: " + e.getMessage());
            return 2;
        }
        List<String> sides = cfg.sides();
        // Before anything sized is allocated: a configuration that cannot fit is one line, not an OOM.
        java.util.Optional<String> refused = HeapBudget.refusal(HeapBudget.ofRun(cfg, sides.size()), HeapBudget.longLivedHeap());
        if (refused.isPresent()) {
            System.err.println(refused.get());
            return 2;
        }
        EpochClock clock = new EpochClock();
        LiveCapture.Settings settings = new LiveCapture.Settings(cfg.integer("capture.snaplen"),
                cfg.integer("capture.buffer"), LiveCapture.Settings.defaults().readTimeoutMillis(),
                org.tapdoctor.capture.CaptureFilter.expression(cfg.string("capture.path-mtu").equals("true")));
        List<LiveCapture> captures = new ArrayList<>();
        for (String nic : sides) {
            captures.add(new LiveCapture(nic, settings, LiveService.ring(cfg.integer("capture.ring"), settings.snaplen()),
                    clock));
        }
        LiveEvidence evidence;
        try {
            evidence = LiveEvidence.fromConfig(cfg);
        } catch (java.io.IOException e) {
            System.err.println("tapdoctor: key 'evidence.dir': " + cfg.string("evidence.dir") + ": " + e);
            return 2;
        }
        MqttSink mqttSink;
        try {
            mqttSink = MqttSetup.start(cfg);
        } catch (Config.ConfigException e) {
            System.err.println("tapdoctor: " + e.getMessage());
            return 2;
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        boolean jsonl = cfg.string("format").equals("jsonl");
        DiagnosisSink sink = new ConsoleSink(out, jsonl);
        // stdout stays pure JSON in jsonl: a terminal panel then draws on stderr
        PrintStream panelOut = jsonl ? new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), false,
                StandardCharsets.UTF_8) : out;
        sink = Panels.wrap(cfg.string("panel"), cfg, sink, panelOut, sides, dev);
        if (mqttSink != null) {
            MqttSetup.wirePanel(sink, mqttSink); // MQTT state on the panel, presses to MQTT, remote ack to the panel
            sink = new FanOutSink(List.of(sink, mqttSink));
        }
        LiveService service = new LiveService(captures, sides, cfg.engineSettings(), sink, clock, sysClassNet,
                SystemdNotifier.fromEnvironment(), cfg.duration("stats.interval").toNanos(), evidence);
        Thread hook = new Thread(() -> {
            Main.shuttingDown = true;
            service.stop(10_000);
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Logger.info("tapdoctor {} running on {} (config: {})", Main.version(), String.join(", ", sides), cfg.source());
        service.run();
        sink.close();
        return 0;
    }

    private Map<String, String> overrides() {
        Map<String, String> o = new LinkedHashMap<>(set);
        if (interfaces != null) {
            o.put("interfaces", interfaces);
        }
        if (clientSide != null) {
            o.put("client_side", clientSide);
        }
        if (format != null) {
            o.put("format", format);
        }
        if (statsInterval != null) {
            o.put("stats.interval", statsInterval);
        }
        if (mqtt != null) {
            o.put("mqtt.url", mqtt);
        }
        if (panel != null) {
            o.put("panel", panel);
        }
        return o;
    }
}
