package org.tapdoctor.diagnose;

import java.util.Objects;

/**
 * An IP address and, when the diagnosis is about a port, the port: the {@code client} and
 * {@code server} objects of the JSON contract. The address is text (RFC 5952 for IPv6). A device
 * found by its link layer (a DHCP or 802.1X client) also carries its {@code mac}, and may have no
 * address yet. Immutable and thread-safe.
 *
 * @param ip the address in text form; null only for a device known by its MAC alone
 * @param port 0..65535, or -1 when the diagnosis is about a host, not a port
 * @param mac the device's MAC ({@code 02:00:00:00:00:10}), or null when not known or not relevant
 */
public record Endpoint(String ip, int port, String mac) {
    public Endpoint {
        if (ip == null) {
            Objects.requireNonNull(mac, "ip (or mac)");
        }
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port + " (expected -1..65535)");
        }
    }

    public Endpoint(String ip, int port) {
        this(Objects.requireNonNull(ip, "ip"), port, null);
    }

    public static Endpoint host(String ip) {
        return new Endpoint(ip, -1);
    }

    /** A device by its MAC, and its address when it has one ({@code ip} may be null). */
    public static Endpoint device(String mac, String ip) {
        return new Endpoint(ip, -1, Objects.requireNonNull(mac, "mac"));
    }

    public boolean hasPort() {
        return port >= 0;
    }

    /** What names it in one word: its address, else its MAC. */
    public String name() {
        return ip != null ? ip : mac;
    }

    @Override
    public String toString() {
        if (ip == null || !hasPort()) {
            return name();
        }
        return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;
    }
}
