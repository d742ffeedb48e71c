package org.tapdoctor.diagnose;

/**
 * Where a live diagnosis sits on the box: the NIC the client is behind, the NIC toward the
 * server, and where the evidence points. Only live capture knows sides; replayed files have none.
 * Immutable and thread-safe.
 *
 * @param clientSide the NIC name on the client's side, or null when unknown
 * @param serverSide the NIC name toward the server, or null when unknown
 * @param fault where the evidence points, or null when it does not say
 */
public record Placement(String clientSide, String serverSide, Fault fault) {

    /** Where the evidence points. */
    public enum Fault {
        /** The SYN (or query) left the tap toward the server and nothing, or the server's refusal, came back. */
        BEYOND_TAP,
        /** The server's answer left the tap toward the client and the client never completed. */
        CLIENT_SIDE,
        /** A RST or ICMP error came from a device between the tap and the server, not the server itself. */
        MIDDLEBOX;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
