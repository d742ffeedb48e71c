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
    /** ARP requests over the rounds, and the first asker (IPv4); the gateway role (how it was learned) and the asker's MAC. */
    private static final int REQUESTS = 0, REQUESTER = 1, ROLE = 2, ASKER_MAC = 3;
    /** {@code learned_from} by role value (1: a DHCP lease's router, 2: where the asker's off-link traffic goes). */
    private static final String[] LEARNED_FROM = {null, "dhcp", "traffic"};

    /** The evidence of a host down, or of the line counting the ones not listed. */
    public sealed interface Evidence extends org.tapdoctor.diagnose.Evidence permits Unanswered, More {
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

    /** The address is the asker's gateway: its lease's router ({@code learnedFrom} 1) or its traffic's (2). */
    public void gateway(Problem p, int learnedFrom, long askerMac) {
        p.value(ROLE, learnedFrom);
        p.value(ASKER_MAC, askerMac);
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        int role = (int) p.value(ROLE);
        return new Unanswered(Math.max(0, p.value(REQUESTS)), IpAddresses.formatV4((int) p.value(REQUESTER)),
                role > 0 && role < LEARNED_FROM.length ? LEARNED_FROM[role] : null);
    }

    /** Server: the asked-for address; client: the first asker (no ports; its MAC too when it is a gateway's device). */
    @Override
    public Diagnosis diagnosis(Problem p, Facts facts) {
        Unanswered e = (Unanswered) evidence(p, facts);
        Endpoint client = e.gateway() && p.value(ASKER_MAC) >= 0
                ? Endpoint.device(IpAddresses.formatMac(p.value(ASKER_MAC)), e.requestedBy()) : Endpoint.host(e.requestedBy());
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
        return e instanceof Unanswered u && u.gateway() ? "GW DOWN" : "NO ARP";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
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
        return d.server() == null ? null : FrameSelection.arp(d.server().ip());
    }
}
