package org.tapdoctor.track;

/**
 * Counters of everything the tracker saw, for the summary and the periodic stats. Plain longs,
 * written by the capture thread; readers on other threads may see slightly stale values.
 */
public final class TrackerStats {
    public long frames;
    public long tcpSegments;
    public long syns;
    public long synRetransmissions;
    public long synAcks;
    /** SYN/ACKs the server retransmitted after the client had acknowledged one (server_overloaded's evidence). */
    public long synAcksAfterAck;
    public long attempts;
    public long handshakesOk;
    public long handshakesFailed;
    /** Segments of connections whose handshake the tap never saw. */
    public long midstreamSegments;
    public long icmpErrors;
    public long icmpUnmatched;
    /** SYNs with a TTL below {@link TcpTracker#PROBE_TTL} at the tap: traceroute probes, not followed. */
    public long tracerouteProbes;
    public long arpPackets;
    public long dnsMessages;
    public long abortiveCloses;
    public long clientAborts;
    public long oddHandshakes;
    /** Handshake options seen in SYNs (client side) and SYN/ACKs (server side). */
    public long clientMss, clientWindowScale, clientSackPermitted, clientTimestamps;
    public long serverMss, serverWindowScale, serverSackPermitted, serverTimestamps;
    public long synToSynAckNanos, synToSynAckCount, synAckToAckNanos, synAckToAckCount;
}
