package org.tapdoctor.diagnose.kinds;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.EvidenceWriter;
import org.tapdoctor.diagnose.Facts;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.diagnose.Problem;
import org.tapdoctor.diagnose.ProblemRule;
import org.tapdoctor.diagnose.Severity;
import org.tapdoctor.wire.IpAddresses;

/**
 * {@code host_down}: ARP requests for an address, at least {@code arp.min-requests}, with no ARP
 * from it within {@code arp.timeout} (docs/diagnosis-rules.md section 4): the host is off,
 * unplugged or not on this segment. At most {@code diagnose.max-host-down} are listed at once; one
 * line without a server counts the others ({@link More}).
 */
public final class HostDown extends ProblemRule<HostDown.Evidence> {
    /** ARP requests over the rounds, and the first asker (IPv4). */
    private static final int REQUESTS = 0, REQUESTER = 1;

    /** The evidence of a host down, or of the line counting the ones not listed. */
    public sealed interface Evidence extends org.tapdoctor.diagnose.Evidence permits Unanswered, More {
    }

    /**
     * @param arpRequests requests nobody answered
     * @param requestedBy the first asker
     */
    public record Unanswered(long arpRequests, String requestedBy) implements Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put("arp_requests", arpRequests);
            w.put("requested_by", requestedBy);
        }
    }

    /**
     * @param moreHostsDown hosts down that are not listed
     * @param listed how many are listed
     */
    public record More(int moreHostsDown, int listed) implements Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put("more_hosts_down", moreHostsDown);
            w.put("listed", listed);
        }
    }

    public HostDown(Kind kind) {
        super(kind, Severity.CRITICAL, "ARP requests for an on-link address went unanswered", Evidence.class);
    }

    /** Records one round of unanswered requests for the problem's address. */
    public void record(Problem p, int requests, int requesterIp, long first, long last) {
        p.occurrence(first, last, IpAddresses.V4_HI, IpAddresses.v4Lo(requesterIp), -1, -1);
        p.value(REQUESTS, Math.max(0, p.value(REQUESTS)) + requests);
        if (p.value(REQUESTER) < 0) {
            p.value(REQUESTER, requesterIp & 0xFFFF_FFFFL);
        }
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        return new Unanswered(Math.max(0, p.value(REQUESTS)), IpAddresses.formatV4((int) p.value(REQUESTER)));
    }

    /** Server: the asked-for address; client: the first asker (no ports). */
    @Override
    public Diagnosis diagnosis(Problem p, Facts facts) {
        Unanswered e = (Unanswered) evidence(p, facts);
        return diagnosis(key(p), Endpoint.host(e.requestedBy()), Endpoint.host(IpAddresses.format(p.serverHi(), p.serverLo())),
                p.count(), time(p.first()), time(p.last()), e);
    }

    /** The line counting hosts down beyond the ones listed, at {@code nanos}. */
    public Diagnosis more(int more, int listed, long nanos) {
        return diagnosis(kind().label() + " more", null, null, more, time(nanos), time(nanos), new More(more, listed));
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        if (e instanceof More m) {
            return m.moreHostsDown() + " more hosts did not answer ARP (only the first " + m.listed() + " are listed)";
        }
        Unanswered u = (Unanswered) e;
        return "nobody answered " + u.arpRequests() + " ARP requests for " + server.ip()
                + ": the host is off, unplugged or not on this segment";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "NO ARP";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return e instanceof Unanswered u ? "host down " + u.arpRequests() + " ARP" : "+" + d.count() + " more hosts";
    }

    /** The asked-for host may be on either side of the box: ARP requests flood both. */
    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return null;
    }

    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return d.server() == null ? null : FrameSelection.arp(d.server().ip());
    }
}
