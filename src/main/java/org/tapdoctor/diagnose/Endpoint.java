package org.tapdoctor.diagnose;

import java.util.Objects;

/**
 * An IP address and, when the diagnosis is about a port, the port: the {@code client} and
 * {@code server} objects of the JSON contract. The address is text (RFC 5952 for IPv6).
 * Immutable and thread-safe.
 *
 * @param ip the address in text form, never null
 * @param port 0..65535, or -1 when the diagnosis is about a host, not a port
 */
public record Endpoint(String ip, int port) {
    public Endpoint {
        Objects.requireNonNull(ip, "ip");
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port + " (expected -1..65535)");
        }
    }

    public static Endpoint host(String ip) {
        return new Endpoint(ip, -1);
    }

    public boolean hasPort() {
        return port >= 0;
    }

    @Override
    public String toString() {
        if (!hasPort()) {
            return ip;
        }
        return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;
    }
}
