package org.tapdoctor.publish.mqtt;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.SSLException;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Severity;
import org.tapdoctor.publish.DiagnosisJson;
import org.tapdoctor.publish.SiteJson;
import org.tapdoctor.site.SiteRecord;
import org.tapdoctor.publish.DiagnosisSink;
import org.tapdoctor.publish.Stats;
import org.tinylog.Logger;

/**
 * Publishes diagnoses, status, stats, evidence pcaps and the site record to an MQTT broker
 * (Eclipse Paho v3), losing nothing the bounds allow to keep; optionally Home Assistant discovery
 * and remote commands. See README.md, "MQTT" and "Home Assistant", for topics and payloads.
 *
 * <p>Threads, and what each may touch:
 * <ul>
 * <li>The engine thread ({@link #diagnosis}, {@link #stats}, {@link #site}) only serialises the
 *     diagnosis (with its {@code id}), hands it to the {@link Outbox} and, when it has a pcap, queues
 *     a request for it; it writes a few volatile latest values. It never waits on the network or the
 *     disk.</li>
 * <li>Paho's threads (the connection callback, the action listeners of connect, publish and
 *     subscribe) only mark outbox entries delivered or to retry (both outboxes are thread-safe),
 *     queue a {@link Signal} or an arrived message for the publisher, and wake it (when the 64
 *     arrivals are full, waiting up to 1 s for room, which leaves the rest on the broker). They
 *     change no other state and publish nothing.</li>
 * <li>The panel thread ({@link #buttonPressed}) queues a signal.</li>
 * <li>The publisher thread owns everything else: the connection (connect, backoff, what a
 *     (re)connection publishes), the journal, the evidence files, the health, the commands. Fields
 *     under "publisher thread only" are read and written by it alone; the volatile ones it writes
 *     are for callers' questions ({@link #connected}, {@link #lastError}...).</li>
 * </ul>
 *
 * <p>Delivery: the publisher writes new entries to the {@link Journal} (with
 * {@code mqtt.buffer-dir}), connects (backoff from 1 s doubling to {@code mqtt.reconnect-max},
 * with jitter; Paho's own automatic reconnect is not used because it does not retry a first
 * connection that failed), and sends the oldest entries with at most {@link #WINDOW}
 * unacknowledged at once. An entry leaves the outbox only when the broker acknowledged it (QoS 1
 * PUBACK), and, with Home Assistant, its event on {@code <prefix>/event} too; on a lost connection
 * the unacknowledged ones are sent again after reconnecting (at least once: consumers drop
 * duplicates by {@code id}). Evidence pcaps follow the same rules in their own
 * {@link EvidenceOutbox}, each after its diagnosis.
 *
 * <p>Paho keeps its own in-flight state in memory ({@link MemoryPersistence}) with a clean
 * session: what must survive a restart is in the journal, in the sink's own format. Every
 * (re)connection publishes the retained online status (Mosquitto publishes the will when it
 * shuts down cleanly, so the status must be restored), the site record, and Home Assistant
 * discovery (or, when it is off, its removal).
 *
 * <p>Time: status times, uptime and the health's 5 minutes come from the {@link InstantSource}
 * given at start (the system clock in the service), so they can be tested without waiting.
 */
public final class MqttSink implements DiagnosisSink {
    /** Unacknowledged diagnoses at most; Paho's own limit is set above twice it (each may have an event). */
    static final int WINDOW = 500;
    private static final int PAHO_MAX_INFLIGHT = 2 * WINDOW + 100;
    private static final long CLOSE_DRAIN_MILLIS = 10_000L;
    private static final long CLOSE_DISCONNECTED_GRACE_MILLIS = 2_000L;
    private static final long IDLE_PARK_NANOS = 20_000_000L;
    private static final int ARRIVALS = 64;
    /**
     * How long Paho's callback thread waits for room among the arrivals before it drops one: waiting
     * holds the rest on the broker (Paho stops reading the socket), so a flood of junk on cmd/ cannot
     * push out the real command queued behind it; bounded, so a stalled publisher costs messages, not
     * Paho's thread.
     */
    private static final long ARRIVAL_WAIT_MILLIS = 1_000L;
    private static final int IGNORED_LOG_PER_MINUTE = 10;

    /** What Paho's and the panel's threads tell the publisher. */
    private sealed interface Signal permits Connected, ConnectFailed, Lost, Press {
    }

    private record Connected(String serverUri) implements Signal {
    }

    private record ConnectFailed(Throwable cause) implements Signal {
    }

    private record Lost(Throwable cause) implements Signal {
    }

    private record Press(boolean longPress) implements Signal {
    }

