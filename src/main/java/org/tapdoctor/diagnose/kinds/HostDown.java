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
    /**
     * ARP requests (or neighbour solicitations) over the rounds and the first asker: IPv4 in
     * REQUESTER, IPv6 in REQUESTER_HI/LO (IPV6 set). An IPv4 gateway's role (how it was learned)
     * in ROLE and its asker's MAC in ASKER_MAC, which shares the IPv6 asker's first word.
     */
    private static final int REQUESTS = 0, REQUESTER = 1, REQUESTER_HI = 2, REQUESTER_LO = 3, IPV6 = 4, ROLE = 5,
            ASKER_MAC = 2;
    /** {@code learned_from} by role value (1: a DHCP lease's router, 2: where the asker's off-link traffic goes). */
    private static final String[] LEARNED_FROM = {null, "dhcp", "traffic"};

    /** The evidence of a host down, or of the line counting the ones not listed. */
    public sealed interface Evidence extends org.tapdoctor.diagnose.Evidence permits Unanswered, Unsolicited, More {
    }

    /**
     * @param arpRequests requests nobody answered
     * @param requestedBy the first asker
     * @param learnedFrom when the address is the asker's gateway ({@code "role":"gateway"}): "dhcp" or "traffic"; else null
     */
    public record Unanswered(long arpRequests, String requestedBy, String learnedFrom) implements Evidence {
        public Unanswered(long arpRequests, String requestedBy) {
            this(arpRequests, requestedBy, null);
        }

        @Override
        public void write(EvidenceWriter w) {
            w.put("arp_requests", arpRequests);
            w.put("requested_by", requestedBy);
            if (learnedFrom != null) {
                w.put("role", "gateway");
                w.put("learned_from", learnedFrom);
            }
        }

        public boolean gateway() {
            return learnedFrom != null;
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

    /** The address is the asker's gateway: its lease's router ({@code learnedFrom} 1) or its traffic's (2). */
    public void gateway(Problem p, int learnedFrom, long askerMac) {
        p.value(ROLE, learnedFrom);
        p.value(ASKER_MAC, askerMac);
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        if (p.value(IPV6) > 0) {
            return new Unsolicited(Math.max(0, p.value(REQUESTS)), IpAddresses.format(p.value(REQUESTER_HI), p.value(REQUESTER_LO)));
        }
        int role = (int) p.value(ROLE);
        return new Unanswered(Math.max(0, p.value(REQUESTS)), IpAddresses.formatV4((int) p.value(REQUESTER)),
                role > 0 && role < LEARNED_FROM.length ? LEARNED_FROM[role] : null);
    }

    /** Server: the asked-for address; client: the first asker (no ports; its MAC too when it is a gateway's device). */
    @Override
    public Diagnosis diagnosis(Problem p, Facts facts) {
        Evidence e = evidence(p, facts);
        Endpoint client;
        if (e instanceof Unsolicited u) {
            client = Endpoint.host(u.requestedBy());
        } else {
            Unanswered a = (Unanswered) e;
            client = a.gateway() && p.value(ASKER_MAC) >= 0
                    ? Endpoint.device(IpAddresses.formatMac(p.value(ASKER_MAC)), a.requestedBy()) : Endpoint.host(a.requestedBy());
        }
        return diagnosis(key(p), client, Endpoint.host(IpAddresses.format(p.serverHi(), p.serverLo())),
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
        if (u.gateway()) {
            return "nobody answered " + u.arpRequests() + " ARP requests for " + server.ip() + ", the gateway of "
                    + u.requestedBy() + " (from " + ("dhcp".equals(u.learnedFrom()) ? "its DHCP lease" : "its traffic")
                    + "): the router is down or gone, the device reaches nothing off its subnet";
        }
        return "nobody answered " + u.arpRequests() + " ARP requests for " + server.ip()
                + ": the host is off, unplugged or not on this segment";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return e instanceof Unsolicited ? "ND NO REPLY" : e instanceof Unanswered u && u.gateway() ? "GW DOWN" : "NO ARP";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        if (e instanceof Unsolicited u) {
            return "host down " + u.neighborSolicitations() + " NS";
        }
        if (e instanceof Unanswered u) {
            return u.gateway() ? u.arpRequests() + " ARP no reply" : "host down " + u.arpRequests() + " ARP";
        }
        return "+" + d.count() + " more hosts";
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
