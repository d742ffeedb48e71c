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
import org.tapdoctor.site.RouterSite;
import org.tapdoctor.wire.IpAddresses;

/**
 * {@code ipv6_rogue_router}: router advertisements (RFC 4861 6.2) from a second router, a router
 * being (source address, MAC), beside the site's (docs/diagnosis-rules.md section 4,
 * {@code track.RouterTable}): devices may take its prefix or its default route, or, with router
 * lifetime 0 and the site router's address (THC's kill_router6), drop their default route.
 * {@code server} is the rogue's source address; each RA it sends is an occurrence. Live, with
 * {@code client_side} set, a router whose RAs come in on the client-side NIC is a rogue alone too
 * ({@code heard_on}, placement {@code client_side}); one heard on the other NIC points {@code beyond_tap}.
 */
public final class Ipv6RogueRouter extends ProblemRule<Ipv6RogueRouter.Evidence> {
    /**
     * The rogue's MAC; its router lifetime (bits 0-31), first prefix's length + 1 (bits 32-39, 0:
     * none) and where its RAs came in (bits 40-41, TrackerListener.HEARD_*); that prefix's words;
     * the site's router's words (both 0: none known).
     */
    private static final int MAC = 0, LIFETIME = 1, PREFIX_HI = 2, PREFIX_LO = 3, SITE_HI = 4, SITE_LO = 5;

    /**
     * @param prefixes what it advertises (its first prefix; empty when none)
     * @param mac its MAC
     * @param routerLifetime seconds it offers itself as default router (0: "I am not one")
     * @param siteRouter the site's router, or null when no other is known
     * @param heardOn "client_side" (its RAs came in on the client-side NIC), "network_side", or null (not known: a file)
     */
    public record Evidence(List<String> prefixes, String mac, long routerLifetime, String siteRouter, String heardOn)
            implements org.tapdoctor.diagnose.Evidence {

        @Override
        public void write(EvidenceWriter w) {
            w.putStrings("prefixes", prefixes);
            w.put("mac", mac);
            w.put("router_lifetime", routerLifetime);
            if (siteRouter != null) {
                w.put("site_router", siteRouter);
            }
            if (heardOn != null) {
                w.put("heard_on", heardOn);
            }
        }
    }

    public Ipv6RogueRouter(Kind kind) {
        super(kind, Severity.WARNING, "router advertisements from a second IPv6 router on the segment", Evidence.class);
    }

    /** Records one RA of the rogue. */
    public void record(Problem p, long mac, int lifetime, long prefixHi, long prefixLo, int prefixLength, long siteHi,
            long siteLo, int heardOn, long first, long time) {
        p.occurrence(p.count() == 0 ? first : time, time, IpAddresses.V4_HI, 0, -1, -1);
        p.value(MAC, mac);
        p.value(LIFETIME, (lifetime & 0xFFFF_FFFFL) | (long) (prefixLength + 1 & 0xFF) << 32 | (long) (heardOn & 3) << 40);
        p.value(PREFIX_HI, prefixHi);
        p.value(PREFIX_LO, prefixLo);
        p.value(SITE_HI, siteHi);
        p.value(SITE_LO, siteLo);
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        int length = (int) (p.value(LIFETIME) >>> 32 & 0xFF) - 1;
        List<String> prefixes = length < 0 ? List.of()
                : List.of(RouterSite.prefix(p.value(PREFIX_HI), p.value(PREFIX_LO), length));
        String site = p.value(SITE_HI) == 0 && p.value(SITE_LO) == 0 ? null
                : IpAddresses.format(p.value(SITE_HI), p.value(SITE_LO));
        return new Evidence(prefixes, IpAddresses.formatMac(p.value(MAC)), p.value(LIFETIME) & 0xFFFF_FFFFL, site,
                DhcpRogueServer.heardOn(p.value(LIFETIME) >>> 40 & 3));
    }

    /** Server: the rogue's source address; no client (every device of the segment hears it). */
    @Override
    public Diagnosis diagnosis(Problem p, Facts facts) {
        return diagnosis(key(p), null, Endpoint.host(IpAddresses.format(p.serverHi(), p.serverLo())), p.count(),
                time(p.first()), time(p.last()), evidence(p, facts));
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        String what = e.routerLifetime == 0 ? "router advertisements with lifetime 0 (devices drop their default route)"
                : "router advertisements" + (e.prefixes.isEmpty() ? "" : " for " + e.prefixes.get(0));
        String where = "client_side".equals(e.heardOn) && e.siteRouter == null ? " from the client side of the tap"
                : " beside the site's router" + (e.siteRouter == null ? "" : " " + e.siteRouter)
                + ("client_side".equals(e.heardOn) ? ", from the client side of the tap" : "");
        return server.ip() + " (" + e.mac + ") sends " + what + where + ": a rogue IPv6 router";
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "ROGUE RA";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return e.mac;
    }

    /** Live, the rogue's side of the tap, where its RAs came in (as {@link DhcpRogueServer}'s); not known in a file. */
    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return DhcpRogueServer.side(e.heardOn);
    }

    /** The rogue's ICMPv6 (its RAs). */
    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return new FrameSelection(null, null, FrameSelection.ANY, d.server().ip(), FrameSelection.ANY, 58, null, false);
    }
}
