package org.tapdoctor.service;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.tapdoctor.panel.PanelSink;
import org.tapdoctor.publish.DiagnosisSink;
import org.tapdoctor.publish.mqtt.MqttSettings;
import org.tapdoctor.publish.mqtt.MqttSink;
import org.tapdoctor.publish.mqtt.Tls;

/**
 * Turns the {@code device.id} and {@code mqtt.*} keys into {@link MqttSettings} and starts the
 * sink. Everything that can be checked before connecting is checked here, so that a bad setting
 * stops the service at start with one line naming the key, the value (never the password) and
 * the file: a URL that is not tcp:// or ssl://, ssl:// without a CA file, TLS files with tcp://, a
 * certificate without its key, a file that cannot be read, a PEM file that holds no usable
 * certificate or key, a buffer directory that cannot be created.
 */
final class MqttSetup {
    private MqttSetup() {
    }

    /** The settings, or null when {@code mqtt.url} is empty (MQTT off). */
    static MqttSettings settings(Config cfg) throws Config.ConfigException {
        String url = cfg.string("mqtt.url");
        if (url.isEmpty()) {
            return null;
        }
        String src = cfg.source();
        URI uri = URI.create(url);
        String device = cfg.string("device.id").isEmpty() ? hostName() : cfg.string("device.id");
        String prefix = cfg.string("mqtt.prefix").isEmpty() ? "tapdoctor/" + device : cfg.string("mqtt.prefix");
        String clientId = cfg.string("mqtt.client-id").isEmpty() ? "tapdoctor-" + device : cfg.string("mqtt.client-id");
        Path ca = file(cfg, "mqtt.ca-file");
        Path cert = file(cfg, "mqtt.cert-file");
        Path key = file(cfg, "mqtt.key-file");
        boolean tls = "ssl".equals(uri.getScheme());
        if (tls && ca == null) {
            throw new Config.ConfigException(src + ": key 'mqtt.ca-file': required with an ssl:// mqtt.url (" + url + ")");
        }
        if (!tls && (ca != null || cert != null || key != null)) {
            throw new Config.ConfigException(src + ": key 'mqtt.url': bad value '" + url
                    + "' (expected ssl://host[:port] when mqtt.ca-file, mqtt.cert-file or mqtt.key-file is set)");
        }
        if ((cert == null) != (key == null)) {
            throw new Config.ConfigException(src + ": keys 'mqtt.cert-file' and 'mqtt.key-file': set both or neither");
        }
        String user = cfg.string("mqtt.username").isEmpty() ? null : cfg.string("mqtt.username");
        Path passwordFile = file(cfg, "mqtt.password-file");
        char[] password = null;
        if (passwordFile != null) {
            if (user == null) {
                throw new Config.ConfigException(src + ": key 'mqtt.password-file' needs 'mqtt.username'");
            }
            password = password(src, passwordFile);
        }
        String bufferDir = cfg.string("mqtt.buffer-dir");
        String evidenceDir = cfg.string("evidence.dir");
        return new MqttSettings(uri, device, prefix, clientId, cfg.integer("mqtt.qos"), cfg.integer("mqtt.buffer"),
                bufferDir.isEmpty() ? null : Path.of(bufferDir), cfg.duration("mqtt.reconnect-max"),
                cfg.duration("mqtt.keepalive"), ca, cert, key, user, password,
                new MqttSettings.HomeAssistant(Boolean.parseBoolean(cfg.string("mqtt.homeassistant")),
                        cfg.string("mqtt.discovery-prefix")),
                new MqttSettings.EvidenceMessages(evidenceDir.isEmpty() ? null : Path.of(evidenceDir),
                        cfg.integer("mqtt.evidence-max-bytes"), cfg.integer("mqtt.evidence-buffer")),
                Boolean.parseBoolean(cfg.string("mqtt.commands")));
    }

    /** Starts the sink (null when MQTT is off); set-up errors are configuration errors. */
    static MqttSink start(Config cfg) throws Config.ConfigException {
        MqttSettings s = settings(cfg);
        if (s == null) {
            return null;
        }
        try {
            return MqttSink.start(s, Main.version());
        } catch (Tls.TlsException e) {
            throw new Config.ConfigException(cfg.source() + ": TLS settings (mqtt.ca-file, mqtt.cert-file, mqtt.key-file): "
                    + e.getMessage());
        } catch (IOException e) {
            throw new Config.ConfigException(cfg.source() + ": key 'mqtt.buffer-dir': cannot use '" + s.bufferDir() + "': "
                    + e);
        } catch (MqttException | IllegalArgumentException e) {
            throw new Config.ConfigException(cfg.source() + ": key 'mqtt.url': bad value '" + s.url() + "' ("
                    + e.getMessage() + ")");
        }
    }

    /**
     * Joins the panel and the MQTT sink when both run: the panel's network page shows whether MQTT
     * is up, its short and long presses become Home Assistant device triggers (and the long press
     * clears the MQTT health), and a remote {@code ack} acknowledges the panel as the long press does.
     */
    static void wirePanel(DiagnosisSink sink, MqttSink mqtt) {
        if (sink instanceof PanelSink panel) {
            panel.watchMqtt(mqtt::connected);
            panel.onPress(mqtt::buttonPressed);
            mqtt.onAcknowledge(panel::acknowledge);
        }
    }

    private static Path file(Config cfg, String key) throws Config.ConfigException {
        String v = cfg.string(key);
        if (v.isEmpty()) {
            return null;
        }
        Path p = Path.of(v);
        if (!Files.isRegularFile(p)) {
            throw new Config.ConfigException(cfg.source() + ": key '" + key + "': no such file '" + v + "'");
        }
        if (!Files.isReadable(p)) {
            throw new Config.ConfigException(cfg.source() + ": key '" + key + "': cannot read '" + v + "' (permissions)");
        }
        return p;
    }

    /** The first line of the file; never logged, never in a message. */
    private static char[] password(String src, Path file) throws Config.ConfigException {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            String first = (nl < 0 ? text : text.substring(0, nl)).replace("\r", "");
            if (first.isEmpty()) {
                throw new Config.ConfigException(src + ": key 'mqtt.password-file': '" + file + "' holds no password");
            }
            return first.toCharArray();
        } catch (IOException e) {
            throw new Config.ConfigException(src + ": key 'mqtt.password-file': cannot read '" + file + "'");
        }
    }

    static String hostName() {
        String h = null;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            // fall back below
        }
        if (h == null || h.isBlank() || h.equals("localhost")) {
            try {
                h = Files.readString(Path.of("/etc/hostname")).trim();
            } catch (IOException e) {
                h = "tapdoctor";
            }
        }
        int dot = h.indexOf('.');
        String shortName = dot > 0 ? h.substring(0, dot) : h;
        String clean = shortName.replaceAll("[^A-Za-z0-9._-]", "-");
        return clean.isEmpty() ? "tapdoctor" : clean;
    }
}