    /** A message that arrived on a subscription; {@code payload} null when it was over the size a command may have. */
    private record Arrival(String topic, byte[] payload, int size, boolean retained) {
    }

    private final MqttSettings settings;
    private final String version;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final Outbox outbox;
    private final Journal journal;
    /** Evidence over MQTT, or null when it is off. */
    private final EvidenceSender evidence;
    private final String idPrefix;
    private final InstantSource clock;
    private final CpuTemperature cpu;
    private final Instant started;
    private final Thread publisher;
    private final Object connectMonitor = new Object();

    // any thread
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final ConcurrentLinkedQueue<Signal> signals = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<Arrival> arrivals = new ArrayBlockingQueue<>(ARRIVALS);
    private final AtomicLong arrivalsDropped = new AtomicLong();
    private final AtomicBoolean statsDue = new AtomicBoolean();
    private final AtomicBoolean siteDue = new AtomicBoolean();
    private final AtomicLong commandsDone = new AtomicLong();
    private final AtomicLong commandsIgnored = new AtomicLong();
    private volatile Runnable acknowledgeListener;
    private volatile boolean closing;

    // written by the engine thread, read by the publisher
    private volatile Stats latestStats;
    private volatile Instant lastDiagnosis;
    private volatile String lastProblem;
    private volatile String site;
    private volatile SiteRecord.Checks siteChecks;
    /** The kinds of the problems published lately, with when (for the checklist in the status). */
    private final java.util.concurrent.ConcurrentHashMap<String, Instant> recentKinds = new java.util.concurrent.ConcurrentHashMap<>();
    /** How long a published problem fails its check in the status's checklist (as the panel's hold). */
    static final java.time.Duration CHECK_HOLD = java.time.Duration.ofSeconds(60);

    // written by the publisher thread, read by callers (connectAttempts under connectMonitor)
    private volatile boolean connected;
    private volatile String lastError;
    private volatile long journaledCount;
    private volatile long undelivered = -1;
    private volatile long undeliveredEvidence = -1;
    private int connectAttempts;

    // publisher thread only
    private boolean connecting;
    private long nextAttemptMillis;
    private long backoffMillis = 1_000;
    private String loggedError;
    private long droppedReported;
    private long arrivalsDroppedReported;
    private Stats previousStats;
    private double failingPerMinute;
    private boolean statusDue;
    private final SinkHealth health = new SinkHealth();
    private String statusHealth;
    private boolean statusProblem;
    private long ignoredWindowStart = Long.MIN_VALUE / 2;
    private int ignoredLogged;
    private long ignoredSuppressed;

    private MqttSink(MqttSettings settings, String version, MqttConnectOptions options, Journal journal,
                     EvidenceSender evidence, InstantSource clock, CpuTemperature cpu) throws MqttException {
        this.settings = settings;
        this.version = version;
        this.options = options;
        this.journal = journal;
        this.evidence = evidence;
        this.clock = clock;
        this.cpu = cpu;
        this.started = clock.instant();
        this.outbox = new Outbox(settings.bufferSize(), journal != null);
        this.idPrefix = settings.deviceId() + "-" + Long.toString(started.toEpochMilli(), 36) + "-";
        this.client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
        this.client.setCallback(new Callback());
        this.publisher = new Thread(this::publishLoop, "mqtt-publisher");
        this.publisher.setDaemon(true);
    }

    /**
     * Opens the journal (recovering unsent diagnoses and evidence), builds the TLS factory, and
     * starts the publisher thread, which connects in the background. System clock; the CPU
     * temperature from {@code /sys/class/thermal}.
     */
    public static MqttSink start(MqttSettings s, String version) throws IOException, Tls.TlsException, MqttException {
        return start(s, version, InstantSource.system(), Path.of("/sys/class/thermal"));
    }

    /** As {@link #start(MqttSettings, String)} with this clock and this thermal sysfs directory. */
    public static MqttSink start(MqttSettings s, String version, InstantSource clock, Path thermal)
            throws IOException, Tls.TlsException, MqttException {
        MqttSink sink = create(s, version, clock, CpuTemperature.find(thermal));
        sink.publisher.start();
        return sink;
    }

