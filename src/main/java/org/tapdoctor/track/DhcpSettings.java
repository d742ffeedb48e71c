package org.tapdoctor.track;

import java.util.Arrays;

/**
 * The DHCP rules' keys (docs/diagnosis-rules.md section 4, the site kinds): how many unanswered
 * DISCOVERs or REQUESTs a device makes before {@code dhcp_failure}, how long after its last one,
 * how long a NAKed device has to get a lease, and over what window two servers offering make one
 * a rogue. Times in nanoseconds of packet time (replay) or of the monotonic clock (live).
 * Immutable (the allowed list is copied in and out).
 *
 * @param minAttempts {@code dhcp.min-attempts}: DISCOVERs with no OFFER, or REQUESTs with no ACK or NAK
 * @param timeoutNanos {@code dhcp.timeout}: quiet time after the last attempt before it is judged
 * @param nakWindowNanos {@code dhcp.nak-window}: a NAKed device must get a lease within this
 * @param serverWindowNanos {@code dhcp.server-window}: servers replying within this of each other are on the segment together
 * @param allowedServers {@code dhcp.allowed-servers}: the site's server identifiers (IPv4 as int); empty: judged by bindings
 */
public record DhcpSettings(int minAttempts, long timeoutNanos, long nakWindowNanos, long serverWindowNanos,
                           int[] allowedServers) {
    private static final long S = 1_000_000_000L;

    public DhcpSettings {
        if (minAttempts < 1) {
            throw new IllegalArgumentException("minAttempts must be >= 1: " + minAttempts);
        }
        if (timeoutNanos <= 0 || nakWindowNanos <= 0 || serverWindowNanos <= 0) {
            throw new IllegalArgumentException("DHCP times must be > 0");
        }
        allowedServers = allowedServers.clone();
    }

    /** dhcp.min-attempts 3, dhcp.timeout 4s, dhcp.nak-window 60s, dhcp.server-window 10m, no allowed list. */
    public static DhcpSettings defaults() {
        return new DhcpSettings(3, 4 * S, 60 * S, 600 * S, new int[0]);
    }

    @Override
    public int[] allowedServers() {
        return allowedServers.clone();
    }

    /** Whether the allowed list is set and names this server. */
    boolean allowed(int server) {
        for (int a : allowedServers) {
            if (a == server) {
                return true;
            }
        }
        return false;
    }

    boolean hasAllowedList() {
        return allowedServers.length > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhcpSettings d && d.minAttempts == minAttempts && d.timeoutNanos == timeoutNanos
                && d.nakWindowNanos == nakWindowNanos && d.serverWindowNanos == serverWindowNanos
                && Arrays.equals(d.allowedServers, allowedServers);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(allowedServers) * 31 + Long.hashCode(timeoutNanos) + minAttempts;
    }

    @Override
    public String toString() {
        return "DhcpSettings[minAttempts=" + minAttempts + ", timeoutNanos=" + timeoutNanos + ", nakWindowNanos="
                + nakWindowNanos + ", serverWindowNanos=" + serverWindowNanos + ", allowedServers="
                + Arrays.toString(allowedServers) + "]";
    }
}
