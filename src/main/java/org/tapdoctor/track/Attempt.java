package org.tapdoctor.track;

/**
 * A read-only view of one TCP attempt (or connection) the tracker follows, handed to the
 * {@link TrackerListener} with each outcome: what the diagnose layer may know of it, without the
 * table's slots. Valid only during the call: the tracker reuses one view for every call, so
 * nothing is allocated. Times are nanoseconds of packet (or monotonic) time, or
 * {@link ConnectionTable#NONE}.
 */
public final class Attempt {
    private final ConnectionTable table;
    private int slot;
    private Request request;

    Attempt(ConnectionTable table) {
        this.table = table;
    }

    Attempt at(int slot) {
        this.slot = slot;
        return this;
    }

    /** Attaches the connection's first request to the next calls (null: none), see {@link #request()}. */
    Attempt request(Request r) {
        this.request = r;
        return this;
    }

    public long clientHi() { return table.clientHi(slot); }
    public long clientLo() { return table.clientLo(slot); }
    public int clientPort() { return table.clientPort(slot); }
    public long serverHi() { return table.serverHi(slot); }
    public long serverLo() { return table.serverLo(slot); }
    public int serverPort() { return table.serverPort(slot); }
    /** The outcome it reached, or null while it is open. */
    public Outcome outcome() { return table.outcome(slot); }
    /** The capture side (NIC index) the client's SYN came in on, or -1 when unknown. */
    public int clientSide() { return table.clientSide(slot); }
    /** The first SYN's time, or {@link ConnectionTable#NONE} when the SYN was not seen. */
    public long firstSyn() { return table.firstSyn(slot); }
    public long firstSynAck() { return table.firstSynAck(slot); }
    /** When the handshake completed, or {@link ConnectionTable#NONE}. */
    public long established() { return table.established(slot); }
    /** SYNs of this attempt (retransmissions included). */
    public int synCount() { return table.synCount(slot); }
    /** Whether the client retransmitted its SYN before the first SYN/ACK (not after it). */
    public boolean synRetriedBeforeAnswer() { return table.flag(slot, ConnectionTable.F_SYN_RETRIED); }
    /** SYN/ACKs of this attempt (retransmissions included). */
    public int synAckCount() { return table.synAckCount(slot); }
    /** The client's initial sequence number. */
    public int clientIsn() { return table.clientIsn(slot); }
    /**
     * The client's first request when the outcome was decided after it (a reset after the request,
     * a failed TLS handshake), or null.
     */
    public Request request() { return request; }
    /** The TTL of the server's SYN/ACK on this connection, or -1. */
    public int serverTtl() { return table.serverTtl(slot); }
    /**
     * The TTL (hop limit) of the client's SYN at the tap, or -1: valid while the attempt waits for
     * its answer and when an ICMP error concluded it (the table keeps the concluding RST's TTL there).
     */
    public int synTtl() { return table.lastTtl(slot); }
    /** When the attempt began: its first SYN, else its first SYN/ACK, else {@code fallback}. */
    public long start(long fallback) {
        long s = firstSyn();
        if (s != ConnectionTable.NONE) {
            return s;
        }
        s = firstSynAck();
        return s != ConnectionTable.NONE ? s : fallback;
    }
}
