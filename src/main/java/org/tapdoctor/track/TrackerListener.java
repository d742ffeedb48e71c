package org.tapdoctor.track;

import org.tapdoctor.wire.DecodedFrame;

/**
 * What the tracker tells the diagnoser: the outcomes of attempts, and the facts that change a
 * server-level verdict. Called on the capture thread, on the packet path: an implementation must
 * not block and must not allocate. The views passed in ({@link Attempt}, {@link ArpClaims},
 * {@link DnsQuery}) are read-only and valid only during the call.
 */
public interface TrackerListener {
    /**
     * Where a rogue's frames came in ({@link #onDhcpServer}, {@link #onRogueRouter}): not known
     * (a file, or {@code client_side} "auto"), on the client-side NIC, or on the other one.
     */
    int HEARD_UNKNOWN = 0, HEARD_CLIENT_SIDE = 1, HEARD_NETWORK_SIDE = 2;

    /**
     * An attempt reached an outcome.
     * @param decidingFrame the frame that decided it (the SYN/ACK's ACK, the RST, the ICMP error), or
     *        null when a timeout decided it
     */
    void onOutcome(Attempt attempt, Outcome outcome, long timeNanos, DecodedFrame decidingFrame);

    /** A late answer showed that an outcome reported earlier ({@code previous}) was wrong: take it back. */
    void onRetract(Attempt attempt, Outcome previous);

    /** A SYN retransmission arrived after the attempt was concluded (counted as evidence). */
    void onLateSyn(Attempt attempt, long timeNanos);

    /**
     * A side kept a zero window from {@code since} to {@code until}, at least the configured minimum.
     * @param endedByRst that side then reset the connection (with its window still closed)
     */
    void onZeroWindow(Attempt attempt, boolean serverSide, long since, long until, int segments, boolean endedByRst);

    /** ARP requests for {@code ip} went unanswered. */
    void onHostDown(int ip, int requests, int requesterIp, long first, long last);

    /** An ARP packet claimed an address while another MAC also claims it. */
    void onDuplicateIp(ArpClaims claims, long timeNanos);

    /**
     * A DNS query failed: {@code rcode} 2, 3 or 5 from the response, or {@link DnsTable#NO_RESPONSE}.
     * @param repeat false for the failure itself; true when the client retransmits a query that
     *        already failed (one more query message of the same failure)
     */
    void onDnsFailure(DnsQuery query, int rcode, long timeNanos, boolean repeat);

    /**
     * The server retransmitted its SYN/ACK after the client had acknowledged it and sent data the
     * server did not acknowledge (or, with {@code retransmissions} 0, a later client segment says
     * how much it had sent: {@code clientBytes}).
     * @param newAttempt the attempt's first such retransmission
     * @param retransmissions SYN/ACKs retransmitted after the client's ACK that this call reports
     * @param clientBytes what the client had sent and the server left unacknowledged, -1 when unknown
     */
    default void onSynAckAfterAck(Attempt attempt, long timeNanos, boolean newAttempt, int retransmissions,
                                  long clientBytes) {
    }

    /** A port of a server got its first SYN/ACK: it works (a port_blocked verdict may follow for its other ports). */
    default void onPortWorks(long hostHi, long hostLo, int port, long timeNanos) {
    }

    /** The TTL the host's own packets arrive with changed (it tells its RSTs from a middlebox's). */
    default void onHostReference(long hostHi, long hostLo, long timeNanos) {
    }

    /** A DNS server answered a name with data (a search-list NXDOMAIN for a longer name is then no failure). */
    default void onNameAnswered(long serverHi, long serverLo, long nameHash) {
    }

    // ---- DHCP and addresses (docs/diagnosis-rules.md section 4, the site kinds) ----

    /**
     * A device's DHCP attempts failed ({@link DhcpTracker}); called again with the figures as they
     * stand when the same run makes more attempts ({@code first} is the run's, unchanged).
     * @param mac the device (chaddr); {@code ip} its leased address, or 0
     * @param server the server its messages or the replies to it named, or 0; {@code relay} the giaddr, or 0
     */
    default void onDhcpFailure(long mac, int ip, int server, int relay, int discovers, int requests, int naks,
                               int offers, long first, long last) {
    }

