package org.tapdoctor.service;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import org.tapdoctor.capture.LiveCapture;
import org.tapdoctor.capture.RecentFrames;
import org.tapdoctor.diagnose.Reporter;
import org.tapdoctor.engine.EngineSettings;
import org.tapdoctor.publish.EvidenceDirectory;
import org.tapdoctor.track.Ipv6Dot1xConfig;
import org.tapdoctor.track.DhcpSettings;
import org.tapdoctor.track.TrackerConfig;

/**
 * The service configuration: a Java properties file (default /etc/tapdoctor/tapdoctor.conf),
 * every key documented with its default in board/tapdoctor.conf, overridden by command-line
 * flags. An unknown key or a bad value is a {@link ConfigException} naming the key, the value
 * and the file; nothing starts half-configured. Immutable once built.
 */
public final class Config {

    /** A key, its default (as text, as in board/tapdoctor.conf) and how its value is checked. */
    private record Key(String name, String defaultValue, Function<String, Object> parser, String expected) {
    }

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    // The keys' parsers: shared constants (declared before the static block that reads them) and
    // small records (IntIn, OneOf), not a lambda per key: each lambda expression is spun into a
    // class when first evaluated, ~80 of them here, all at start-up.
    private static final Function<String, Object> DURATION = Config::parseDuration;
    private static final Function<String, Object> AS_IS = v -> v;

