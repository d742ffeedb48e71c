package org.tapdoctor.site;

import java.util.ArrayList;
import java.util.List;

import org.tapdoctor.track.RouterTable;
import org.tapdoctor.wire.IpAddresses;

/**
 * The {@code ipv6_routers} part of the site record: every router advertising on the segment
 * (RFC 4861 router advertisements, {@link RouterTable}), in first-seen order, with its prefixes
 * and router lifetime. A router that aged out leaves the record, and so does one offering nothing:
 * router lifetime 0 (RFC 4861 4.2: not a default router) and no prefix, such as kill_router6's
 * forger (its RAs are the {@code ipv6_rogue_router} diagnosis, not a router of the site).
 */
public final class RouterSite implements SiteSource {
    private final RouterTable routers;

    public RouterSite(RouterTable routers) {
        this.routers = routers;
    }

    @Override
    public long siteChanges() {
        return routers.changes();
    }

    @Override
    public void addTo(SiteRecord.Builder record, long now) {
        List<Integer> held = new ArrayList<>();
        for (int i = 0; i < routers.capacity(); i++) {
            if (routers.inUse(i) && (routers.lifetime(i) != 0 || routers.prefixes(i) > 0)) {
                held.add(i);
            }
        }
        held.sort((a, b) -> Long.compare(routers.first(a), routers.first(b)));
        for (int i : held) {
            List<String> prefixes = new ArrayList<>();
            for (int k = 0; k < routers.prefixes(i); k++) {
                prefixes.add(prefix(routers.prefixHi(i, k), routers.prefixLo(i, k), routers.prefixLength(i, k)));
            }
            record.addIpv6Router(new SiteRecord.Ipv6Router(IpAddresses.format(routers.hi(i), routers.lo(i)),
                    IpAddresses.formatMac(routers.mac(i)), prefixes, routers.lifetime(i)));
        }
    }

    /** {@code 2001:db8:a::/64}: the prefix's address text and length (bits past the length as sent). */
    public static String prefix(long hi, long lo, int length) {
        return IpAddresses.format(hi, lo) + "/" + length;
    }
}
