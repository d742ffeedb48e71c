package org.tapdoctor.site;

import java.util.ArrayList;
import java.util.List;

import org.tapdoctor.track.DhcpServers;
import org.tapdoctor.track.DhcpTracker;
import org.tapdoctor.track.Gateways;
import org.tapdoctor.wire.IpAddresses;

/**
 * The {@code dhcp} and {@code gateway} parts of the site record (docs/site-notes.md section 1):
 * the site's DHCP server (with an allowed list the allowed one, else the one most devices' leases
 * come from) and its figures; the gateway a lease named last, its MAC and whether it answers ARP.
 * A part not seen is absent. A view over the {@link DhcpTracker}'s tables, read off the per-frame path.
 */
public final class DhcpSite implements SiteSource {
    private final DhcpTracker dhcp;

    public DhcpSite(DhcpTracker dhcp) {
        this.dhcp = dhcp;
    }

    @Override
    public long siteChanges() {
        return dhcp.siteChanges();
    }

    @Override
    public void addTo(SiteRecord.Builder record, long now) {
        SiteRecord.Dhcp d = dhcp();
        if (d != null) {
            record.dhcp(d);
        }
        SiteRecord.Gateway g = gateway();
        if (g != null) {
            record.gateway(g);
        }
    }

    /** The site's server and its figures, or null when no server replied. */
    SiteRecord.Dhcp dhcp() {
        int s = dhcp.siteServer();
        if (s < 0) {
            return null;
        }
        DhcpServers t = dhcp.servers();
        List<String> dns = new ArrayList<>();
        for (int k = 0; k < t.dnsCount(s); k++) {
            dns.add(IpAddresses.formatV4(t.dns(s, k)));
        }
        return new SiteRecord.Dhcp(IpAddresses.formatV4(t.id(s)), t.offerMs(s), (int) t.bindings(s),
                t.router(s) == 0 ? null : IpAddresses.formatV4(t.router(s)), dns, t.leaseSeconds(s));
    }

    /** The gateway a lease named last, or null. */
    SiteRecord.Gateway gateway() {
        Gateways t = dhcp.gateways();
        int g = t.latest();
        if (g < 0) {
            return null;
        }
        return new SiteRecord.Gateway(IpAddresses.formatV4(t.ip(g)), t.mac(g) == -1 ? null : IpAddresses.formatMac(t.mac(g)),
                t.learnedFrom(g) == Gateways.LEARNED_DHCP ? "dhcp" : "traffic", t.answersArp(g));
    }
}
