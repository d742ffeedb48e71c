package org.tapdoctor.track;

/**
 * A read-only view of one DNS query the tracker follows, handed to the {@link TrackerListener}
 * when it fails: valid only during the call (the view is reused, nothing is allocated).
 */
public final class DnsQuery {
    private final DnsTable table;
    private int slot;

    DnsQuery(DnsTable table) {
        this.table = table;
    }

    DnsQuery at(int slot) {
        this.slot = slot;
        return this;
    }

    public long clientHi() { return table.clientHi(slot); }
    public long clientLo() { return table.clientLo(slot); }
    public int clientPort() { return table.clientPort(slot); }
    public long serverHi() { return table.serverHi(slot); }
    public long serverLo() { return table.serverLo(slot); }
    /** When the query was first seen. */
    public long first() { return table.first(slot); }
    /** When it was last seen (its last retransmission, or the failing answer). */
    public long last() { return table.last(slot); }
    /** Query messages seen (the retransmissions included). */
    public int queries() { return table.queries(slot); }
    /** The question's type (1 A, 28 AAAA, ...), -1 when none. */
    public int qtype() { return table.qtype(slot); }
    /** The question's name in wire form: {@link #nameLength()} bytes of {@link #nameBytes()} from {@link #nameOffset()}. */
    public byte[] nameBytes() { return table.names(); }
    public int nameOffset() { return slot * DnsTable.MAX_NAME; }
    public int nameLength() { return table.nameLength(slot); }
    /** The query types ({@link DnsTable#TYPE_A}, {@link DnsTable#TYPE_AAAA}) of the same name recently answered to the same client. */
    public int answeredTypes() { return table.answeredTypes(slot); }
}
