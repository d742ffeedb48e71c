package org.tapdoctor.panel;

import java.util.ArrayList;
import java.util.List;

import org.tapdoctor.site.SiteRecord;

/**
 * The site's LCD pages, as a tester's first screen: where the box is plugged in and what it has
 * verified. Rows longer than the display scroll (the panel's rule); a value not known is left out
 * or shown as {@code ?}.
 *
 * <pre>
 * switch (16x2)     SW sw-3f-access-01      dhcp (16x2)    DHCP 192.0.2.2 4ms
 *                   Gi1/0/12 V10 VV20                      GW 192.0.2.1 ok
 * checks (16x2)     LNK? SW+ DHCP+          (20x4)         LNK ?   SW ok
 *                   GW+ DNS?                               DHCP ok GW ok
 *                                                          DNS ?
 * </pre>
 * On 16 columns the checklist marks each check with one character ({@code +} ok, {@code ?} not
 * known, {@code x} failed: "ok" and "fail" for five checks do not fit 32 characters); on 20 columns it spells {@code ok}, {@code ?}, {@code fail}.
 */
final class SitePages {
    private SitePages() {
    }

    static List<String> switchPort(SiteRecord site, LcdSize lcd) {
        SiteRecord.Switch s = site.switchPort();
        List<String> rows = new ArrayList<>();
        if (s == null) { // several neighbours and none is known to be the box's port (SITE-NOTES S1)
            rows.add("SW ? " + site.switches().size() + " heard");
            List<String> names = new ArrayList<>();
            site.switches().forEach(n -> names.add(n.name() != null ? n.name() : n.chassisId() != null ? n.chassisId() : "?"));
            rows.add(String.join(" ", names));
            return rows;
        }
        rows.add("SW " + (s.name() != null ? s.name() : s.chassisId() != null ? s.chassisId() : "?"));
        StringBuilder port = new StringBuilder(s.port() != null ? s.port() : "port ?");
        if (s.vlan() >= 0) {
            port.append(" V").append(s.vlan());
        }
        if (s.voiceVlan() >= 0) {
            port.append(" VV").append(s.voiceVlan());
        }
        rows.add(port.toString());
        if (lcd.rows() >= 4) {
            rows.add(s.managementIp() != null ? "IP " + s.managementIp() : s.protocol().toUpperCase());
            rows.add(s.platform() != null ? s.platform() : s.portDescription() != null ? s.portDescription() : "");
        }
        return rows;
    }

    static List<String> dhcp(SiteRecord site, LcdSize lcd) {
        List<String> rows = new ArrayList<>();
        SiteRecord.Dhcp d = site.dhcp();
        if (d == null) {
            rows.add("DHCP ?");
        } else {
            rows.add("DHCP " + (d.server() != null ? d.server() : "?") + (d.offerMs() >= 0 ? " " + d.offerMs() + "ms" : ""));
        }
        SiteRecord.Gateway g = site.gateway();
        rows.add(g == null ? "GW ?" : "GW " + (g.ip() != null ? g.ip() : "?") + (g.answersArp() ? " ok" : " fail"));
        if (lcd.rows() >= 4 && d != null) {
            rows.add(d.dns().isEmpty() ? "DNS ?" : "DNS " + d.dns().get(0));
            rows.add((d.leases() >= 0 ? d.leases() + (d.leases() == 1 ? " lease" : " leases") : "")
                    + (d.leaseS() >= 0 ? " " + d.leaseS() + "s" : ""));
        }
        return rows;
    }

    static List<String> checks(SiteRecord.Checks c, LcdSize lcd) {
        if (lcd.columns() >= 20 && lcd.rows() >= 3) {
            return List.of(pad("LNK " + c.link().label(), 8) + "SW " + c.switchPort().label(),
                    pad("DHCP " + c.dhcp().label(), 8) + "GW " + c.gateway().label(),
                    "DNS " + c.dns().label());
        }
        if (lcd.columns() >= 20) {
            return List.of(pad("LNK " + c.link().label(), 8) + pad("SW " + c.switchPort().label(), 8) + "DNS " + c.dns().label(),
                    pad("DHCP " + c.dhcp().label(), 10) + "GW " + c.gateway().label());
        }
        return List.of("LNK" + mark(c.link()) + " SW" + mark(c.switchPort()) + " DHCP" + mark(c.dhcp()),
                "GW" + mark(c.gateway()) + " DNS" + mark(c.dns()));
    }

    private static String mark(SiteRecord.Check c) {
        return switch (c) {
            case OK -> "+";
            case UNKNOWN -> "?";
            case FAIL -> "x";
        };
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
