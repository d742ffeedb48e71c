package org.tapdoctor.track;

/**
 * A read-only view of a connection's first client request ({@link RequestTable}), handed to the
 * listener through {@link Attempt#request()} with the outcome it decided: valid only during the
 * call (the view is reused, nothing is allocated).
 */
public final class Request {
    private final RequestTable table;
    private int slot;

    Request(RequestTable table) {
        this.table = table;
    }

    Request at(int slot) {
        this.slot = slot;
        return this;
    }

    /** When the client's first data segment was seen. */
    public long time() { return table.time(slot); }
    /** The bytes the client had sent with its first data segment. */
    public long clientBytes() { return table.clientBytes(slot); }
    /** Whether the request was a TLS ClientHello. */
    public boolean clientHello() { return table.clientHello(slot); }
    /** The ClientHello's first offered version (supported_versions, else legacy_version), -1 when not read. */
    public int clientVersion() { return table.clientVersion(slot); }
    /** The server name: {@link #sniLength()} bytes of {@link #sniBytes()} from {@link #sniOffset()}; 0 when none. */
    public byte[] sniBytes() { return table.names(); }
    public int sniOffset() { return slot * (RequestTable.MAX_SNI + 1); }
    public int sniLength() { return table.sniLength(slot); }
    /** How the server side answered ({@link RequestTable#ALERT}, ...; {@link RequestTable#NONE} while unanswered). */
    public int answer() { return table.answerOf(slot); }
    /** The fatal alert's level and description, -1 when the answer was not an alert. */
    public int alertLevel() { return table.alertLevel(slot); }
    public int alertDescription() { return table.alertDescription(slot); }
}
