package org.tapdoctor.publish.mqtt;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.SSLException;

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
import org.tapdoctor.publish.DiagnosisSink;
import org.tapdoctor.publish.Stats;
import org.tinylog.Logger;

/**
 * Publishes diagnoses, status and stats to an MQTT broker (Eclipse Paho v3), losing nothing the
 * bound allows to keep. See README.md, "MQTT", for topics and payloads.
 *
 * <p>The engine thread only serialises the diagnosis (with its {@code id}) and hands it to the
 * {@link Outbox}; it never waits on the network or the disk. One publisher thread of this sink
 * writes new entries to the {@link Journal} (with {@code mqtt.buffer-dir}), connects (backoff from
 * 1 s doubling to {@code mqtt.reconnect-max}, with jitter; Paho's own automatic reconnect is not
 * used because it does not retry a first connection that failed), and sends the oldest entries
 * with at most {@link #WINDOW} unacknowledged at once. An entry leaves the outbox only when the
 * broker acknowledged it (QoS 1 PUBACK); on a lost connection the unacknowledged ones are sent
 * again after reconnecting (at least once: consumers drop duplicates by {@code id}).
 *
 * <p>Paho keeps its own in-flight state in memory ({@link MemoryPersistence}) with a clean
 * session: what must survive a restart is in the journal, in the sink's own format.
 * Every (re)connection publishes the retained online status (Mosquitto publishes the will when it
 * shuts down cleanly, so the status must be restored) and, when asked, Home Assistant discovery.
 */
public final class MqttSink implements DiagnosisSink {
    /** Unacknowledged diagnoses at most; Paho's own limit is set above it. */
    static final int WINDOW = 500;
    private static final int PAHO_MAX_INFLIGHT = 1000;
    private static final long HEALTH_WINDOW_MILLIS = 5 * 60_000L;
    private static final long CLOSE_DRAIN_MILLIS = 10_000L;
    private static final long CLOSE_DISCONNECTED_GRACE_MILLIS = 2_000L;
    private static final long IDLE_PARK_NANOS = 20_000_000L;

    private final MqttSettings settings;
    private final String version;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final Outbox outbox;
    private final Journal journal;
    private final String idPrefix;
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final Instant started = Instant.now();
    private final Thread publisher;
    private final Object connectMonitor = new Object();

    private volatile boolean closing;
    private volatile boolean connected;
    private volatile boolean connecting;
    private volatile int connectAttempts;
    private volatile String lastError;
    private volatile Stats latestStats;
    private volatile boolean statsDue;
    private volatile boolean statusDue;
    private volatile long lastCriticalMillis = Long.MIN_VALUE / 2;
    private volatile long lastWarningMillis = Long.MIN_VALUE / 2;
    private volatile Instant lastDiagnosis;
    private volatile String lastProblem;
    private volatile long journaledCount;
    private volatile long undelivered = -1;

    // publisher thread only
    private volatile long nextAttemptMillis;
    private volatile long backoffMillis = 1_000;
    private volatile String loggedError;
    private long droppedReported;
    private Stats previousStats;
    private double failingPerMinute;

    private MqttSink(MqttSettings settings, String version, MqttConnectOptions options, Journal journal)
            throws MqttException {
        this.settings = settings;
        this.version = version;
        this.options = options;
        this.journal = journal;
        this.outbox = new Outbox(settings.bufferSize(), journal != null);
        this.idPrefix = settings.deviceId() + "-" + Long.toString(started.toEpochMilli(), 36) + "-";
        this.client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
        this.client.setCallback(new Callback());
        this.publisher = new Thread(this::publishLoop, "mqtt-publisher");
        this.publisher.setDaemon(true);
    }

    /**
     * Opens the journal (recovering unsent diagnoses), builds the TLS factory, and starts the
     * publisher thread, which connects in the background.
     */
    public static MqttSink start(MqttSettings s, String version) throws IOException, Tls.TlsException, MqttException {
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
        MqttSink sink = new MqttSink(s, version, o, j);
        if (j != null) {
            for (Journal.Saved saved : j.recovered()) {
                Outbox.Entry e = new Outbox.Entry(sink.seq.getAndIncrement(), saved.severity(), saved.kind(), saved.id(),
                        saved.payload());
                e.journalIndex = sink.journaledCount++;
                sink.outbox.offer(e);
            }
            if (!j.recovered().isEmpty()) {
                Logger.info("mqtt: {} unsent diagnoses recovered from {}", j.recovered().size(), j.dir());
            }
        }
        sink.publisher.start();
        return sink;
    }

    // ---- the engine thread's side ----

    @Override
    public void diagnosis(Diagnosis d) {
        long n = seq.getAndIncrement();
        String id = idPrefix + n;
        Outbox.Entry e = new Outbox.Entry(n, d.severity(), d.kind().label(), id, DiagnosisJson.toJson(d, id));
        received.incrementAndGet();
        long now = System.currentTimeMillis();
        if (d.severity() == Severity.CRITICAL) {
            lastCriticalMillis = now;
        } else if (d.severity() == Severity.WARNING) {
            lastWarningMillis = now;
        }
        if (d.severity() != Severity.INFO) {
            lastProblem = d.summary();
        }
        lastDiagnosis = d.time();
        outbox.offer(e);
        LockSupport.unpark(publisher);
    }

