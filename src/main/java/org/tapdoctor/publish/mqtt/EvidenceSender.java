package org.tapdoctor.publish.mqtt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.tinylog.Logger;

/**
 * The sink's evidence pcaps, from the evidence directory to {@code <prefix>/evidence/<diagnosis id>}:
 * the engine thread {@link #request}s the file of each diagnosis that has one (a bounded queue,
 * nothing read there); the publisher thread {@link #takeRequests reads} each within milliseconds
 * (cut to {@code mqtt.evidence-max-bytes}, {@link PcapPrefix}) into the {@link EvidenceOutbox},
 * which keeps it (memory or journal) until the broker acknowledged it, and {@link #send}s it once
 * its diagnosis is done, at most {@link #WINDOW} unacknowledged. It remembers the file of the newest
 * {@link #IDS} diagnoses for the {@code evidence} command ({@link #resend}).
 *
 * <p>Caveats: {@link #request} and the counts are for any thread; the rest is the publisher
 * thread's; Paho's threads only mark outbox entries (thread-safe).
 */
final class EvidenceSender {
    static final int WINDOW = 2;
    static final int REQUESTS = 10_000;
    static final int IDS = 10_000;

    private record Request(long seq, String id, String fileName) {
    }

    /** A re-send asked for remotely: queued ({@code ok}, with the file and its size) or why not. */
    record Resend(boolean ok, String message, String fileName, int bytes) {
    }

    private final MqttSettings.EvidenceMessages settings;
    private final String prefix;
    private final EvidenceOutbox outbox;
    // any thread
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong requestsDropped = new AtomicLong();
    // publisher thread only
    private long requestsDroppedReported;
    private final Map<String, String> files = new NewestEntries<>(IDS);

    EvidenceSender(MqttSettings.EvidenceMessages settings, String prefix, EvidenceOutbox outbox) {
        this.settings = settings;
        this.prefix = prefix;
        this.outbox = outbox;
    }

    String topic(String diagnosisId) {
        return prefix + "/evidence/" + diagnosisId;
    }

    /** The file of diagnosis {@code id} (outbox sequence {@code seq}) is to be published. Any thread, never waits. */
    void request(long seq, String id, String fileName) {
        if (waiting.incrementAndGet() > REQUESTS) {
            waiting.decrementAndGet();
            requestsDropped.incrementAndGet();
            return;
        }
        requests.add(new Request(seq, id, fileName));
    }

    /** Requests not read yet. */
    int waitingRequests() {
        return waiting.get();
    }

    /** Reads the requested files into the outbox. Publisher thread. */
    void takeRequests() {
        Request r;
        while ((r = requests.poll()) != null) {
            waiting.decrementAndGet();
            files.put(r.id(), r.fileName());
            byte[] pcap = read(r.fileName());
            if (pcap != null) {
                keep(r.id(), r.seq(), pcap);
            }
        }
        long dropped = requestsDropped.get();
        if (dropped > requestsDroppedReported) {
            Logger.warn("mqtt: {} evidence pcaps not published: more than {} waited to be read",
                    dropped - requestsDroppedReported, REQUESTS);
            requestsDroppedReported = dropped;
        }
    }

    private boolean keep(String id, long seq, byte[] pcap) {
        try {
            return outbox.add(id, seq, pcap);
        } catch (IOException e) {
            Logger.error("mqtt: cannot keep the evidence of {} in {}: {}", id, outbox.dir(), e.toString());
            return false;
        }
    }

    /** The file from the evidence directory, cut to its first frames that fit; null (logged) when it cannot be. */
    private byte[] read(String name) {
        Path dir = settings.dir();
        if (name.contains("/") || name.startsWith(".")) {
            return null;
        }
        try {
            byte[] all = Files.readAllBytes(dir.resolve(name));
            byte[] cut = PcapPrefix.firstFrames(all, settings.maxBytes());
            if (cut == null) {
                Logger.warn("mqtt: evidence {} not published: its first frame does not fit in mqtt.evidence-max-bytes ({})"
                        + " or it is not a classic pcap", name, settings.maxBytes());
            } else if (cut.length < all.length) {
                Logger.info("mqtt: evidence {} ({} bytes) published cut to its first {} bytes (mqtt.evidence-max-bytes)",
                        name, all.length, cut.length);
            }
            return cut;
        } catch (NoSuchFileException e) {
            Logger.warn("mqtt: evidence {} is no longer in {}: not published", name, dir);
            return null;
        } catch (IOException e) {
            Logger.warn("mqtt: cannot read evidence {}: {}", dir.resolve(name), e.toString());
            return null;
        }
    }

    /**
     * Publishes what may go: pcaps whose diagnosis is done ({@code diagnosesDoneBelow}: the outbox's
     * oldest unfinished sequence). {@code wake} is run on Paho's thread at each acknowledgement.
     * Publisher thread, while connected.
     */
    void send(MqttAsyncClient client, long diagnosesDoneBelow, Runnable wake) {
        while (outbox.inflight() < WINDOW) {
            EvidenceOutbox.Entry e = outbox.next(diagnosesDoneBelow);
            if (e == null) {
                break;
            }
            int attempt = e.attempt;
            byte[] bytes;
            try {
                bytes = EvidenceOutbox.bytes(e);
            } catch (IOException ex) {
                Logger.error("mqtt: cannot read the kept evidence of {}: {} (dropped)", e.id, ex.toString());
                outbox.drop(e);
                continue;
            }
            MqttMessage m = new MqttMessage(bytes);
            m.setQos(1);
            try {
                client.publish(topic(e.id), m, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        outbox.delivered(e, attempt);
                        wake.run();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable cause) {
                        outbox.retry(e, attempt);
                    }
                });
            } catch (MqttException ex) {
                outbox.retry(e, attempt);
                Logger.debug("mqtt: evidence publish failed: {}", MqttSink.describe(ex));
                break;
            }
        }
        outbox.deleteFinished();
    }

    /** Queues the pcap of diagnosis {@code id} again if it is still on disk (the {@code evidence} command). Publisher thread. */
    Resend resend(String id) {
        String name = files.get(id);
        if (name == null) {
            return new Resend(false, "no evidence file known for " + id + " (an unknown id, a diagnosis without a pcap, "
                    + "or one from before the service's last start)", null, 0);
        }
        if (!Files.exists(settings.dir().resolve(name))) {
            return new Resend(false, name + " is no longer on disk (the evidence directory keeps at most "
                    + "evidence.max-files and evidence.max-bytes)", name, 0);
        }
        byte[] pcap = read(name);
        if (pcap == null || !keep(id, -1, pcap)) {
            return new Resend(false, "cannot send " + name + " now (already queued, or over mqtt.evidence-buffer)", name, 0);
        }
        return new Resend(true, "evidence queued", name, pcap.length);
    }

    EvidenceOutbox outbox() {
        return outbox;
    }

    long dropped() {
        return outbox.dropped() + requestsDropped.get();
    }
}