    static {
        TrackerConfig t = TrackerConfig.defaults();
        Reporter.Settings r = EngineSettings.reportDefaults();
        LiveCapture.Settings c = LiveCapture.Settings.defaults();
        key("interfaces", "eth0,eth1", Config::nicList, "one or two NIC names, comma separated");
        key("client_side", "auto", AS_IS, "'auto' or one of the interfaces");
        key("format", "text", oneOfThese("text", "jsonl"), "text or jsonl");
        key("stats.interval", "10s", DURATION, "a duration such as 10s, 500ms, 1m");
        key("report.pass", duration(r.passNanos()), DURATION, "a duration");
        key("report.interval", duration(r.tickNanos()), DURATION, "a duration");
        key("report.repeat", duration(r.repeatNanos()), DURATION, "a duration");
        key("report.retire", duration(r.retireNanos()), DURATION, "a duration");
        key("diagnose.host-min-attempts", Integer.toString(r.hostMinAttempts()), ints(1, 1000),
                "an integer from 1 to 1000");
        key("diagnose.max-ports-per-host", Integer.toString(r.maxPortsPerHost()), ints(1, 1000),
                "an integer from 1 to 1000");
        key("diagnose.max-host-down", Integer.toString(r.maxHostDown()), ints(1, 1000), "an integer from 1 to 1000");
        key("diagnose.max-servers-per-client", Integer.toString(r.maxServersPerClient()), ints(1, 1000),
                "an integer from 1 to 1000");
        key("diagnose.max-names-per-dns-server", Integer.toString(r.maxNamesPerDnsServer()), ints(1, 1000),
                "an integer from 1 to 1000");
        key("capture.snaplen", Integer.toString(c.snaplen()), ints(96, 65535), "an integer from 96 to 65535");
        key("capture.buffer", Integer.toString(c.bufferBytes()), ints(65536, 1 << 30), "bytes, from 65536 to 1073741824");
        key("capture.path-mtu", "false", oneOfThese("true", "false"),
                "true or false (true: every TCP segment passes the kernel filter, for mtu_blackhole live)");
        key("capture.ring", "4096", ints(64, 1 << 22), "frames, from 64 to 4194304");
        key("tables.connections", Integer.toString(t.connections()), ints(16, 1 << 26), "an integer from 16 to 67108864");
        key("tables.servers", Integer.toString(t.serverPorts()), ints(16, 1 << 24), "an integer from 16 to 16777216");
        key("tables.problems", Integer.toString(t.problems()), ints(16, 1 << 22), "an integer from 16 to 4194304");
        key("tables.arp", Integer.toString(t.arpHosts()), ints(16, 1 << 22), "an integer from 16 to 4194304");
        key("tables.dns", Integer.toString(t.dnsQueries()), ints(16, 1 << 22), "an integer from 16 to 4194304");
        key("tcp.syn-timeout", duration(t.synTimeoutNanos()), DURATION, "a duration");
        key("tcp.synack-timeout", duration(t.synAckTimeoutNanos()), DURATION, "a duration");
        key("tcp.linger", duration(t.lingerNanos()), DURATION, "a duration");
        key("tcp.idle-timeout", duration(t.idleTimeoutNanos()), DURATION, "a duration");
        key("tcp.zero-window-min", duration(t.zeroWindowMinNanos()), DURATION, "a duration");
        key("arp.min-requests", Integer.toString(t.arpMinRequests()), ints(1, 1000), "an integer from 1 to 1000");
        key("arp.timeout", duration(t.arpTimeoutNanos()), DURATION, "a duration");
        key("dns.timeout", duration(t.dnsTimeoutNanos()), DURATION, "a duration");
        Ipv6Dot1xConfig n = t.ipv6Dot1x();
        key("nd.min-requests", Integer.toString(n.ndMinRequests()), ints(1, 1000), "an integer from 1 to 1000");
        key("nd.timeout", duration(n.ndTimeoutNanos()), DURATION, "a duration");
        key("nd.router-window", duration(n.routerWindowNanos()), DURATION, "a duration");
        key("ipv6.allowed-routers", "", Config::ipv6List, "IPv6 addresses, comma separated, or empty (none listed)");
        key("dot1x.min-requests", Integer.toString(n.dot1xMinRequests()), ints(1, 1000), "an integer from 1 to 1000");
        key("dot1x.timeout", duration(n.dot1xTimeoutNanos()), DURATION, "a duration");
        key("dot1x.window", duration(n.dot1xWindowNanos()), DURATION, "a duration");
        DhcpSettings h = DhcpSettings.defaults();
        key("dhcp.min-attempts", Integer.toString(h.minAttempts()), ints(1, 1000), "an integer from 1 to 1000");
        key("dhcp.timeout", duration(h.timeoutNanos()), DURATION, "a duration");
        key("dhcp.nak-window", duration(h.nakWindowNanos()), DURATION, "a duration");
        key("dhcp.server-window", duration(h.serverWindowNanos()), DURATION, "a duration");
        key("dhcp.allowed-servers", "", Config::ipv4List, "IPv4 addresses, comma separated, or empty (judged by leases)");
        key("evidence.dir", "", AS_IS, "a directory for evidence pcaps, or empty (no evidence files)");
        key("evidence.max-files", Integer.toString(EvidenceDirectory.DEFAULT_MAX_FILES), ints(1, 1_000_000),
                "an integer from 1 to 1000000");
        key("evidence.max-bytes", Long.toString(EvidenceDirectory.DEFAULT_MAX_BYTES), ints(65536, Integer.MAX_VALUE),
                "bytes, from 65536 to 2147483647");
        key("evidence.ring-bytes", Integer.toString(RecentFrames.DEFAULT_BYTES), ints(65536, 1 << 30),
                "bytes, from 65536 to 1073741824");
        key("device.id", "", Config::deviceId, "letters, digits, '.', '_' or '-', or empty (the host name)");
        key("mqtt.url", "", Config::mqttUrl, "tcp://host[:port] or ssl://host[:port], or empty (no MQTT)");
        key("mqtt.prefix", "", Config::mqttPrefix, "a topic prefix without wildcards, or empty (tapdoctor/<device.id>)");
        key("mqtt.client-id", "", AS_IS, "an MQTT client id, or empty (tapdoctor-<device.id>)");
        key("mqtt.qos", "1", ints(0, 2), "0, 1 or 2");
        key("mqtt.buffer", "10000", ints(1, 10_000_000), "diagnoses, from 1 to 10000000");
        key("mqtt.buffer-dir", "", AS_IS, "a directory for unsent diagnoses, or empty (in memory)");
        key("mqtt.reconnect-max", "30s", DURATION, "a duration");
        key("mqtt.keepalive", "30s", DURATION, "a duration");
        key("mqtt.ca-file", "", AS_IS, "a PEM file of CA certificates, or empty");
        key("mqtt.cert-file", "", AS_IS, "a PEM client certificate file, or empty");
        key("mqtt.key-file", "", AS_IS, "a PEM private key file, or empty");
        key("mqtt.username", "", AS_IS, "a user name, or empty");
        key("mqtt.password-file", "", AS_IS, "a file holding the password, or empty");
        key("mqtt.homeassistant", "false", oneOfThese("true", "false"), "true or false");
        key("mqtt.discovery-prefix", "homeassistant", Config::discoveryPrefix,
                "a topic prefix without wildcards, as set in Home Assistant's MQTT options");
        key("mqtt.evidence-max-bytes", "4194304", ints(0, 64 << 20),
                "bytes from 0 (evidence not published) to 67108864");
        key("mqtt.evidence-buffer", "16777216", ints(65536, 1 << 30), "bytes, from 65536 to 1073741824");
        key("mqtt.commands", "false", oneOfThese("true", "false"), "true or false");
        key("panel", "pi4j", oneOfThese("pi4j", "terminal", "none"), "pi4j, terminal or none");
        key("panel.lcd", "16x2", oneOfThese("16x2", "20x4"), "16x2 or 20x4");
        key("panel.i2c-bus", "1", ints(0, 31), "an I2C bus number from 0 to 31");
        key("panel.i2c-address", "0x27", Config::i2cAddress, "a 7-bit I2C address such as 0x27 or 0x3f");
        key("panel.gpio-green", "17", ints(0, 27), "a BCM GPIO number from 0 to 27");
        key("panel.gpio-amber", "27", ints(0, 27), "a BCM GPIO number from 0 to 27");
        key("panel.gpio-red", "22", ints(0, 27), "a BCM GPIO number from 0 to 27");
        key("panel.gpio-button", "23", ints(0, 27), "a BCM GPIO number from 0 to 27");
        key("panel.hold", "60s", DURATION, "a duration");
    }


