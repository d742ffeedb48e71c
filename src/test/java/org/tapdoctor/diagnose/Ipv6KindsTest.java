package org.tapdoctor.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tapdoctor.diagnose.Wire.EPOCH;
import static org.tapdoctor.diagnose.Wire.MS;
import static org.tapdoctor.diagnose.Wire.summary;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tapdoctor.track.Ipv6Dot1xConfig;
import org.tapdoctor.track.TrackerConfig;
import org.tapdoctor.wire.IpAddresses;
import org.tapdoctor.wire.SitePackets;

/**
 * The IPv6 neighbour discovery kinds (docs/diagnosis-rules.md section 4): {@code host_down} for an
 * address whose solicitations nobody answers, {@code duplicate_ip} for a DAD probe answered by
 * another MAC, {@code ipv6_rogue_router} for a second router; each beside the look-alikes that
 * must stay silent. Devices 2001:db8:a::/64, MACs 02:00:00:00:00:xx; times in ms.
 */
class Ipv6KindsTest {
    static final long HOST = 0x0200_0000_0010L, OWNER = 0x0200_0000_0050L, PROBER = 0x0200_0000_0051L,
            ROUTER = 0x0200_0000_bb01L, ROGUE = 0x0200_0000_0066L;
    static final String ME = "2001:db8:a::10", SITE_RA = "fe80::ff:fe00:bb01", ROGUE_RA = "fe80::ff:fe00:66";

    private static Wire ns(Wire w, long ms, long mac, String src, String target) {
        return w.frame(SitePackets.ns(EPOCH + ms * MS, mac, src, target));
    }

    private static Wire na(Wire w, long ms, long mac, String src, String target) {
        return w.frame(SitePackets.na(EPOCH + ms * MS, mac, src, target));
    }

    private static Wire ra(Wire w, long ms, long mac, String src, int lifetime, String prefix) {
        return w.frame(SitePackets.ra(EPOCH + ms * MS, mac, src, lifetime, prefix, prefix == null ? -1 : 64));
    }

    @Test
    @KindTest(Kind.HOST_DOWN)
    void shouldReportAnIpv6NeighbourNobodyAnswers() {
        Wire w = new Wire();
        for (int i = 0; i < 3; i++) {
            ns(w, 600 + i * 1000, HOST, ME, "2001:db8:a::99");
        }
        ns(w, 100, HOST, ME, "2001:db8:a::1");
        na(w, 101, ROUTER, "2001:db8:a::1", "2001:db8:a::1"); // answered: healthy
        for (int i = 0; i < 4; i++) {
            ns(w, 200 + i * 1000, HOST, "::", "2001:db8:a::77"); // DAD probes: the address is free
        }
        for (int i = 0; i < 3; i++) {
            ns(w, 300 + i * 1000, HOST, ME, "2001:db8:a::55");
        }
        w.frame(SitePackets.ra(EPOCH + 2500 * MS, 0x0200_0000_0055L, "2001:db8:a::55", 0, null, -1)); // a sign of life
        List<Diagnosis> ds = w.idle(10_000).diagnoses();
        assertEquals(List.of("host_down 2001:db8:a::99"), summary(ds));
        Diagnosis d = ds.get(0);
        assertEquals(3L, d.evidence().get("neighbor_solicitations"));
        assertEquals(ME, d.evidence().get("requested_by"));
        assertEquals(ME, d.client().ip());
        assertEquals("ND NO REPLY", d.kind().rule().lcdTag(d));
        assertEquals("host down 3 NS", d.kind().rule().lcdDetail(d));
    }

    @Test
    void shouldNotReportTwoSolicitationsNorOnesCutByTheEndOfTheCapture() {
        Wire w = new Wire();
        ns(w, 0, HOST, ME, "2001:db8:a::98");
        ns(w, 1000, HOST, ME, "2001:db8:a::98");
        ns(w, 5000, HOST, ME, "2001:db8:a::97");
        ns(w, 5100, HOST, ME, "2001:db8:a::97");
        ns(w, 5200, HOST, ME, "2001:db8:a::97"); // 3, but within 0.2 s and the capture ends
        assertEquals(List.of(), w.diagnoses());
    }

    @Test
    @KindTest(Kind.DUPLICATE_IP)
    void shouldReportADadProbeAnsweredByAnotherMac() {
        Wire w = new Wire();
        ns(w, 0, PROBER, "::", "2001:db8:a::50");
        na(w, 1, OWNER, "2001:db8:a::50", "2001:db8:a::50");
        // A device announcing the address it just probed (SITE-NOTES S5), and an answer too late.
        ns(w, 100, HOST, "::", "2001:db8:a::60");
        na(w, 1100, HOST, "2001:db8:a::60", "2001:db8:a::60");
        ns(w, 200, HOST, "::", "2001:db8:a::61");
        na(w, 1300, OWNER, "2001:db8:a::61", "2001:db8:a::61");
        List<Diagnosis> ds = w.idle(5_000).diagnoses();
        assertEquals(List.of("duplicate_ip 2001:db8:a::50"), summary(ds));
        assertEquals(List.of("02:00:00:00:00:51", "02:00:00:00:00:50"), ds.get(0).evidence().get("macs"));
    }

