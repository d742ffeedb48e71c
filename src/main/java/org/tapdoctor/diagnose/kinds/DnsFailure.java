package org.tapdoctor.diagnose.kinds;

import org.tapdoctor.diagnose.Clients;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.DnsNames;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.EvidenceWriter;
import org.tapdoctor.diagnose.Facts;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.diagnose.Problem;
import org.tapdoctor.diagnose.ProblemRule;
import org.tapdoctor.diagnose.Severity;
import org.tapdoctor.track.DnsQuery;
import org.tapdoctor.track.DnsTable;

/**
 * {@code dns_failure}: a response with RCODE SERVFAIL, NXDOMAIN or REFUSED, or a query with no
 * response {@code dns.timeout} after its last retransmission (docs/diagnosis-rules.md section 4):
 * name resolution is the problem, not TCP. Aggregated per (server, name, rcode): the problem's
 * extra key is the name's hash and the rcode. An NXDOMAIN for a name whose leading labels form a
 * name that resolved is the resolver trying its search list: no failure.
 */
public final class DnsFailure extends ProblemRule<DnsFailure.Evidence> {
    public static final int PORT = 53;
    private static final int RCODE = 0, QTYPE = 1, QUERIES = 2, ANSWERED_TYPES = 3;
    private static final int NXDOMAIN = 3;