    /** {@link #intIn} with these bounds. */
    private record IntIn(int min, int max) implements Function<String, Object> {
        @Override
        public Object apply(String v) {
            return intIn(v, min, max);
        }
    }

    /** {@link #oneOf} with these values. */
    private record OneOf(String[] allowed) implements Function<String, Object> {
        @Override
        public Object apply(String v) {
            return oneOf(v, allowed);
        }
    }

    private static Function<String, Object> ints(int min, int max) {
        return new IntIn(min, max);
    }

    private static Function<String, Object> oneOfThese(String... allowed) {
        return new OneOf(allowed);
    }

    private static void key(String name, String def, Function<String, Object> parser, String expected) {
        KEYS.put(name, new Key(name, def, parser, expected));
    }

    private final Map<String, Object> values;
    private final String source;

    private Config(Map<String, Object> values, String source) {
        this.values = values;
        this.source = source;
    }

    /** The documented keys with their defaults, in documentation order. */
    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        KEYS.values().forEach(k -> d.put(k.name, k.defaultValue));
        return Collections.unmodifiableMap(d);
    }

    /**
     * Reads a file (absent file and {@code required} false: defaults), then applies overrides
     * (key to value, from the command line).
     */
    public static Config load(Path file, boolean required, Map<String, String> overrides) throws ConfigException {
        Map<String, String> raw = new LinkedHashMap<>(defaults());
        Map<String, String> origin = new LinkedHashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (NoSuchFileException e) {
                if (required) {
                    throw new ConfigException(file + ": no such file");
                }
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(file + ": cannot read: " + e.getMessage());
            }
            for (String name : p.stringPropertyNames()) {
                if (!KEYS.containsKey(name)) {
                    throw new ConfigException(file + ": unknown key '" + name + "' (known keys: "
                            + String.join(", ", KEYS.keySet()) + ")");
                }
                raw.put(name, p.getProperty(name).trim());
                origin.put(name, file.toString());
            }
        }
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            if (!KEYS.containsKey(o.getKey())) {
                throw new ConfigException("command line: unknown key '" + o.getKey() + "'");
            }
            raw.put(o.getKey(), o.getValue());
            origin.put(o.getKey(), "command line");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            Key k = KEYS.get(e.getKey());
            try {
                values.put(k.name, k.parser.apply(e.getValue()));
            } catch (RuntimeException ex) {
                String where = origin.getOrDefault(k.name, "default");
                throw new ConfigException(where + ": key '" + k.name + "': bad value '" + e.getValue() + "' (expected "
                        + k.expected + ")");
            }
        }
        Config c = new Config(values, file == null ? "defaults" : file.toString());
        c.validate(origin);
        return c;
    }

    private void validate(Map<String, String> origin) throws ConfigException {
        if (duration("report.retire").compareTo(duration("report.repeat")) < 0) {
            throw new ConfigException(origin.getOrDefault("report.retire", "default") + ": key 'report.retire': bad value '"
                    + format(duration("report.retire")) + "' (expected at least report.repeat, "
                    + format(duration("report.repeat")) + ": a problem is published again before it may retire)");
        }
        String clientSide = string("client_side");
        java.util.Set<Integer> pins = new java.util.HashSet<>();
        for (String k : List.of("panel.gpio-green", "panel.gpio-amber", "panel.gpio-red", "panel.gpio-button")) {
            if (!pins.add(integer(k)) || integer(k) == 2 || integer(k) == 3) {
                throw new ConfigException(origin.getOrDefault(k, "default") + ": key '" + k + "': bad value '" + integer(k)
                        + "' (expected a GPIO used by no other panel key, not 2 or 3: they are I2C SDA and SCL)");
            }
        }
        if (!clientSide.equals("auto") && !interfaces().contains(clientSide)) {
            throw new ConfigException(origin.getOrDefault("client_side", "default") + ": key 'client_side': bad value '"
                    + clientSide + "' (expected 'auto' or one of " + interfaces() + ")");
        }
    }

    // ---- typed access ----
    @SuppressWarnings("unchecked")
    public List<String> interfaces() { return (List<String>) values.get("interfaces"); }
    public String string(String key) { return (String) values.get(key); }
    public int integer(String key) { return (Integer) values.get(key); }
    public Duration duration(String key) { return (Duration) values.get(key); }
    public String source() { return source; }

    /** The interfaces ordered client side first when {@code client_side} names one. */
    public List<String> sides() {
        List<String> nics = new ArrayList<>(interfaces());
        String clientSide = string("client_side");
        if (!clientSide.equals("auto") && nics.remove(clientSide)) {
            nics.add(0, clientSide);
        }
        return nics;
    }

    public TrackerConfig trackerConfig() {
        TrackerConfig d = TrackerConfig.defaults();
        return new TrackerConfig(integer("tables.connections"), integer("tables.servers"), integer("tables.problems"),
                integer("tables.arp"), integer("tables.dns"), nanos("tcp.syn-timeout"), nanos("tcp.synack-timeout"),
                nanos("tcp.linger"), nanos("tcp.idle-timeout"), nanos("tcp.zero-window-min"), integer("arp.min-requests"),
                nanos("arp.timeout"), nanos("dns.timeout"), d.sweepIntervalNanos(), ipv6Dot1xConfig());
    }

    /** The IPv6 neighbour discovery and 802.1X rules: {@code nd.*}, {@code ipv6.allowed-routers}, {@code dot1x.*}. */
    public Ipv6Dot1xConfig ipv6Dot1xConfig() {
        Ipv6Dot1xConfig d = Ipv6Dot1xConfig.defaults();
        return new Ipv6Dot1xConfig(d.routers(), d.neighbors(), d.dadProbes(), d.dot1xDevices(), d.authenticators(),
                integer("nd.min-requests"), nanos("nd.timeout"), nanos("nd.router-window"),
                (long[]) values.get("ipv6.allowed-routers"), integer("dot1x.min-requests"), nanos("dot1x.timeout"),
                nanos("dot1x.window"), string("client_side").equals("auto") ? -1 : 0); // sides(): the client side first
    }

    /** The reporting rules: {@code report.*} and {@code diagnose.*}. */
    public Reporter.Settings reportSettings() {
        return new Reporter.Settings(nanos("report.pass"), nanos("report.interval"), nanos("report.repeat"),
                nanos("report.retire"), integer("diagnose.host-min-attempts"), integer("diagnose.max-ports-per-host"),
                integer("diagnose.max-host-down"), integer("diagnose.max-servers-per-client"),
                integer("diagnose.max-names-per-dns-server"));
    }

    /** The DHCP rules: {@code dhcp.*}. */
    public DhcpSettings dhcpSettings() {
        return new DhcpSettings(integer("dhcp.min-attempts"), nanos("dhcp.timeout"), nanos("dhcp.nak-window"),
                nanos("dhcp.server-window"), (int[]) values.get("dhcp.allowed-servers"));
    }

    /** Everything the engine is built from. */
    public EngineSettings engineSettings() {
        return new EngineSettings(trackerConfig(), reportSettings()).withDhcp(dhcpSettings());
    }

    private long nanos(String key) {
        return duration(key).toNanos();
    }

    // ---- parsers ----
    static Object nicList(String v) {
        List<String> nics = Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (nics.isEmpty() || nics.size() > 2 || nics.stream().anyMatch(n -> !n.matches("[A-Za-z0-9_.:@-]{1,15}"))
                || nics.stream().distinct().count() != nics.size()) {
            throw new IllegalArgumentException(v);
        }
        return nics;
    }

    /** IPv6 addresses as (hi, lo) word pairs. */
    static Object ipv6List(String v) {
        List<String> items = Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        long[] words = new long[items.size() * 2];
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).contains(":")) {
                throw new IllegalArgumentException(v);
            }
            long[] a = org.tapdoctor.wire.IpAddresses.parse(items.get(i));
            words[2 * i] = a[0];
            words[2 * i + 1] = a[1];
        }
        return words;
    }

    static Object deviceId(String v) {
        if (!v.isEmpty() && !v.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException(v);
        }
        return v;
    }

    static Object mqttUrl(String v) {
        if (v.isEmpty()) {
            return v;
        }
        java.net.URI u = java.net.URI.create(v);
        if (!("tcp".equals(u.getScheme()) || "ssl".equals(u.getScheme())) || u.getHost() == null
                || (u.getPath() != null && !u.getPath().isEmpty()) || u.getQuery() != null || u.getUserInfo() != null) {
            throw new IllegalArgumentException(v);
        }
        return v;
    }

    static Object mqttPrefix(String v) {
        if (v.contains("+") || v.contains("#") || v.startsWith("/") || v.endsWith("/") || v.contains("\u0000")) {
            throw new IllegalArgumentException(v);
        }
        return v;
    }

    static Object discoveryPrefix(String v) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException(v);
        }
        return mqttPrefix(v);
    }

    /** {@code 192.0.2.2,192.0.2.3}: IPv4 addresses (as big-endian ints); empty for none. */
    static Object ipv4List(String v) {
        List<String> parts = Arrays.stream(v.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();
        int[] out = new int[parts.size()];
        for (int i = 0; i < out.length; i++) {
            String[] q = parts.get(i).split("\\.", -1);
            if (q.length != 4) {
                throw new IllegalArgumentException(v);
            }
            for (String octet : q) {
                if (!octet.matches("\\d{1,3}") || Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException(v);
                }
                out[i] = out[i] << 8 | Integer.parseInt(octet);
            }
        }
        return out;
    }

    static Object oneOf(String v, String... allowed) {
        if (!Arrays.asList(allowed).contains(v)) {
            throw new IllegalArgumentException(v);
        }
        return v;
    }

    static Object intIn(String v, int min, int max) {
        int n = Integer.parseInt(v.replace("_", ""));
        if (n < min || n > max) {
            throw new IllegalArgumentException(v);
        }
        return n;
    }

    /** {@code 0x27} or {@code 39}: a 7-bit address outside the reserved ones (0x08..0x77). */
    static Object i2cAddress(String v) {
        int a = v.startsWith("0x") || v.startsWith("0X") ? Integer.parseInt(v.substring(2), 16) : Integer.parseInt(v);
        if (a < 0x08 || a > 0x77) {
            throw new IllegalArgumentException(v);
        }
        return a;
    }

    /** A duration as the configuration writes it: the largest unit that divides it ({@code 3s}, {@code 10ms}, {@code 1h}). */
    static String duration(long nanos) {
        long ms = nanos / 1_000_000L;
        if (ms * 1_000_000L != nanos || ms <= 0) {
            throw new IllegalArgumentException("not a whole number of milliseconds: " + nanos + " ns");
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0 && ms >= 60_000L * 60) {
            return ms / 60_000L + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static String format(Duration d) {
        return duration(d.toNanos());
    }

    /** {@code 250ms}, {@code 3s}, {@code 5m}, {@code 1h}; a positive duration. */
    static Object parseDuration(String v) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException(v);
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.isZero()) {
            throw new IllegalArgumentException(v);
        }
        return d;
    }

    /** A configuration error; the message is one line for the user. */
    public static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }
}
