package org.tapdoctor.publish.mqtt;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the MQTT sink and the watch command need to reach a broker, already checked by the
 * service's configuration (files exist, the URL parses). The password is held only as read from
 * its file and never appears in {@link #toString()}. Immutable.
 *
 * @param url {@code tcp://host[:port]} or {@code ssl://host[:port]}
 * @param deviceId this box's name in topics, ids and Home Assistant
 * @param prefix topics are under it, no trailing slash
 * @param clientId the MQTT client id
 * @param diagnosisQos QoS of diagnosis messages (0, 1 or 2)
 * @param bufferSize diagnoses kept while the broker is away (the bound of the outbox)
 * @param bufferDir the directory of the persistent outbox journal, or null (in memory)
 * @param reconnectMax the longest wait between connection attempts (backoff from 1 s)
 * @param keepAlive the MQTT keep-alive interval
 * @param caFile PEM CA certificate(s) the broker's certificate must chain to (ssl:// only)
 * @param certFile PEM client certificate chain, or null
 * @param keyFile PEM private key of the client certificate (PKCS#8 or PKCS#1 RSA), or null
 * @param username the user name, or null
 * @param password the password read from {@code mqtt.password-file}, or null
 * @param homeAssistant Home Assistant discovery
 * @param evidence evidence pcaps over MQTT
 * @param commands accept remote commands on {@code <prefix>/cmd/#}
 */
public record MqttSettings(URI url, String deviceId, String prefix, String clientId, int diagnosisQos, int bufferSize,
                           Path bufferDir, Duration reconnectMax, Duration keepAlive, Path caFile, Path certFile,
                           Path keyFile, String username, char[] password, HomeAssistant homeAssistant,
                           EvidenceMessages evidence, boolean commands) {

    /**
     * Home Assistant MQTT discovery.
     *
     * @param enabled publish the discovery messages; false publishes empty ones (removal)
     * @param discoveryPrefix Home Assistant's discovery prefix, {@code homeassistant} by default
     */
    public record HomeAssistant(boolean enabled, String discoveryPrefix) {
        public static final HomeAssistant OFF = new HomeAssistant(false, "homeassistant");
        public static final HomeAssistant ON = new HomeAssistant(true, "homeassistant");

        public HomeAssistant {
            Objects.requireNonNull(discoveryPrefix, "discoveryPrefix");
        }
    }

    /**
     * Evidence pcaps published on {@code <prefix>/evidence/<diagnosis id>}.
     *
     * @param dir the evidence directory the files are read from, or null (not published)
     * @param maxBytes the largest message; a larger file is cut to its first frames that fit; 0: not published
     * @param bufferBytes bytes of evidence kept while the broker is away (own budget, beside the diagnoses')
     */
    public record EvidenceMessages(Path dir, int maxBytes, long bufferBytes) {
        public static final EvidenceMessages OFF = new EvidenceMessages(null, 0, 16L << 20);

        public EvidenceMessages {
            if (maxBytes < 0 || bufferBytes < 1) {
                throw new IllegalArgumentException("maxBytes must be >= 0 and bufferBytes >= 1: " + maxBytes + ", "
                        + bufferBytes);
            }
        }

        public boolean enabled() {
            return dir != null && maxBytes > 0;
        }
    }

    public MqttSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(reconnectMax, "reconnectMax");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(homeAssistant, "homeAssistant");
        Objects.requireNonNull(evidence, "evidence");
        if (diagnosisQos < 0 || diagnosisQos > 2) {
            throw new IllegalArgumentException("diagnosisQos must be 0, 1 or 2: " + diagnosisQos);
        }
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be >= 1: " + bufferSize);
        }
    }

    /** Plain settings for a broker without TLS or authentication (tests, benchmarks). */
    public static MqttSettings plain(String url, String deviceId) {
        return new MqttSettings(URI.create(url), deviceId, "tapdoctor/" + deviceId, "tapdoctor-" + deviceId, 1, 10_000,
                null, Duration.ofSeconds(30), Duration.ofSeconds(30), null, null, null, null, null, HomeAssistant.OFF,
                EvidenceMessages.OFF, false);
    }

    public MqttSettings withBuffer(int size, Path dir) {
        return new MqttSettings(url, deviceId, prefix, clientId, diagnosisQos, size, dir, reconnectMax, keepAlive, caFile,
                certFile, keyFile, username, password, homeAssistant, evidence, commands);
    }

    public MqttSettings withReconnectMax(Duration max) {
        return new MqttSettings(url, deviceId, prefix, clientId, diagnosisQos, bufferSize, bufferDir, max, keepAlive, caFile,
                certFile, keyFile, username, password, homeAssistant, evidence, commands);
    }

    public MqttSettings withKeepAlive(Duration keep) {
        return new MqttSettings(url, deviceId, prefix, clientId, diagnosisQos, bufferSize, bufferDir, reconnectMax, keep,
                caFile, certFile, keyFile, username, password, homeAssistant, evidence, commands);
    }

    public MqttSettings withHomeAssistant(HomeAssistant ha) {
        return new MqttSettings(url, deviceId, prefix, clientId, diagnosisQos, bufferSize, bufferDir, reconnectMax, keepAlive,
                caFile, certFile, keyFile, username, password, ha, evidence, commands);
    }

    public MqttSettings withEvidence(EvidenceMessages e) {
        return new MqttSettings(url, deviceId, prefix, clientId, diagnosisQos, bufferSize, bufferDir, reconnectMax, keepAlive,
                caFile, certFile, keyFile, username, password, homeAssistant, e, commands);
    }

    public MqttSettings withCommands(boolean on) {
        return new MqttSettings(url, deviceId, prefix, clientId, diagnosisQos, bufferSize, bufferDir, reconnectMax, keepAlive,
                caFile, certFile, keyFile, username, password, homeAssistant, evidence, on);
    }

    public MqttSettings withClientId(String id) {
        return new MqttSettings(url, deviceId, prefix, id, diagnosisQos, bufferSize, bufferDir, reconnectMax, keepAlive,
                caFile, certFile, keyFile, username, password, homeAssistant, evidence, commands);
    }

    public MqttSettings withTls(Path ca, Path cert, Path key) {
        return new MqttSettings(url, deviceId, prefix, clientId, diagnosisQos, bufferSize, bufferDir, reconnectMax, keepAlive,
                ca, cert, key, username, password, homeAssistant, evidence, commands);
    }

    public MqttSettings withLogin(String user, char[] pass) {
        return new MqttSettings(url, deviceId, prefix, clientId, diagnosisQos, bufferSize, bufferDir, reconnectMax, keepAlive,
                caFile, certFile, keyFile, user, pass, homeAssistant, evidence, commands);
    }

    public boolean tls() {
        return url.getScheme().equals("ssl");
    }

    /** Paho's form of the URL: {@code tcp://host:port} with the default port filled in. */
    public String serverUri() {
        int port = url.getPort() > 0 ? url.getPort() : tls() ? 8883 : 1883;
        String host = url.getHost().contains(":") && !url.getHost().startsWith("[") ? "[" + url.getHost() + "]" : url.getHost();
        return url.getScheme() + "://" + host + ":" + port;
    }

    @Override
    public String toString() {
        return "MqttSettings[url=" + url + ", deviceId=" + deviceId + ", prefix=" + prefix + ", clientId=" + clientId
                + ", qos=" + diagnosisQos + ", buffer=" + bufferSize + ", bufferDir=" + bufferDir + ", ca=" + caFile
                + ", cert=" + certFile + ", key=" + keyFile + ", username=" + username
                + ", password=" + (password == null ? "none" : "(from file)") + ", homeAssistant=" + homeAssistant
                + ", evidence=" + evidence + ", commands=" + commands + "]";
    }
}