    /** Everything but the publisher thread (unit tests ask a sink made so for its status). */
    static MqttSink create(MqttSettings s, String version, InstantSource clock, CpuTemperature cpu)
            throws IOException, Tls.TlsException, MqttException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setMaxInflight(PAHO_MAX_INFLIGHT);
        o.setKeepAliveInterval((int) Math.max(1, s.keepAlive().toSeconds()));
        o.setConnectionTimeout(10);
        o.setWill(s.prefix() + "/status", Payloads.OFFLINE.getBytes(StandardCharsets.UTF_8), 1, true);
        if (s.username() != null) {
            o.setUserName(s.username());
        }
        if (s.password() != null) {
            o.setPassword(s.password());
        }
        if (s.tls()) {
            o.setSocketFactory(Tls.socketFactory(s.caFile(), s.certFile(), s.keyFile()));
            o.setHttpsHostnameVerificationEnabled(true);
        }
        Journal j = s.bufferDir() == null ? null : Journal.open(s.bufferDir());
        Map<String, Long> recoveredSeqs = new HashMap<>();
        List<Journal.Saved> recovered = j == null ? List.of() : j.recovered();
        for (int i = 0; i < recovered.size(); i++) {
            recoveredSeqs.put(recovered.get(i).id(), (long) i);
        }
        EvidenceOutbox ev = null;
        if (s.evidence().enabled()) {
            ev = s.bufferDir() == null ? EvidenceOutbox.inMemory(s.evidence().bufferBytes())
                    : EvidenceOutbox.open(s.evidence().bufferBytes(), s.bufferDir().resolve(EvidenceOutbox.DIR), recoveredSeqs);
        }
        MqttSink sink = new MqttSink(s, version, o, j, ev == null ? null : new EvidenceSender(s.evidence(), s.prefix(), ev),
                clock, cpu);
        if (j != null) {
            sink.recover(recovered);
        }
        return sink;
    }

    /** Recovered diagnoses back in the outbox; a pcap they name that was not journaled yet is read again. */
    private void recover(List<Journal.Saved> recovered) {
        List<String> journaledEvidence = evidence == null ? List.of() : evidence.outbox().waitingIds();
        long now = clock.millis();
        for (Journal.Saved saved : recovered) {
            long n = seq.getAndIncrement();
            Outbox.Entry e = new Outbox.Entry(n, saved.severity(), saved.kind(), saved.id(), saved.payload(), now);
            e.journalIndex = journaledCount++;
            outbox.offer(e);
            if (evidence != null && !journaledEvidence.contains(saved.id())) {
                Map<String, Object> fields = Payloads.topLevel(saved.payload());
                if (fields.get("evidence_topic") != null && fields.get("evidence_file") instanceof String file) {
                    evidence.request(n, saved.id(), file);
                }
            }
        }
        if (!recovered.isEmpty()) {
            Logger.info("mqtt: {} unsent diagnoses recovered from {}{}", recovered.size(), journal.dir(),
                    journaledEvidence.isEmpty() ? "" : ", and " + journaledEvidence.size() + " evidence pcaps");
        }
    }

    // ---- the engine thread's side ----

    @Override
    public void diagnosis(Diagnosis d) {
        long n = seq.getAndIncrement();
        String id = idPrefix + n;
        String json = DiagnosisJson.toJson(d, id);
        boolean withEvidence = evidence != null && d.evidenceFile() != null;
        if (withEvidence) {
            json = json.substring(0, json.length() - 1) + ",\"evidence_topic\":\""
                    + new String(JsonStringEncoder.getInstance().quoteAsString(evidenceTopic(id))) + "\"}";
        }
        Outbox.Entry e = new Outbox.Entry(n, d.severity(), d.kind().label(), id, json, clock.millis());
        received.incrementAndGet();
        if (d.severity() != Severity.INFO) {
            lastProblem = d.summary();
            recentKinds.put(d.kind().label() + (gatewayOf(d) ? ":gateway" : ""), d.time());
        }
        lastDiagnosis = d.time();
        outbox.offer(e);
        if (withEvidence) {
            evidence.request(n, id, d.evidenceFile());
        }
        LockSupport.unpark(publisher);
    }

    @Override
    public void stats(Stats s) {
        latestStats = s;
        statsDue.set(true);
        LockSupport.unpark(publisher);
    }

    /**
     * The site record (issue 10's JSON object), retained on {@code <prefix>/site}: published now,
     * again on every (re)connection and on the {@code status} command. Any thread.
     */
    public void site(String json) {
        site = json;
        siteDue.set(true);
        LockSupport.unpark(publisher);
    }

    /** The site record changed: retained on {@code <prefix>/site}, and its checklist goes into the status. Engine thread. */
    @Override
    public void site(SiteRecord r) {
        siteChecks = r.checks();
        site(SiteJson.toJson(r)); // the status follows the site (publishControl)
    }

    /** The panel button was pressed (short) or held (long: the panel acknowledged). Panel thread. */
    public void buttonPressed(boolean longPress) {
        signals.add(new Press(longPress));
        LockSupport.unpark(publisher);
    }

    /**
     * What a remote {@code ack} does besides clearing the health: the panel's acknowledgement (run
     * on the publisher thread; it must only hand the request over, as PanelSink's does).
     */
    public void onAcknowledge(Runnable listener) {
        acknowledgeListener = listener;
    }

    /**
     * Delivers what it can (up to 10 s while connected, 2 s more when not), writes what is left to
     * the journal, publishes the retained offline status and disconnects.
     */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(publisher);
        try {
            publisher.join(CLOSE_DRAIN_MILLIS + 15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- what callers may ask ----

    /** Waits until connected, or until a connection attempt failed; true when connected. */
    public boolean awaitConnected(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        synchronized (connectMonitor) {
            while (!connected && connectAttempts == 0) {
                long left = end - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                connectMonitor.wait(left);
            }
        }
        return connected;
    }

    public boolean connected() {
        return connected;
    }

    /** Why the last connection attempt failed or the connection was lost, in plain words; null when none. */
    public String lastError() {
        return lastError;
    }

    /** Diagnoses waiting or in flight. */
    public int buffered() {
        return outbox.size();
    }

    public long dropped() {
        return outbox.dropped();
    }

    public long delivered() {
        return outbox.deliveredCount();
    }

    /** Diagnoses written to the journal since start (recovered ones included). */
    public long journaled() {
        return journaledCount;
    }

    /** After {@link #close()}: the diagnoses that were not delivered (kept in the journal when there is one). */
    public long undelivered() {
        return undelivered;
    }

    /** Evidence pcaps waiting or in flight (0 when evidence is not published). */
    public int evidenceBuffered() {
        return evidence == null ? 0 : evidence.outbox().size();
    }

    public long evidenceDelivered() {
        return evidence == null ? 0 : evidence.outbox().deliveredCount();
    }

    /** Evidence pcaps dropped by the budget (or read too late), and requests beyond their queue. */
    public long evidenceDropped() {
        return evidence == null ? 0 : evidence.dropped();
    }

    /** After {@link #close()}: the evidence pcaps not delivered (kept in the journal when there is one). */
    public long undeliveredEvidence() {
        return undeliveredEvidence;
    }

    /** Remote commands carried out, and messages on {@code cmd/} ignored (junk, oversized, retained, unknown). */
    public long commandsDone() {
        return commandsDone.get();
    }

    public long commandsIgnored() {
        return commandsIgnored.get();
    }

    /** Of those ignored, the messages dropped unread because the publisher did not make room in time. */
    public long commandsDropped() {
        return arrivalsDropped.get();
    }

    public String topic(String kind) {
        return settings.prefix() + "/diagnosis/" + kind;
    }

    public String evidenceTopic(String diagnosisId) {
        return evidence != null ? evidence.topic(diagnosisId) : settings.prefix() + "/evidence/" + diagnosisId;
    }

    // ---- the publisher thread ----

    private void publishLoop() {
        long closeStart = 0;
        try {
            while (true) {
                handleSignals();
                writeJournal();
                if (evidence != null) {
                    evidence.takeRequests();
                }
                long now = System.currentTimeMillis();
                if (closing) {
                    if (closeStart == 0) {
                        closeStart = now;
                    }
                    boolean empty = outbox.size() == 0 && evidenceBuffered() == 0
                            && (evidence == null || evidence.waitingRequests() == 0);
                    if (empty || now - closeStart > CLOSE_DRAIN_MILLIS
                            || (!connected && now - closeStart > CLOSE_DISCONNECTED_GRACE_MILLIS)) {
                        break;
                    }
                }
                if (!connected && !connecting && now >= nextAttemptMillis) {
                    connect();
                }
                if (connected) {
                    send();
                    if (evidence != null) {
                        evidence.send(client, outbox.oldestUnfinished(), () -> LockSupport.unpark(publisher));
                    }
                    publishControl(); // after send(): the status then counts what was just sent
                }
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
            finish();
        } catch (RuntimeException | Error e) {
            Logger.error(e, "mqtt: the publisher thread failed");
            throw e;
        }
    }

    private void handleSignals() {
        Signal s;
        while ((s = signals.poll()) != null) {
            if (s instanceof Connected c) {
                onConnected(c.serverUri());
            } else if (s instanceof ConnectFailed f) {
                connectFailed(f.cause());
            } else if (s instanceof Lost l) {
                onLost(l.cause());
            } else if (s instanceof Press p) {
                onPress(p.longPress());
            }
        }
        Arrival a;
        while ((a = arrivals.poll()) != null) {
            onArrival(a);
        }
        long dropped = arrivalsDropped.get();
        if (dropped > arrivalsDroppedReported) {
            ignored(dropped - arrivalsDroppedReported, dropped - arrivalsDroppedReported + " messages",
                    "the box's " + ARRIVALS + " places for arrivals stayed full for " + ARRIVAL_WAIT_MILLIS + " ms");
            arrivalsDroppedReported = dropped;
        }
    }

    private void writeJournal() {
        if (journal == null) {
            return;
        }
        try {
            List<Outbox.Entry> fresh = outbox.takeUnjournaled();
            if (!fresh.isEmpty()) {
                outbox.journaled(fresh, journal.append(fresh));
                journaledCount += fresh.size();
            }
            journal.done(outbox.takeDoneIndexes());
            journal.compactIfIdle(outbox.size() == 0);
        } catch (IOException e) {
            Logger.error("mqtt: buffer directory {}: {} (diagnoses stay in memory)", journal.dir(), e.toString());
        }
    }

    private void connect() {
        connecting = true;
        try {
            client.connect(options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    // connectComplete signals it
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    signal(new ConnectFailed(cause));
                }
            });
        } catch (MqttException e) {
            connectFailed(e);
        }
    }

    private void signal(Signal s) {
        signals.add(s);
        LockSupport.unpark(publisher);
    }

    private void connectFailed(Throwable cause) {
        String why = describe(cause);
        lastError = why;
        long wait = backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
        nextAttemptMillis = System.currentTimeMillis() + wait;
        backoffMillis = Math.min(backoffMillis * 2, Math.max(1_000, settings.reconnectMax().toMillis()));
        if (!why.equals(loggedError)) {
            Logger.warn("mqtt: cannot connect to {}: {} (retrying with backoff up to {} s)", settings.serverUri(), why,
                    settings.reconnectMax().toSeconds());
            loggedError = why;
        } else {
            Logger.debug("mqtt: cannot connect to {}: {}", settings.serverUri(), why);
        }
        connecting = false;
        synchronized (connectMonitor) {
            connectAttempts++;
            connectMonitor.notifyAll();
        }
    }

    private void onConnected(String serverUri) {
        connecting = false;
        backoffMillis = 1_000;
        if (lastError != null) {
            Logger.info("mqtt: connected to {} again", serverUri);
        } else {
            Logger.info("mqtt: connected to {} as {} under {}", serverUri, settings.clientId(), settings.prefix());
        }
        lastError = null;
        loggedError = null;
        synchronized (connectMonitor) {
            connected = true;
            connectMonitor.notifyAll();
        }
        subscribe();
        // Mosquitto publishes the will when it shuts down cleanly: restore the status every time.
        publishStatus();
        publishSite();
        publishDiscovery();
    }

    private void onLost(Throwable cause) {
        connected = false;
        connecting = false;
        outbox.retryAll();
        if (evidence != null) {
            evidence.outbox().retryAll();
        }
        lastError = describe(cause);
        nextAttemptMillis = System.currentTimeMillis() + 1_000;
        Logger.warn("mqtt: connection to {} lost: {}; {} diagnoses wait", settings.serverUri(), lastError, outbox.size());
    }

    /** Commands ({@code <prefix>/cmd/#}) and Home Assistant's birth ({@code <discovery prefix>/status}), when on. */
    private void subscribe() {
        java.util.ArrayList<String> topics = new java.util.ArrayList<>();
        if (settings.commands()) {
            topics.add(settings.prefix() + "/cmd/#");
        }
        if (settings.homeAssistant().enabled()) {
            topics.add(settings.homeAssistant().discoveryPrefix() + "/status");
        }
        if (topics.isEmpty()) {
            return;
        }
        String[] t = topics.toArray(new String[0]);
        int[] qos = new int[t.length];
        java.util.Arrays.fill(qos, 1);
        try {
            client.subscribe(t, qos, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] granted = token.getGrantedQos();
                    for (int i = 0; i < granted.length && i < t.length; i++) {
                        if (granted[i] == 0x80) {
                            Logger.warn("mqtt: the broker refused the subscription to {} (its ACL)", t[i]);
                        }
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    Logger.warn("mqtt: cannot subscribe to {}: {}", String.join(", ", t), describe(cause));
                }
            });
        } catch (MqttException e) {
            Logger.warn("mqtt: cannot subscribe to {}: {}", String.join(", ", t), describe(e));
        }
    }

    private void send() {
        boolean events = settings.homeAssistant().enabled();
        while (connected && outbox.inflight() < WINDOW) {
            Outbox.Entry e = outbox.next();
            if (e == null) {
                return;
            }
            int attempt = e.attempt;
            Delivery delivery = new Delivery(e, attempt, events ? 2 : 1);
            MqttMessage m = new MqttMessage(e.payload.getBytes(StandardCharsets.UTF_8));
            m.setQos(settings.diagnosisQos());
            try {
                client.publish(topic(e.kind), m, null, delivery);
                if (events) {
                    MqttMessage ev = new MqttMessage(Payloads.event(e.payload).getBytes(StandardCharsets.UTF_8));
                    ev.setQos(1);
                    client.publish(settings.prefix() + "/event", ev, null, delivery);
                }
            } catch (MqttException ex) {
                outbox.retry(e, attempt);
                if (ex.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
                    Logger.debug("mqtt: publish failed: {}", describe(ex));
                }
                return;
            }
            health.sent(e.severity, e.decidedMillis);
        }
    }

    /** Marks an entry delivered once every message of it (the diagnosis, its event) was acknowledged. Paho's threads. */
    private final class Delivery implements IMqttActionListener {
        private final Outbox.Entry entry;
        private final int attempt;
        private final AtomicInteger left;

        Delivery(Outbox.Entry entry, int attempt, int messages) {
            this.entry = entry;
            this.attempt = attempt;
            this.left = new AtomicInteger(messages);
        }

        @Override
        public void onSuccess(IMqttToken token) {
            if (left.decrementAndGet() == 0) {
                outbox.delivered(entry, attempt);
                LockSupport.unpark(publisher);
            }
        }

        @Override
        public void onFailure(IMqttToken token, Throwable cause) {
            outbox.retry(entry, attempt);
        }
    }

    /** Stats, the drop report, the site and the status, when due (the status also when the health changed). */
    private void publishControl() {
        if (statsDue.getAndSet(false)) {
            Stats s = latestStats;
            if (previousStats != null) {
                double minutes = (s.time().toEpochMilli() - previousStats.time().toEpochMilli()) / 60_000.0;
                if (minutes > 0) {
                    failingPerMinute = (s.handshakesFailed() - previousStats.handshakesFailed()) / minutes;
                }
            }
            previousStats = s;
            publishQuietly(settings.prefix() + "/stats", Payloads.stats(s), 0, false);
            statusDue = true;
        }
        long dropped = outbox.dropped();
        if (dropped > droppedReported) {
            if (publishQuietly(settings.prefix() + "/dropped",
                    Payloads.dropped(dropped - droppedReported, dropped, clock.instant()), 1, false)) {
                Logger.warn("mqtt: {} diagnoses were dropped while the broker was away ({} in all)",
                        dropped - droppedReported, dropped);
                droppedReported = dropped;
                statusDue = true;
            }
        }
        if (siteDue.getAndSet(false)) {
            publishSite();
            statusDue = siteChecks != null; // its checklist moved
        }
        long now = clock.millis();
        if (statusDue || !health.health(now).equals(statusHealth) || health.problem(now) != statusProblem) {
            statusDue = false;
            publishStatus();
        }
    }

    private void publishStatus() {
        Payloads.Status s = status();
        if (publishQuietly(settings.prefix() + "/status", Payloads.status(s), 1, true)) {
            statusHealth = s.health();
            statusProblem = s.problem();
        }
    }

    private void publishSite() {
        String s = site;
        if (s != null) {
            publishQuietly(settings.prefix() + "/site", s, 1, true);
        }
    }

    /** Home Assistant discovery when on; when off, empty retained configs, which remove the box from Home Assistant. */
    private void publishDiscovery() {
        MqttSettings.HomeAssistant ha = settings.homeAssistant();
        List<Discovery.Message> ms = ha.enabled()
                ? Discovery.messages(ha.discoveryPrefix(), settings.deviceId(), settings.prefix(), version, cpu.available())
                : Discovery.removal(ha.discoveryPrefix(), settings.deviceId());
        for (Discovery.Message m : ms) {
            publishQuietly(m.topic(), m.payload(), 1, true);
        }
    }

    /** What {@code <prefix>/status} says now (publisher thread, or a test of a sink that was not started). */
    Payloads.Status status() {
        Instant now = clock.instant();
        long nowMillis = now.toEpochMilli();
        Stats s = latestStats;
        long kernelDrops = 0;
        double tableFill = 0;
        if (s != null) {
            for (Stats.Nic n : s.nics()) {
                kernelDrops += n.kernelDrops() + n.interfaceDrops() + n.ringDrops();
            }
            tableFill = s.connectionCapacity() > 0 ? 100.0 * s.connections() / s.connectionCapacity() : 0;
        }
        return new Payloads.Status(settings.deviceId(), version, started, now, health.health(nowMillis), lastDiagnosis,
                lastProblem, Payloads.links(s), kernelDrops, failingPerMinute, received.get(), outbox.size(),
                outbox.dropped(), health.problem(nowMillis), tableFill, cpu.celsius(), checks(now));
    }

    /** Whether a diagnosis is a host_down about the site record's gateway. */
    private boolean gatewayOf(Diagnosis d) {
        String s = site;
        return d.kind().label().equals("host_down") && d.server() != null && s != null
                && s.contains("\"gateway\":{\"ip\":\"" + d.server().ip() + "\"");
    }

    /** The site's checklist with the problems of the last {@link #CHECK_HOLD}; null before any site record. */
    SiteRecord.Checks checks(Instant now) {
        SiteRecord.Checks c = siteChecks;
        if (c == null) {
            return null;
        }
        java.util.Set<String> kinds = new java.util.HashSet<>();
        boolean gatewayDown = false;
        for (Map.Entry<String, Instant> e : recentKinds.entrySet()) {
            if (e.getValue().plus(CHECK_HOLD).isAfter(now)) {
                kinds.add(e.getKey().replace(":gateway", ""));
                gatewayDown |= e.getKey().endsWith(":gateway");
            }
        }
        return c.withProblems(kinds, gatewayDown);
    }

    SinkHealth health() {
        return health;
    }

    private void onPress(boolean longPress) {
        publishQuietly(settings.prefix() + "/button", longPress ? "long_press" : "short_press", 1, false);
        if (longPress) {
            health.acknowledge(clock.millis());
            statusDue = true;
        }
    }

    // ---- messages that arrived: Home Assistant's birth, commands ----

    private void onArrival(Arrival a) {
        MqttSettings.HomeAssistant ha = settings.homeAssistant();
        if (ha.enabled() && a.topic().equals(ha.discoveryPrefix() + "/status")) {
            if (a.payload() != null && new String(a.payload(), StandardCharsets.UTF_8).equals("online")) {
                Logger.info("mqtt: Home Assistant is online: discovery and states published again");
                publishDiscovery();
                publishStatus();
                publishSite();
            }
            return;
        }
        if (!settings.commands()) {
            return;
        }
        Commands.Parsed p = Commands.parse(settings.prefix(), a.topic(), a.payload(), a.size(), a.retained());
        if (p instanceof Commands.Ignored i) {
            ignored(1, a.topic(), i.why());
        } else if (p instanceof Commands.Request r) {
            commandsDone.incrementAndGet();
            carryOut(r);
        }
    }

    private void carryOut(Commands.Request r) {
        Instant now = clock.instant();
        switch (r.command()) {
            case ACK -> {
                Runnable panel = acknowledgeListener;
                if (panel != null) {
                    panel.run();
                }
                health.acknowledge(now.toEpochMilli());
                publishStatus();
                Logger.info("mqtt: remote ack ({}): problems acknowledged", r.correlationId());
                respond(r, true, panel != null ? "acknowledged: the panel's problems are cleared, as a long press does, "
                        + "and the health is ok" : "acknowledged: the health is ok (no panel)", Map.of(), now);
            }
            case STATUS -> {
                publishStatus();
                publishSite();
                publishDiscovery();
                respond(r, true, "status" + (site != null ? ", site" : "") + " and discovery published", Map.of(), now);
            }
            case EVIDENCE -> resend(r, now);
        }
    }

    private void resend(Commands.Request r, Instant now) {
        if (evidence == null) {
            respond(r, false, "evidence is not published over MQTT here (evidence.dir, mqtt.evidence-max-bytes)", Map.of(),
                    now);
            return;
        }
        EvidenceSender.Resend done = evidence.resend(r.id());
        Map<String, Object> f = new LinkedHashMap<>();
        if (done.fileName() != null) {
            f.put("evidence_file", done.fileName());
        }
        if (done.ok()) {
            f.put("topic", evidence.topic(r.id()));
            f.put("bytes", done.bytes());
        }
        respond(r, done.ok(), done.message(), f, now);
    }

    private void respond(Commands.Request r, boolean ok, String message, Map<String, Object> fields, Instant now) {
        publishQuietly(settings.prefix() + "/cmd/" + Commands.RESPONSE,
                Payloads.response(r.correlationId(), r.command().label, ok, message, fields, now), 1, false);
    }

    /** One log line per ignored message (or batch of {@code n}), at most {@link #IGNORED_LOG_PER_MINUTE} a minute (then counted). */
    private void ignored(long n, String what, String why) {
        commandsIgnored.addAndGet(n);
        long now = System.currentTimeMillis();
        if (now - ignoredWindowStart >= 60_000) {
            if (ignoredSuppressed > 0) {
                Logger.warn("mqtt: {} more messages on cmd/ were ignored in the last minute", ignoredSuppressed);
            }
            ignoredWindowStart = now;
            ignoredLogged = 0;
            ignoredSuppressed = 0;
        }
        if (ignoredLogged++ < IGNORED_LOG_PER_MINUTE) {
            Logger.warn("mqtt: ignored {}: {}", Commands.printable(what), why);
        } else {
            ignoredSuppressed += n;
        }
    }

    private boolean publishQuietly(String topic, String payload, int qos, boolean retained) {
        try {
            client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
            return true;
        } catch (MqttException e) {
            Logger.debug("mqtt: cannot publish to {}: {}", topic, describe(e));
            return false;
        }
    }

    private void finish() {
        writeJournal();
        int left = outbox.size();
        undelivered = left;
        undeliveredEvidence = evidenceBuffered() + (evidence == null ? 0 : evidence.waitingRequests());
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                Logger.error("mqtt: buffer directory {}: {}", journal.dir(), e.toString());
            }
        }
        if (left > 0) {
            Logger.warn("mqtt: {} diagnoses not delivered to {}{}", left, settings.serverUri(),
                    journal != null ? " (kept in " + journal.dir() + " for the next start)" : " (lost: no mqtt.buffer-dir)");
        }
        if (undeliveredEvidence > 0) {
            Logger.warn("mqtt: {} evidence pcaps not delivered to {}{}", undeliveredEvidence, settings.serverUri(),
                    evidence != null && evidence.outbox().dir() != null ? " (kept in " + evidence.outbox().dir()
                            + " for the next start)"
                            : " (lost: no mqtt.buffer-dir)");
        }
        try {
            if (client.isConnected()) {
                client.publish(settings.prefix() + "/status", Payloads.OFFLINE.getBytes(StandardCharsets.UTF_8), 1, true)
                        .waitForCompletion(2_000);
                client.disconnect(1_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            Logger.debug("mqtt: disconnect: {}", describe(e));
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            Logger.debug("mqtt: close: {}", describe(e));
        }
    }

    /** A connection problem in plain words, naming the setting to look at. */
    public static String describe(Throwable t) {
        if (t instanceof MqttException me) {
            switch (me.getReasonCode()) {
                case MqttException.REASON_CODE_FAILED_AUTHENTICATION:
                    return "the broker refused the user name or password (mqtt.username, mqtt.password-file)";
                case MqttException.REASON_CODE_NOT_AUTHORIZED:
                    // Mosquitto answers a wrong password with this code (MQTT 3.1.1 CONNACK 5).
                    return "the broker refused the login: wrong user name or password, or this client is not authorized "
                            + "(mqtt.username, mqtt.password-file, client certificate)";
                case MqttException.REASON_CODE_INVALID_CLIENT_ID:
                    return "the broker refused the client id (mqtt.client-id)";
                case MqttException.REASON_CODE_BROKER_UNAVAILABLE:
                    return "the broker is unavailable";
                default:
                    break;
            }
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                Throwable root = c;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                String detail = root.getMessage() == null ? root.toString() : root.getMessage();
                if (detail.contains("PKIX") || detail.contains("certification path")
                        || detail.contains("No subject alternative") || detail.contains("No name matching")) {
                    return "TLS: the broker's certificate is not trusted (checked against mqtt.ca-file and the host "
                            + "name): " + detail;
                }
                return "TLS handshake failed: " + detail;
            }
            if (c instanceof ConnectException) {
                return "connection refused (is the broker running and listening there?)";
            }
            if (c instanceof UnknownHostException) {
                return "unknown host " + c.getMessage();
            }
            if (c instanceof NoRouteToHostException) {
                return "no route to host";
            }
        }
        String m = t.getMessage();
        return m == null ? t.toString() : m + (t.getCause() != null ? ": " + t.getCause() : "");
    }

    /** Paho's callback: every method only hands over to the publisher thread. */
    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            signal(new Connected(serverURI));
        }

        @Override
        public void connectionLost(Throwable cause) {
            signal(new Lost(cause));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            byte[] p = message.getPayload();
            boolean big = p.length > Commands.MAX_BYTES;
            // when the arrivals are full, every one of them already woke the publisher
            if (!offerWaiting(new Arrival(topic, big ? null : p, p.length, message.isRetained()))) {
                arrivalsDropped.incrementAndGet();
            }
            LockSupport.unpark(publisher);
        }

        /** Returns at once when there is room. */
        private boolean offerWaiting(Arrival a) {
            try {
                return arrivals.offer(a, ARRIVAL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }
}