    @Test
    @KindTest(Kind.IPV6_ROGUE_ROUTER)
    void shouldReportASecondRouterAndNameTheSitesOne() {
        Wire w = new Wire();
        ra(w, 0, ROUTER, SITE_RA, 1800, "2001:db8:a::");
        ra(w, 500, ROGUE, ROGUE_RA, 1800, "2001:db8:bad::");
        ra(w, 4000, ROUTER, SITE_RA, 1800, "2001:db8:a::");
        ra(w, 4500, ROGUE, ROGUE_RA, 1800, "2001:db8:bad::");
        List<Diagnosis> ds = w.idle(10_000).diagnoses();
        assertEquals(List.of("ipv6_rogue_router " + ROGUE_RA), summary(ds));
        Diagnosis d = ds.get(0);
        assertEquals(2, d.count());
        assertEquals(List.of("2001:db8:bad::/64"), d.evidence().get("prefixes"));
        assertEquals(SITE_RA, d.evidence().get("site_router"));
        assertEquals("02:00:00:00:00:66", d.evidence().get("mac"));
        assertEquals(Severity.WARNING, d.severity());
    }

    @Test
    void shouldTakeTheRouterWhosePrefixTheDevicesUseForTheSitesEvenWhenHeardSecond() {
        Wire w = new Wire();
        ra(w, 0, ROGUE, ROGUE_RA, 1800, "2001:db8:bad::");
        ra(w, 300, ROUTER, SITE_RA, 1800, "2001:db8:a::");
        na(w, 600, HOST, ME, ME); // the device's address is in 2001:db8:a::/64
        List<Diagnosis> ds = w.idle(5_000).diagnoses();
        assertEquals(List.of("ipv6_rogue_router " + ROGUE_RA), summary(ds));
    }

    @Test
    void shouldTakeASpoofedRouterAddressFromAnotherMacForARogue() {
        Wire w = new Wire();
        ra(w, 0, ROGUE, SITE_RA, 0, null); // kill_router6: the router's address, lifetime 0
        ra(w, 700, ROUTER, SITE_RA, 30, "2001:db8:1::");
        w.frame(org.tapdoctor.wire.TestPackets.tcp(EPOCH + 900 * MS, "2001:db8:1::77", 40000, "2001:db8:ff::1", 443,
                Wire.SYN, 1, 0, 64, 65535, 0));
        ra(w, 3000, ROGUE, SITE_RA, 0, null);
        List<Diagnosis> ds = w.idle(10_000).diagnoses().stream().filter(d -> d.kind() == Kind.IPV6_ROGUE_ROUTER).toList();
        assertEquals(List.of("ipv6_rogue_router " + SITE_RA), summary(ds));
        assertEquals("02:00:00:00:00:66", ds.get(0).evidence().get("mac"));
        assertEquals(0L, ds.get(0).evidence().get("router_lifetime"));
    }

    @Test
    void shouldJudgeByTheAllowedListWhenOneIsSet() {
        long[] site = IpAddresses.parse(ROGUE_RA); // the operator says .66 is the site's
        Wire w = new Wire(TrackerConfig.defaults().withIpv6Dot1x(Ipv6Dot1xConfig.defaults().withAllowedRouters(site)));
        ra(w, 0, ROUTER, SITE_RA, 1800, "2001:db8:a::");
        ra(w, 500, ROGUE, ROGUE_RA, 1800, "2001:db8:bad::");
        assertEquals(List.of("ipv6_rogue_router " + SITE_RA), summary(w.idle(5_000).diagnoses()));
    }

    @Test
    void shouldStaySilentOnOneRouterReAdvertisingTwoPrefixes() {
        Wire w = new Wire();
        for (int i = 0; i < 5; i++) {
            ra(w, i * 4000, ROUTER, SITE_RA, 1800, i % 2 == 0 ? "2001:db8:a::" : "2001:db8:b::");
            na(w, i * 4000 + 10, HOST, ME, ME);
        }
        assertEquals(List.of(), w.idle(60_000).diagnoses());
    }

    @Test
    void shouldTakeALiveRouterOnTheClientSideForARogueEvenAlone() {
        Wire w = new Wire(TrackerConfig.defaults().withIpv6Dot1x(Ipv6Dot1xConfig.defaults().withClientSide(0)));
        org.tapdoctor.wire.DecodedFrame site = SitePackets.ra(EPOCH, ROUTER, SITE_RA, 1800, "2001:db8:a::", 64);
        site.side(1); // the network side: the site's router, silent
        w.frame(site);
        org.tapdoctor.wire.DecodedFrame rogue = SitePackets.ra(EPOCH + 10_000 * MS, ROGUE, ROGUE_RA, 1800, "2001:db8:bad::", 64);
        rogue.side(0);
        w.idle(9_000);
        assertEquals(List.of(), summary(w.engine.diagnoses()));
        w.frame(rogue);
        List<Diagnosis> ds = w.idle(10_300).diagnoses();
        assertEquals(List.of("ipv6_rogue_router " + ROGUE_RA), summary(ds));
        assertEquals(SITE_RA, ds.get(0).evidence().get("site_router"));

        Wire alone = new Wire(TrackerConfig.defaults().withIpv6Dot1x(Ipv6Dot1xConfig.defaults().withClientSide(0)));
        org.tapdoctor.wire.DecodedFrame only = SitePackets.ra(EPOCH, ROGUE, ROGUE_RA, 1800, "2001:db8:bad::", 64);
        only.side(0);
        assertEquals(List.of("ipv6_rogue_router " + ROGUE_RA), summary(alone.frame(only).idle(1_000).diagnoses()));
    }
}
