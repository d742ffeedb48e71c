package org.tapdoctor.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.tapdoctor.site.SiteRecord;

/** The site record in words: one line per part (replay's summary), or all on one line (the console). */
public final class SiteText {
    private SiteText() {
    }

    /** One line per part seen, then the checklist; {@code site: nothing seen} alone when no part was. */
    public static List<String> lines(SiteRecord r) {
        List<String> out = new ArrayList<>();
        if (r.switchPort() != null) {
            out.add("switch " + switchLine(r.switchPort()));
        }
        if (r.switchPort() == null || r.switches().size() > 1) {
            for (SiteRecord.Switch s : r.switches()) {
                if (!s.equals(r.switchPort())) {
                    out.add((r.switchPort() == null ? "neighbour " : "other neighbour ") + switchLine(s));
                }
            }
        }
        SiteRecord.Dhcp d = r.dhcp();
        if (d != null) {
            StringBuilder b = new StringBuilder("dhcp server ").append(or(d.server()));
            if (d.offerMs() >= 0) {
                b.append(", offer in ").append(d.offerMs()).append(" ms");
            }
            if (d.leases() >= 0) {
                b.append(", ").append(d.leases()).append(d.leases() == 1 ? " lease" : " leases");
            }
            if (d.router() != null) {
                b.append(", router ").append(d.router());
            }
            if (!d.dns().isEmpty()) {
                b.append(", dns ").append(String.join(" ", d.dns()));
            }
            if (d.leaseS() >= 0) {
                b.append(", lease ").append(d.leaseS()).append(" s");
            }
            out.add(b.toString());
        }
        SiteRecord.Gateway g = r.gateway();
        if (g != null) {
            out.add("gateway " + or(g.ip()) + (g.mac() != null ? " at " + g.mac() : "")
                    + (g.learnedFrom() != null ? " (from " + g.learnedFrom() + ")" : "")
                    + (g.answersArp() ? ", answers ARP" : ", does not answer ARP"));
        }
        for (SiteRecord.Ipv6Router router : r.ipv6Routers()) {
            out.add("ipv6 router " + or(router.ip()) + (router.mac() != null ? " at " + router.mac() : "")
                    + (router.prefixes().isEmpty() ? "" : ", prefixes " + String.join(" ", router.prefixes()))
                    + (router.lifetimeS() >= 0 ? ", lifetime " + router.lifetimeS() + " s" : ""));
        }
        if (r.dot1x() != null) {
            out.add("802.1X " + (r.dot1x().authenticator() ? "authenticator seen" : "no authenticator") + ", clients "
                    + r.dot1x().ok() + " ok " + r.dot1x().failed() + " failed");
        }
        if (!r.links().isEmpty()) {
            StringBuilder b = new StringBuilder("links");
            for (Map.Entry<String, String> e : r.links().entrySet()) {
                b.append(' ').append(e.getKey()).append(' ').append(e.getValue()).append(',');
            }
            out.add(b.substring(0, b.length() - 1));
        }
        if (out.isEmpty()) {
            out.add("nothing seen");
        }
        out.add("checks " + checklist(r.checks()));
        return out;
    }

    /** {@code LNK ? SW ok DHCP ok GW ok DNS ?}. */
    public static String checklist(SiteRecord.Checks c) {
        return "LNK " + c.link().label() + " SW " + c.switchPort().label() + " DHCP " + c.dhcp().label() + " GW "
                + c.gateway().label() + " DNS " + c.dns().label();
    }

    /** Every line joined: {@code site: switch ...; dhcp ...; checks ...}. */
    public static String line(SiteRecord r) {
        return "site: " + String.join("; ", lines(r));
    }

    private static String switchLine(SiteRecord.Switch s) {
        StringBuilder b = new StringBuilder(or(s.name()));
        if (s.port() != null) {
            b.append(" port ").append(s.port());
        }
        if (s.portDescription() != null && !s.portDescription().equals(s.port())) {
            b.append(" (").append(s.portDescription()).append(')');
        }
        if (s.vlan() >= 0) {
            b.append(" vlan ").append(s.vlan());
        }
        if (s.voiceVlan() >= 0) {
            b.append(" voice vlan ").append(s.voiceVlan());
        }
        if (s.managementIp() != null) {
            b.append(" management ").append(s.managementIp());
        }
        if (s.platform() != null) {
            b.append(" platform ").append(s.platform());
        }
        if (s.chassisId() != null) {
            b.append(" chassis ").append(s.chassisId());
        }
        return b.append(" (").append(s.protocol()).append(')').toString();
    }

    private static String or(String s) {
        return s == null ? "?" : s;
    }
}
