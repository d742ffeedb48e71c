package org.tapdoctor.diagnose.kinds;

import java.util.List;

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
import org.tapdoctor.track.ArpClaims;
import org.tapdoctor.wire.IpAddresses;

/**
 * {@code duplicate_ip}: two MAC addresses appear as ARP sender for one address
 * (docs/diagnosis-rules.md section 4): an IP address conflict. A gratuitous storm from one MAC is
 * one claim holder and no conflict. For IPv6: a duplicate address detection probe (RFC 4862 5.4)
 * answered by an NA from another MAC within 1 s; the macs are the prober's, then the owner's.
 */
public final class DuplicateIp extends ProblemRule<DuplicateIp.Evidence> {
    private static final int FIRST_MAC = 0, SECOND_MAC = 1, FIRST_CLAIMS = 2, SECOND_CLAIMS = 3, IPV6 = 4;

    /**
     * @param macs the two MACs, in first-seen order
     * @param claims ARP packets from each (IPv6: the prober's DAD probes, the owner's NAs answering them)
     */
    public record Evidence(List<String> macs, List<Integer> claims) implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            w.putStrings("macs", macs);
            w.putInts("claims", claims);
        }
    }

    public DuplicateIp(Kind kind) {
        super(kind, Severity.CRITICAL, "two MAC addresses claim one IP address", Evidence.class);
    }

    /** Records the claims on the problem's address as they stand at {@code time}. */
    public void record(Problem p, ArpClaims c, long time) {
        if (p.count() == 0) {
            p.occurrence(c.firstClaim(), time, IpAddresses.V4_HI, IpAddresses.v4Lo(c.ip()), -1, -1);
        } else {
            p.touch(time);
        }
        p.value(FIRST_MAC, c.firstMac());
        p.value(SECOND_MAC, c.secondMac());
        p.value(FIRST_CLAIMS, c.firstMacClaims());
        p.value(SECOND_CLAIMS, c.secondMacClaims());
    }

    /** Records an NA from {@code ownerMac} answering {@code proberMac}'s DAD probe for the problem's IPv6 address. */
    public void record6(Problem p, long hi, long lo, long proberMac, long ownerMac, int probes, int answers, long probeTime,
            long time) {
        if (p.count() == 0) {
            p.occurrence(probeTime, time, hi, lo, -1, -1);
        } else {
            p.touch(time);
        }
        p.value(FIRST_MAC, proberMac);
        p.value(SECOND_MAC, ownerMac);
        p.value(FIRST_CLAIMS, probes);
        p.value(SECOND_CLAIMS, answers);
        p.value(IPV6, 1);
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        return new Evidence(List.of(IpAddresses.formatMac(p.value(FIRST_MAC)), IpAddresses.formatMac(p.value(SECOND_MAC))),
                List.of((int) p.value(FIRST_CLAIMS), (int) p.value(SECOND_CLAIMS)));
    }

    /** Server: the contested address; no client (both MACs are the evidence). */
    @Override
    public Diagnosis diagnosis(Problem p, Facts facts) {
        return diagnosis(key(p), null, Endpoint.host(IpAddresses.format(p.serverHi(), p.serverLo())), p.count(),
                time(p.first()), time(p.last()), evidence(p, facts));
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        return server.ip() + " is claimed by two MAC addresses (" + e.macs.get(0) + ", " + e.macs.get(1)
                + "): IP address conflict";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "DUP IP";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return "2 MACs: " + String.join(" ", e.macs);
    }

    /** Two hosts of one segment: no side of the box is at fault. */
    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return null;
    }

    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        if (d.server().ip().indexOf(':') >= 0) {
            // The owner's neighbour advertisements, and the prober's DAD probes: they come from ::,
            // which names no one, so by the prober's MAC (the first of macs).
            FrameSelection owner = new FrameSelection(null, null, FrameSelection.ANY, d.server().ip(), FrameSelection.ANY,
                    58, null, false);
            return e.macs().isEmpty() ? owner : owner.withDevice(e.macs().get(0), FrameSelection.ND);
        }
        return FrameSelection.arp(d.server().ip());
    }
}
