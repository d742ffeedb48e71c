package org.tapdoctor.diagnose;

import org.tapdoctor.track.Attempt;

/**
 * A view of one problem held in the {@link ProblemTable}: what a kind's rule records (through its
 * own named {@link #value values}) and later reads to build its evidence. One view is reused for
 * every problem (nothing is allocated); it is valid until {@link #at} moves it.
 */
public final class Problem {
    private final ProblemTable table;
    private int e = -1;

    Problem(ProblemTable table) {
        this.table = table;
    }

    /** Moves the view to entry {@code entry}. */
    Problem at(int entry) {
        this.e = entry;
        return this;
    }

    int entry() {
        return e;
    }

    public Kind kind() { return table.kind(e); }
    public long serverHi() { return table.hi(e); }
    public long serverLo() { return table.lo(e); }
    /** The server's port, -1 when the problem is about a host. */
    public int serverPort() { return table.port(e); }
    public long extra() { return table.extra(e); }
    /** Occurrences aggregated (attempts, failed queries, ...). */
    public long count() { return table.count(e); }
    public long first() { return table.first(e); }
    public long last() { return table.last(e); }
    /** SYNs seen over the attempts (retransmissions included). */
    public long syn() { return table.syn(e); }
    public long clientHi() { return table.clientHi(e); }
    public long clientLo() { return table.clientLo(e); }
    /** The first occurrence's client port, -1 when the kind has none. */
    public int clientPort() { return table.clientPort(e); }
    /** The capture side (NIC index) of the first occurrence's client, -1 when unknown. */
    public int clientSide() { return table.clientSide(e); }
    public Clients clients() { return new Clients(table.clientCount(e), table.clientsCapped(e)); }

    /** One of the kind's own values ({@code n} below {@link ProblemTable#VALUES}); -1 until set. */
    public long value(int n) { return table.value(e, n); }

    public void value(int n, long v) { table.value(e, n, v); }

    /** The kept DNS name (wire form) of this problem: {@link #nameLength()} bytes of {@link #names()} from {@link #nameOffset()}. */
    public byte[] names() { return table.names(); }

    public int nameOffset() { return table.nameOffset(e); }

    public int nameLength() { return table.nameLength(e); }

    /** Keeps a name (at most {@link ProblemTable#MAX_NAME} bytes of wire form). */
    public void name(byte[] src, int off, int len) {
        table.name(e, src, off, len);
    }

    /**
     * One more occurrence, which began at {@code start} and was decided at {@code end}, from a
     * client: the first occurrence names the problem's client, {@code first} and {@code last}
     * widen, the distinct clients grow.
     */
    public void occurrence(long start, long end, long cHi, long cLo, int cPort, int side) {
        long n = table.count(e);
        if (n == 0 || start < table.first(e)) {
            table.first(e, start);
            table.client(e, cHi, cLo, cPort);
            table.clientSide(e, side);
        }
        if (n == 0 || end > table.last(e)) {
            table.last(e, end);
        }
        table.count(e, n + 1);
        table.addClient(e, cHi, cLo);
    }

    /** One more occurrence of a TCP attempt: its start, its client, its SYNs. */
    public void occurrence(Attempt a, long decidedAt) {
        occurrence(a.start(decidedAt), decidedAt, a.clientHi(), a.clientLo(), a.clientPort(), a.clientSide());
        addSyn(a.synCount());
    }

    /** Takes one occurrence back (a late answer proved it wrong). */
    public void retract(long syns) {
        if (table.count(e) > 0) {
            table.count(e, table.count(e) - 1);
        }
        addSyn(-syns);
    }

    public void addSyn(long n) { table.syn(e, table.syn(e) + n); }

    /** Later evidence of the same occurrence (a late SYN, a retransmitted query). */
    public void touch(long time) {
        if (time > table.last(e)) {
            table.last(e, time);
        }
    }
}
