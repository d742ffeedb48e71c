package org.tapdoctor.track;

/**
 * Table capacities and timeouts of the tracker. Capacities are fixed at start (tables never grow);
 * each is rounded up to a power of two. Timeouts are in nanoseconds of packet time (replay) or of
 * the monotonic clock (live). Defaults are sized for a Raspberry Pi 4 with 1 GB; the memory each
 * table costs is given by {@link #estimatedBytes()} and documented in the README.
 *
 * @param connections TCP attempts and connections followed at once
 * @param serverPorts (server address, port) pairs with outcome counters
 * @param problems distinct aggregated problems (kind, server, port, ...) held by the diagnoser
 * @param arpHosts IPv4 addresses with ARP state (claims, unanswered requests)
 * @param dnsQueries outstanding DNS queries
 * @param ipv6Dot1x the IPv6 neighbour discovery and 802.1X tables and rules
 */
public record TrackerConfig(int connections, int serverPorts, int problems, int arpHosts, int dnsQueries,
                            long synTimeoutNanos, long synAckTimeoutNanos, long lingerNanos, long idleTimeoutNanos,
                            long zeroWindowMinNanos, int arpMinRequests, long arpTimeoutNanos, long dnsTimeoutNanos,
                            long sweepIntervalNanos, Ipv6Dot1xConfig ipv6Dot1x) {

    private static final long S = 1_000_000_000L;

    public static TrackerConfig defaults() {
        return new TrackerConfig(65_536, 16_384, 4_096, 4_096, 8_192,
                3 * S, 3 * S, 75 * S, 300 * S, 2 * S, 3, 3 * S, 5 * S, S / 4, Ipv6Dot1xConfig.defaults());
    }

    public TrackerConfig {
        requirePositive("connections", connections);
        requirePositive("serverPorts", serverPorts);
        requirePositive("problems", problems);
        requirePositive("arpHosts", arpHosts);
        requirePositive("dnsQueries", dnsQueries);
        requirePositive("synTimeoutNanos", synTimeoutNanos);
        requirePositive("synAckTimeoutNanos", synAckTimeoutNanos);
        requirePositive("sweepIntervalNanos", sweepIntervalNanos);
        java.util.Objects.requireNonNull(ipv6Dot1x, "ipv6Dot1x");
    }

    public TrackerConfig withConnections(int n) {
        return new TrackerConfig(n, serverPorts, problems, arpHosts, dnsQueries, synTimeoutNanos, synAckTimeoutNanos,
                lingerNanos, idleTimeoutNanos, zeroWindowMinNanos, arpMinRequests, arpTimeoutNanos, dnsTimeoutNanos,
                sweepIntervalNanos, ipv6Dot1x);
    }

    public TrackerConfig withIpv6Dot1x(Ipv6Dot1xConfig c) {
        return new TrackerConfig(connections, serverPorts, problems, arpHosts, dnsQueries, synTimeoutNanos,
                synAckTimeoutNanos, lingerNanos, idleTimeoutNanos, zeroWindowMinNanos, arpMinRequests, arpTimeoutNanos,
                dnsTimeoutNanos, sweepIntervalNanos, c);
    }

    public TrackerConfig withTables(int connections, int serverPorts, int problems, int arpHosts, int dnsQueries) {
        return new TrackerConfig(connections, serverPorts, problems, arpHosts, dnsQueries, synTimeoutNanos,
                synAckTimeoutNanos, lingerNanos, idleTimeoutNanos, zeroWindowMinNanos, arpMinRequests, arpTimeoutNanos,
                dnsTimeoutNanos, sweepIntervalNanos, ipv6Dot1x);
    }

    /** Approximate heap bytes of the tracker's tables at these capacities (the problems are the diagnoser's). */
    public long estimatedBytes() {
        return ConnectionTable.bytesFor(connections)
                + (long) Tables.slotsFor(serverPorts) * ServerTable.BYTES_PER_SLOT
                + (long) Tables.slotsFor(arpHosts) * ArpTable.BYTES_PER_SLOT
                + (long) Tables.slotsFor(dnsQueries) * DnsTable.BYTES_PER_SLOT
                + (long) Tables.slotsFor(RequestTable.capacityFor(connections)) * RequestTable.BYTES_PER_SLOT
                + KnownClients.BYTES
                + ipv6Dot1x.estimatedBytes()
                + (long) Tables.slotsFor(DhcpDevices.CAPACITY) * DhcpDevices.BYTES_PER_SLOT + DhcpServers.BYTES + Gateways.BYTES
                + NextHops.BYTES;
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0: " + value);
        }
    }
}