    @Override
    public void stats(Stats s) {
        latestStats = s;
        statsDue = true;
        LockSupport.unpark(publisher);
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

    public String topic(String kind) {
        return settings.prefix() + "/diagnosis/" + kind;
    }

    // ---- the publisher thread ----

    private void publishLoop() {
        long closeStart = 0;
        try {
            while (true) {
                writeJournal();
                long now = System.currentTimeMillis();
                if (closing) {
                    if (closeStart == 0) {
                        closeStart = now;
                    }
                    if (outbox.size() == 0 || now - closeStart > CLOSE_DRAIN_MILLIS
                            || (!connected && now - closeStart > CLOSE_DISCONNECTED_GRACE_MILLIS)) {
                        break;
                    }
                }
                if (!connected && !connecting && now >= nextAttemptMillis) {
                    connect();
                }
                if (connected) {
                    publishControl();
                    send();
                }
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
            finish();
        } catch (RuntimeException | Error e) {
            Logger.error(e, "mqtt: the publisher thread failed");
            throw e;
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
                    connecting = false;
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    connectFailed(cause);
                }
            });
        } catch (MqttException e) {
            connectFailed(e);
        }
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
        synchronized (connectMonitor) {
            connectAttempts++;
            connecting = false;
            connectMonitor.notifyAll();
        }
    }

    private void send() {
        while (connected && outbox.inflight() < WINDOW) {
            Outbox.Entry e = outbox.next();
            if (e == null) {
                return;
            }
            int attempt = e.attempt;
            MqttMessage m = new MqttMessage(e.payload.getBytes(StandardCharsets.UTF_8));
            m.setQos(settings.diagnosisQos());
            try {
                client.publish(topic(e.kind), m, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        outbox.delivered(e, attempt);
                        LockSupport.unpark(publisher);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable cause) {
                        outbox.retry(e, attempt);
                    }
                });
            } catch (MqttException ex) {
                outbox.retry(e, attempt);
                if (ex.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
                    Logger.debug("mqtt: publish failed: {}", describe(ex));
                }
                return;
            }
        }
    }

    /** Stats, the drop report and the status, when due. */
    private void publishControl() {
        if (statsDue) {
            statsDue = false;
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
                    Payloads.dropped(dropped - droppedReported, dropped, Instant.now()), 1, false)) {
                Logger.warn("mqtt: {} diagnoses were dropped while the broker was away ({} in all)",
                        dropped - droppedReported, dropped);
                droppedReported = dropped;
                statusDue = true;
            }
        }
        if (statusDue) {
            statusDue = false;
            publishStatus();
        }
    }

    private void publishStatus() {
        publishQuietly(settings.prefix() + "/status", Payloads.status(status()), 1, true);
    }

    Payloads.Status status() {
        long now = System.currentTimeMillis();
        String health = now - lastCriticalMillis < HEALTH_WINDOW_MILLIS ? "failure"
                : now - lastWarningMillis < HEALTH_WINDOW_MILLIS ? "warning" : "ok";
        Stats s = latestStats;
        long kernelDrops = 0;
        if (s != null) {
            for (Stats.Nic n : s.nics()) {
                kernelDrops += n.kernelDrops() + n.interfaceDrops() + n.ringDrops();
            }
        }
        return new Payloads.Status(settings.deviceId(), version, started, Instant.ofEpochMilli(now), health, lastDiagnosis,
                lastProblem, Payloads.links(s), kernelDrops, failingPerMinute, received.get(), outbox.size(),
                outbox.dropped());
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

    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            synchronized (connectMonitor) {
                connected = true;
                connecting = false;
                connectMonitor.notifyAll();
            }
            backoffMillis = 1_000;
            if (lastError != null) {
                Logger.info("mqtt: connected to {} again", serverURI);
            } else {
                Logger.info("mqtt: connected to {} as {} under {}", serverURI, settings.clientId(), settings.prefix());
            }
            lastError = null;
            loggedError = null;
            // Mosquitto publishes the will when it shuts down cleanly: restore the status every time.
            publishStatus();
            if (settings.homeAssistant()) {
                for (Payloads.Discovery d : Payloads.homeAssistant(settings.deviceId(), settings.prefix(), version)) {
                    publishQuietly(d.topic(), d.payload(), 1, true);
                }
            }
            LockSupport.unpark(publisher);
        }

        @Override
        public void connectionLost(Throwable cause) {
            connected = false;
            outbox.retryAll();
            lastError = describe(cause);
            nextAttemptMillis = System.currentTimeMillis() + 1_000;
            Logger.warn("mqtt: connection to {} lost: {}; {} diagnoses wait", settings.serverUri(), lastError,
                    outbox.size());
            LockSupport.unpark(publisher);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }
}
