package org.tapdoctor.track;

import java.util.Arrays;

/**
 * The IPv6 neighbour discovery and 802.1X part of the tracker's configuration (keys {@code nd.*},
 * {@code ipv6.allowed-routers}, {@code dot1x.*}; docs/diagnosis-rules.md section 4). Capacities are
 * fixed: a segment has few routers and authenticators; neighbours are as many as ARP's hosts.
 * Times are nanoseconds of packet time (replay) or of the monotonic clock (live). Immutable.
 *
 * @param routers IPv6 routers held at once (source address, MAC)
 * @param neighbors IPv6 addresses with unanswered neighbour solicitations
 * @param dadProbes duplicate address detection probes waiting for an answer
 * @param dot1xDevices 802.1X supplicants (by MAC)
 * @param authenticators 802.1X authenticators (by MAC)
 * @param ndMinRequests {@code nd.min-requests}: solicitations for one target before it is down
 * @param ndTimeoutNanos {@code nd.timeout}: quiet after the last solicitation
 * @param routerWindowNanos {@code nd.router-window}: how long a router counts after its last RA (or a withdrawn one)
 * @param allowedRouters {@code ipv6.allowed-routers}: the site's routers, two words (hi, lo) each; empty: none listed
 * @param dot1xMinRequests {@code dot1x.min-requests}: unanswered Request/Identity before a device has no supplicant
 * @param dot1xTimeoutNanos {@code dot1x.timeout}: quiet after the last request
 * @param dot1xWindowNanos {@code dot1x.window}: a device's 802.1X history is forgotten after this idle time
 * @param clientSide the capture side index of the client-side NIC when {@code client_side} names one (live), else -1
 */
public record Ipv6Dot1xConfig(int routers, int neighbors, int dadProbes, int dot1xDevices, int authenticators,
        int ndMinRequests, long ndTimeoutNanos, long routerWindowNanos, long[] allowedRouters, int dot1xMinRequests,
        long dot1xTimeoutNanos, long dot1xWindowNanos, int clientSide) {
    private static final long S = 1_000_000_000L;

    public Ipv6Dot1xConfig {
        allowedRouters = allowedRouters.clone();
        if ((allowedRouters.length & 1) != 0) {
            throw new IllegalArgumentException("allowedRouters: pairs of words, got " + allowedRouters.length);
        }
    }

    public static Ipv6Dot1xConfig defaults() {
        return new Ipv6Dot1xConfig(8, 4096, 256, 256, 4, 3, 3 * S, 600 * S, new long[0], 3, 3 * S, 600 * S, -1);
    }

    public Ipv6Dot1xConfig withAllowedRouters(long[] words) {
        return new Ipv6Dot1xConfig(routers, neighbors, dadProbes, dot1xDevices, authenticators, ndMinRequests,
                ndTimeoutNanos, routerWindowNanos, words, dot1xMinRequests, dot1xTimeoutNanos, dot1xWindowNanos, clientSide);
    }

    /** The same with the client side's capture index known (-1: unknown). */
    public Ipv6Dot1xConfig withClientSide(int side) {
        return new Ipv6Dot1xConfig(routers, neighbors, dadProbes, dot1xDevices, authenticators, ndMinRequests,
                ndTimeoutNanos, routerWindowNanos, allowedRouters, dot1xMinRequests, dot1xTimeoutNanos, dot1xWindowNanos,
                side);
    }

    /** Whether {@code ipv6.allowed-routers} lists the address. */
    public boolean allowedRouter(long hi, long lo) {
        for (int i = 0; i < allowedRouters.length; i += 2) {
            if (allowedRouters[i] == hi && allowedRouters[i + 1] == lo) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long[] allowedRouters() {
        return allowedRouters.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv6Dot1xConfig c && routers == c.routers && neighbors == c.neighbors
                && dadProbes == c.dadProbes && dot1xDevices == c.dot1xDevices && authenticators == c.authenticators
                && ndMinRequests == c.ndMinRequests && ndTimeoutNanos == c.ndTimeoutNanos
                && routerWindowNanos == c.routerWindowNanos && Arrays.equals(allowedRouters, c.allowedRouters)
                && dot1xMinRequests == c.dot1xMinRequests && dot1xTimeoutNanos == c.dot1xTimeoutNanos
                && dot1xWindowNanos == c.dot1xWindowNanos && clientSide == c.clientSide;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(allowedRouters) * 31 + Long.hashCode(routerWindowNanos + ndTimeoutNanos + dot1xWindowNanos);
    }

    @Override
    public String toString() {
        return "Ipv6Dot1xConfig[nd.min-requests=" + ndMinRequests + ", allowed routers " + allowedRouters.length / 2 + "]";
    }

    /** Heap bytes of the tables at these capacities. */
    public long estimatedBytes() {
        return (long) routers * RouterTable.BYTES_PER_SLOT
                + (long) Tables.slotsFor(neighbors) * Ipv6NeighborTable.BYTES_PER_SLOT
                + (long) Tables.slotsFor(dadProbes) * Ipv6NeighborTable.DAD_BYTES_PER_SLOT
                + (long) Tables.slotsFor(dot1xDevices) * Dot1xTable.BYTES_PER_DEVICE
                + (long) authenticators * Dot1xTable.BYTES_PER_AUTHENTICATOR;
    }
}
