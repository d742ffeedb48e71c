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
 * unplugged or not on this segment. For IPv6, neighbour solicitations (not DAD probes), at least
 * {@code nd.min-requests}, with no neighbour discovery from it within {@code nd.timeout}. At most {@code diagnose.max-host-down} are listed at once; one
 * line without a server counts the others ({@link More}).
 */
public final class HostDown extends ProblemRule<HostDown.Evidence> {
    /** ARP requests (or neighbour solicitations) over the rounds, the first asker (IPv4), or the IPv6 asker's two words. */
    private static final int REQUESTS = 0, REQUESTER = 1, REQUESTER_HI = 2, REQUESTER_LO = 3, IPV6 = 4;

    /** The evidence of a host down, or of the line counting the ones not listed. */
    public sealed interface Evidence extends org.tapdoctor.diagnose.Evidence permits Unanswered, Unsolicited, More {
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
     * An IPv6 neighbour nobody answered (RFC 4861 7.2).
     *
     * @param neighborSolicitations solicitations nobody answered
     * @param requestedBy the first asker
     */
    public record Unsolicited(long neighborSolicitations, String requestedBy) implements Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.put("neighbor_solicitations", neighborSolicitations);
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

    /** Records one round of unanswered neighbour solicitations for the problem's IPv6 address. */
    public void record6(Problem p, int solicitations, long askerHi, long askerLo, long first, long last) {
        p.occurrence(first, last, askerHi, askerLo, -1, -1);
        p.value(REQUESTS, Math.max(0, p.value(REQUESTS)) + solicitations);
        if (p.value(IPV6) < 0) {
            p.value(IPV6, 1);
            p.value(REQUESTER_HI, askerHi);
            p.value(REQUESTER_LO, askerLo);
        }
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        if (p.value(IPV6) > 0) {
            return new Unsolicited(Math.max(0, p.value(REQUESTS)), IpAddresses.format(p.value(REQUESTER_HI), p.value(REQUESTER_LO)));
        }
        return new Unanswered(Math.max(0, p.value(REQUESTS)), IpAddresses.formatV4((int) p.value(REQUESTER)));
    }

    /** Server: the asked-for address; client: the first asker (no ports). */
    @Override
    public Diagnosis diagnosis(Problem p, Facts facts) {
        Evidence e = evidence(p, facts);
        String asker = e instanceof Unsolicited u ? u.requestedBy() : ((Unanswered) e).requestedBy();
        return diagnosis(key(p), Endpoint.host(asker), Endpoint.host(IpAddresses.format(p.serverHi(), p.serverLo())),
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
        if (e instanceof Unsolicited u) {
            return "nobody answered " + u.neighborSolicitations() + " neighbour solicitations for " + server.ip()
                    + ": the host is off, unplugged or not on this segment";
        }
        Unanswered u = (Unanswered) e;
        return "nobody answered " + u.arpRequests() + " ARP requests for " + server.ip()
                + ": the host is off, unplugged or not on this segment";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return e instanceof Unsolicited ? "ND NO REPLY" : "NO ARP";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        if (e instanceof Unsolicited u) {
            return "host down " + u.neighborSolicitations() + " NS";
        }
        return e instanceof Unanswered u ? "host down " + u.arpRequests() + " ARP" : "+" + d.count() + " more hosts";
    }

    /** The asked-for host may be on either side of the box: ARP requests flood both. */
    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return null;
    }

    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        if (e instanceof Unsolicited u) {
            // The asker's neighbour discovery: its solicitations for the address, and any answer to it.
            return new FrameSelection(null, u.requestedBy(), FrameSelection.ANY, null, FrameSelection.ANY, 58, null, false);
        }
        return d.server() == null ? null : FrameSelection.arp(d.server().ip());
    }
}