    /**
     * @param rcode {@code NXDOMAIN}, {@code SERVFAIL}, {@code REFUSED} or {@code no_response}
     * @param query the question's name, {@code ?} when it was not seen
     * @param qtype the question's type ({@code A}, {@code AAAA}, ...)
     * @param queries query messages asked (retransmissions included)
     * @param answeredQtypes the other query types (A, AAAA) of the same name answered to the
     *        client meanwhile: one type fails while the other works; empty when none
     * @param waitedMs first query to the last one that failed, when another type was answered
     * @param clients distinct clients
     */
    public record Evidence(String rcode, String query, String qtype, long queries, java.util.List<String> answeredQtypes,
                           long waitedMs, Clients clients) implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put("rcode", rcode);
            w.put("query", query);
            w.put("qtype", qtype);
            w.put("queries", queries);
            if (!answeredQtypes.isEmpty()) {
                w.putStrings("answered_qtypes", answeredQtypes);
                w.put("waited_ms", waitedMs);
            }
            clients.write(w);
        }

        /** Nobody answered (as opposed to an error answer). */
        public boolean unanswered() {
            return rcode.equals(DnsNames.rcode(DnsTable.NO_RESPONSE));
        }

        /** The name, when it is whole (not cut short, not unknown): a name to match frames by. */
        String wholeQuery() {
            return query.equals("?") || query.endsWith("...") ? null : query;
        }
    }

    public DnsFailure(Kind kind) {
        super(kind, Severity.WARNING, "a DNS query failed (NXDOMAIN, SERVFAIL, REFUSED) or got no answer", Evidence.class);
    }

    /** The problem's extra key for a query's name and rcode. */
    public static long key(DnsQuery q, int rcode) {
        return DnsTable.nameHash(q.nameBytes(), q.nameOffset(), q.nameLength()) * 31 + rcode;
    }

    /**
     * Records a failed query, or with {@code repeat} one more retransmission of a query that
     * already failed (one more query message of the same failure).
     */
    public void record(Problem p, DnsQuery q, int rcode, long time, boolean repeat) {
        if (repeat) {
            p.value(QUERIES, Math.max(0, p.value(QUERIES)) + 1);
            p.touch(time);
            return;
        }
        p.occurrence(q.first(), time, q.clientHi(), q.clientLo(), q.clientPort(), -1);
        p.value(RCODE, rcode);
        p.value(QTYPE, q.qtype());
        p.value(QUERIES, Math.max(0, p.value(QUERIES)) + Math.max(1, q.queries()));
        int others = q.answeredTypes() & ~DnsTable.typeBit(q.qtype());
        if (others != 0) {
            p.value(ANSWERED_TYPES, Math.max(0, p.value(ANSWERED_TYPES)) | others);
        }
        if (p.nameLength() == 0) {
            p.name(q.nameBytes(), q.nameOffset(), q.nameLength());
        }
    }

    /** Whether the problem's rcode is NXDOMAIN (a later answer for a shorter name may dismiss it). */
    public static boolean nxdomain(Problem p) {
        return p.value(RCODE) == NXDOMAIN;
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        long answered = Math.max(0, p.value(ANSWERED_TYPES));
        java.util.List<String> types = new java.util.ArrayList<>(2);
        if ((answered & DnsTable.TYPE_A) != 0) {
            types.add("A");
        }
        if ((answered & DnsTable.TYPE_AAAA) != 0) {
            types.add("AAAA");
        }
        return new Evidence(rcode(p), query(p), qtype(p), queries(p), types, (p.last() - p.first()) / 1_000_000, p.clients());
    }

    /** The problem's rcode as its evidence names it ({@code NXDOMAIN}, {@code no_response}, ...). */
    public static String rcode(Problem p) {
        return DnsNames.rcode((int) p.value(RCODE));
    }

    public static String qtype(Problem p) {
        return DnsNames.qtype((int) p.value(QTYPE));
    }

    public static long queries(Problem p) {
        return Math.max(0, p.value(QUERIES));
    }

    /** The question's name, {@code ?} when it was not seen. */
    public static String query(Problem p) {
        return p.nameLength() == 0 ? "?" : DnsNames.name(p.names(), p.nameOffset(), p.nameLength());
    }

    /** A search-list expansion: NXDOMAIN for a name whose leading labels resolved. */
    @Override
    public boolean dismissed(Problem p, Facts facts) {
        if (!nxdomain(p)) {
            return false;
        }
        long[] hashes = new long[MAX_LABELS];
        int n = prefixHashes(p.names(), p.nameOffset(), p.nameLength(), hashes);
        for (int k = 0; k < n; k++) {
            if (facts.nameAnswered(hashes[k])) {
                return true;
            }
        }
        return false;
    }

    /** Labels of a name whose shorter forms are looked at (a DNS name has at most 127; search lists add a few). */
    public static final int MAX_LABELS = 32;

    /**
     * The {@link DnsTable#nameHash hashes} of the names made of a wire-form name's leading labels
     * (all but the last label, longest first, at most {@code into.length}), written into
     * {@code into}; their count. Allocation-free.
     */
    public static int prefixHashes(byte[] names, int off, int len, long[] into) {
        int end = off + len;
        int labels = 0;
        // count the labels, then hash each prefix walking again (no array of label ends)
        for (int at = off; at < end && names[at] != 0 && (names[at] & 0xC0) == 0; at += (names[at] & 0xFF) + 1) {
            labels++;
        }
        int n = 0;
        for (int k = labels - 1; k >= 1 && n < into.length; k--) {
            int at = off;
            for (int l = 0; l < k; l++) {
                at += (names[at] & 0xFF) + 1;
            }
            into[n++] = DnsTable.nameHash(names, off, at - off, true);
        }
        return n;
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        if (!e.answeredQtypes.isEmpty()) {
            String others = String.join(" and ", e.answeredQtypes);
            return e.qtype + " for " + e.query + (e.unanswered() ? " got no answer" : " got " + e.rcode) + " from DNS server "
                    + server.ip() + " while " + others + " did: the client waited "
                    + String.format(java.util.Locale.ROOT, "%.1f", e.waitedMs / 1000.0) + " s (" + e.queries + " queries)";
        }
        return e.unanswered()
                ? "DNS server " + server.ip() + " did not answer " + e.queries + " queries for " + e.query
                : "DNS server " + server.ip() + " answered " + e.rcode + " for " + e.query;
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "DNS";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        String what = e.unanswered() ? "no answer" : e.rcode;
        return (e.answeredQtypes.isEmpty() ? what : e.qtype + " " + what) + " " + e.query;
    }

    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return Fault.BEYOND_TAP;
    }

    /** The UDP exchange with the server for that name (any name when it was not read whole). */
    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return FrameSelection.attempts(d, e.clients, FrameSelection.UDP).withDnsQuery(e.wholeQuery());
    }
}