    /**
     * Two DHCP servers or more replied within {@code dhcp.server-window}: {@code server} as it
     * stands, {@code siteServer} the site's (0 when none is known). {@code server == siteServer}
     * says the site's server changed to it: a report of it as a rogue is taken back. Live, with
     * {@code client_side} set, a server heard on the client-side NIC is a rogue alone too.
     * @param heardOn {@link #HEARD_UNKNOWN}, {@link #HEARD_CLIENT_SIDE} or {@link #HEARD_NETWORK_SIDE}
     */
    default void onDhcpServer(int server, int siteServer, long offers, long bindings, int router, long leaseSeconds,
                              int heardOn, long first, long last) {
    }

    /** A device used a 169.254/16 address (RFC 3927): an ARP announcement or an IP packet from it. */
    default void onLinkLocalAddress(long mac, int ip, int dhcpDiscovers, long timeNanos) {
    }

    /**
     * ARP requests for the asker's gateway went unanswered ({@link #onHostDown} of a gateway).
     * @param learnedFrom {@link Gateways#LEARNED_DHCP} or {@link Gateways#LEARNED_TRAFFIC}
     */
    default void onGatewayDown(int ip, int requests, int requesterIp, long requesterMac, int learnedFrom, long first,
                               long last) {
        onHostDown(ip, requests, requesterIp, first, last);
    }

    /**
     * An ICMP fragmentation needed or ICMPv6 packet too big quoted a segment of this connection.
     * @param first whether it is the connection's first such message
     */
    default void onPathMtu(Attempt attempt, DecodedFrame icmp, boolean first) {
    }

    /**
     * A side's full-size segment at the head of its unacknowledged data was retransmitted
     * {@code retransmissions} times from {@code since} to {@code until} and never acknowledged, while a
     * smaller one ({@code ackedPayload} bytes) of the same side was: an MTU black hole. Once per side
     * and connection.
     */
    default void onMtuBlackhole(Attempt attempt, boolean serverSends, int lostPayload, int ackedPayload,
                                int retransmissions, long since, long until) {
    }

    /** Neighbour solicitations (not DAD probes) for an IPv6 target went unanswered ({@link Ipv6NeighborTable}). */
    default void onNeighborUnanswered(long targetHi, long targetLo, long askerHi, long askerLo, int solicitations,
            long first, long last) {
    }

    /** Another MAC answered a DAD probe for an IPv6 address with an NA: the address is taken ({@link Ipv6NeighborTable}). */
    default void onAddressDefended(long hi, long lo, long proberMac, long ownerMac, int probes, int answers,
            long probeTime, long timeNanos) {
    }

    /**
     * A router judged rogue advertised ({@link RouterTable}): its address and MAC, router lifetime,
     * first prefix (length -1: none), the site's router (0, 0 when none other is known), and where
     * its RAs came in ({@link #HEARD_UNKNOWN}, {@link #HEARD_CLIENT_SIDE}, {@link #HEARD_NETWORK_SIDE}).
     */
    default void onRogueRouter(long hi, long lo, long mac, int routerLifetime, long prefixHi, long prefixLo,
            int prefixLength, long siteHi, long siteLo, int heardOn, long first, long timeNanos) {
    }

    /**
     * An EAP-Success or EAP-Failure for an 802.1X device ({@link Dot1xTable}): its failures so far,
     * the EAP method it last answered (-1), its authenticator, and its identity (length -1: none;
     * the bytes are valid only during the call).
     */
    default void onDot1xOutcome(long device, boolean success, int failures, int method, long authenticator,
            byte[] identity, int identityOffset, int identityLength, long timeNanos) {
    }

    /** An authenticator's Request/Identity to a device went unanswered, repeatedly ({@link Dot1xTable}). */
    default void onDot1xUnanswered(long device, int requests, long authenticator, long first, long last) {
    }
}
