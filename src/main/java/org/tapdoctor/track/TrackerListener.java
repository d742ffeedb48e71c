package org.tapdoctor.track;

import org.tapdoctor.wire.DecodedFrame;

/**
 * What the tracker tells the diagnoser. Called on the capture thread, on the packet path: an
 * implementation must not block and should not allocate. Table slots passed in are valid only
 * during the call.
 */
public interface TrackerListener {

    /**
     * An attempt reached an outcome.
     * @param evidence the frame that decided it (the SYN/ACK's ACK, the RST, the ICMP error), or null
     *        when a timeout decided it
     */
    void onOutcome(ConnectionTable table, int slot, Outcome outcome, long timeNanos, DecodedFrame evidence);

    /** A late answer showed that an outcome reported earlier ({@code previous}) was wrong: take it back. */
    void onRetract(ConnectionTable table, int slot, Outcome previous);

    /** A SYN retransmission arrived after the attempt was concluded (counted as evidence). */
    void onLateSyn(ConnectionTable table, int slot, long timeNanos);

    /** A side kept a zero window from {@code since} to {@code until}, at least the configured minimum. */
    void onZeroWindow(ConnectionTable table, int slot, boolean serverSide, long since, long until, int segments);

    /** ARP requests for {@code ip} went unanswered. */
    void onHostDown(int ip, int requests, int requesterIp, long first, long last);

    /** An ARP packet claimed {@code ip} while another MAC also claims it. */
    void onDuplicateIp(ArpTable table, int slot, long timeNanos);

    /**
     * A DNS query failed: {@code rcode} 2, 3 or 5 from the response, or {@link DnsTable#NO_RESPONSE}.
     * @param repeat false for the failure itself; true when the client retransmits a query that
     *        already failed (one more query message of the same failure)
     */
    void onDnsFailure(DnsTable table, int slot, int rcode, long timeNanos, boolean repeat);
}
