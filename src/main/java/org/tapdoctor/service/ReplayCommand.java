package org.tapdoctor.service;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.tapdoctor.capture.CaptureException;
import org.tapdoctor.capture.CaptureFileReader;
import org.tapdoctor.capture.FrameHandler;
import org.tapdoctor.capture.PcapFileSource;
import org.tapdoctor.capture.UnknownFormatException;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.engine.Engine;
import org.tapdoctor.panel.LcdSize;
import org.tapdoctor.panel.PanelModel;
import org.tapdoctor.panel.TerminalPanel;
import org.tapdoctor.publish.EvidenceDirectory;
import org.tapdoctor.publish.EvidenceWriter;
import org.tapdoctor.publish.DiagnosisJson;
import org.tapdoctor.publish.DiagnosisText;
import org.tapdoctor.publish.SiteJson;
import org.tapdoctor.site.SiteRecord;
import org.tapdoctor.publish.mqtt.MqttSink;
import org.tinylog.Logger;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tapdoctor replay [--format text|jsonl] [--reader java|libpcap] FILE...}: diagnoses
 * captures. Each file is its own capture (own tables and time line). Files are read by
 * {@link CaptureFileReader} (pure Java, memory-mapped) unless {@code --reader libpcap}; a file it
 * does not recognise goes to libpcap ({@link PcapFileSource}), which knows a few more formats.
 * {@code jsonl} prints exactly one JSON object per diagnosis on stdout, then one {@code "kind":"site"}
 * object per change of the site record (in time order), and nothing else;
 * {@code text} prints one line per diagnosis, a summary (with the site as of the last frame) and the panel as the box would show it after
 * the last frame ({@code --panel none} leaves it out).
 * {@code --evidence DIR} writes each diagnosis's frames to a pcap in DIR (bounded by
 * {@code --evidence-max-files} and {@code --evidence-max-bytes}, oldest deleted first) and names the
 * file in the diagnosis: the frames are selected in a second pass over the file, which is exact
 * (the live service's ring of recent frames would only hold the end of a long capture).
 * {@code --mqtt URL} (or {@code mqtt.url} from {@code --config}/{@code --set}) also publishes each
 * diagnosis to the broker as the live service does, and waits (up to 10 s) for the broker's
 * acknowledgements before exiting.
 * Exit code 0 when every file was read, 1 when a file could not be read, the evidence directory
 * could not be set up or a diagnosis could not be delivered to MQTT (one line on stderr), 2 for a
 * configuration error.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Diagnose the TCP handshakes, ARP and DNS in pcap/pcapng files.")
final class ReplayCommand implements Callable<Integer> {

    enum Format { TEXT, JSONL }

    enum Reader { JAVA, LIBPCAP }

    @Option(names = "--format", defaultValue = "text", description = "text or jsonl (default: ${DEFAULT-VALUE})")
    Format format = Format.TEXT;

    @Option(names = "--reader", defaultValue = "java",
            description = "java (pure Java, default) or libpcap (through pcap4j) (default: ${DEFAULT-VALUE})")
    Reader reader = Reader.JAVA;

    @Option(names = "--evidence", paramLabel = "DIR",
            description = "write each diagnosis's frames to a pcap in DIR and name it in the diagnosis (evidence_file)")
    Path evidence;

    @Option(names = "--evidence-max-files", paramLabel = "N",
            description = "at most N files in the evidence directory, oldest deleted first (default: 'evidence.max-files', 200)")
    Integer evidenceMaxFiles;

    @Option(names = "--evidence-max-bytes", paramLabel = "BYTES",
            description = "at most BYTES in the evidence directory, oldest deleted first (default: 'evidence.max-bytes', 52428800)")
    Long evidenceMaxBytes;

    @Option(names = "--mqtt", paramLabel = "URL",
            description = "also publish the diagnoses to this MQTT broker, tcp:// or ssl:// (overrides 'mqtt.url')")
    String mqtt;

    @Option(names = "--config", paramLabel = "FILE",
            description = "read the engine's keys (tables.*, tcp.*, arp.*, dns.*, report.*, diagnose.*), evidence.* and the"
                    + " device.id and mqtt.* keys from this configuration file")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "overrides a configuration key")
    Map<String, String> set = new LinkedHashMap<>();

    enum PanelMode { TERMINAL, NONE }

    @Option(names = "--panel", defaultValue = "terminal",
            description = "terminal: end the text report with the panel (LEDs and LCD) as the box would show it"
                    + " after the capture's last frame; none (default: ${DEFAULT-VALUE}; jsonl never draws it)")
    PanelMode panel = PanelMode.TERMINAL;

    @Option(names = "--lcd", defaultValue = "16x2", description = "16x2 or 20x4 (default: ${DEFAULT-VALUE})")
    String lcd = "16x2";

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "pcap or pcapng files")
    List<Path> files;

    @Override
    public Integer call() {
        java.util.concurrent.CompletableFuture<Long> longLivedHeap = HeapBudget.longLivedHeapSoon();
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
        Config cfg;
        try {
            Map<String, String> o = new LinkedHashMap<>(set);
            if (mqtt != null) {
                o.put("mqtt.url", mqtt);
            }
            if (evidence != null) {
                o.put("evidence.dir", evidence.toString()); // the evidence pcaps are published to MQTT from there
            }
            cfg = Config.load(config, config != null, o);
        } catch (Config.ConfigException e) {
            System.err.println("tapdoctor: " + e.getMessage());
            return 2;
        }
        java.util.Optional<String> refused = HeapBudget.refusal(HeapBudget.ofReplay(cfg), longLivedHeap.join());
        if (refused.isPresent()) {
            System.err.println(refused.get());
            return 2;
        }
        EvidenceWriter evidenceWriter = null;
        if (evidence != null) {
            long maxBytes = evidenceMaxBytes != null ? evidenceMaxBytes : cfg.integer("evidence.max-bytes");
            int maxFiles = evidenceMaxFiles != null ? evidenceMaxFiles : cfg.integer("evidence.max-files");
            try {
                evidenceWriter = new EvidenceWriter(new EvidenceDirectory(evidence, maxFiles, maxBytes),
                        EvidenceWriter.AFTER_LAST_NANOS, Math.min(maxBytes, EvidenceWriter.MAX_BYTES_PER_FILE));
            } catch (IOException | IllegalArgumentException e) {
                System.err.println("tapdoctor: evidence directory " + evidence + ": " + e.getMessage());
                return 1;
            }
        }
        MqttSink mqttSink;
        try {
            mqttSink = MqttSetup.start(cfg);
        } catch (Config.ConfigException e) {
            System.err.println("tapdoctor: " + e.getMessage());
            return 2;
        }
        LcdSize lcdSize;
        try {
            lcdSize = LcdSize.parse(lcd);
        } catch (IllegalArgumentException e) {
            System.err.println("tapdoctor: --lcd: " + e.getMessage());
            return 2;
        }
        int exit = 0;
        CaptureFileReader javaReader = new CaptureFileReader();
        boolean drawPanel = panel == PanelMode.TERMINAL && format == Format.TEXT;
        for (Path file : files) {
            Engine engine = new Engine(cfg.engineSettings());
            ReplayPanel replayPanel = drawPanel ? new ReplayPanel(engine, lcdSize, PanelModel.DEFAULT_HOLD_NANOS) : null;
            long start = System.nanoTime();
            long frames;
            try {
                frames = replay(javaReader, file, replayPanel != null ? replayPanel : engine);
            } catch (CaptureException e) {
                out.flush();
                System.err.println("tapdoctor: " + e.getMessage());
                Logger.debug(e, "replay of {} failed", file);
                exit = 1;
                continue;
            }
            engine.finish(); // the same flush as a live shutdown
            List<Diagnosis> diagnoses = engine.diagnoses();
            if (evidenceWriter != null) {
                diagnoses = evidenceWriter.write(diagnoses, handler -> replay(new CaptureFileReader(), file, handler));
            }
            long elapsed = System.nanoTime() - start;
            print(out, file, frames, elapsed, engine, diagnoses, replayPanel, lcdSize);
            if (mqttSink != null) {
                diagnoses.forEach(mqttSink::diagnosis);
                SiteRecord site = engine.siteRecord();
                if (site != null && !site.isEmpty()) {
                    mqttSink.site(site); // retained on <prefix>/site, its checklist in the status
                }
            }
        }
        out.flush();
        if (mqttSink != null && !finishMqtt(mqttSink)) {
            exit = 1;
        }
        return exit;
    }

    private void print(PrintWriter out, Path file, long frames, long elapsed, Engine engine, List<Diagnosis> diagnoses,
                       ReplayPanel replayPanel, LcdSize lcdSize) {
        if (format == Format.JSONL) {
            for (Diagnosis d : diagnoses) {
                DiagnosisJson.write(d, out);
                out.print('\n');
            }
            for (SiteRecord r : engine.siteRecords()) { // each change of the site, in time order
                SiteJson.write(r, out);
                out.print('\n');
            }
        } else {
            if (files.size() > 1) {
                out.println("== " + file);
            }
            for (Diagnosis d : diagnoses) {
                out.println(DiagnosisText.format(d));
            }
            ReplaySummary.print(out, file, frames, elapsed, engine, diagnoses);
            ReplaySummary.printSite(out, engine.siteRecord());
            if (replayPanel != null) {
                out.println("-- panel after the last frame (" + lcdSize + ")");
                out.print(TerminalPanel.render(replayPanel.finish(diagnoses), false));
            }
        }
        out.flush();
    }

    /** Delivers what was published and disconnects; false (with one line on stderr) when something was not delivered. */
    private static boolean finishMqtt(MqttSink sink) {
        boolean connected;
        try {
            connected = sink.awaitConnected(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connected = false;
        }
        String why = sink.lastError();
        sink.close();
        if (!connected || sink.undelivered() > 0 || sink.undeliveredEvidence() > 0) {
            System.err.println("tapdoctor: mqtt: " + Math.max(0, sink.undelivered()) + " diagnoses"
                    + (sink.undeliveredEvidence() > 0 ? " and " + sink.undeliveredEvidence() + " evidence pcaps" : "")
                    + " not delivered: " + (why != null ? why : sink.lastError() != null ? sink.lastError() : "timed out"));
            return false;
        }
        return true;
    }

    private long replay(CaptureFileReader javaReader, Path file, FrameHandler handler) throws CaptureException {
        if (reader == Reader.JAVA) {
            try {
                return javaReader.read(file, handler);
            } catch (UnknownFormatException e) {
                Logger.debug("{}; trying libpcap", e.getMessage());
            }
        }
        return PcapFileSource.replay(file, handler);
    }
}
