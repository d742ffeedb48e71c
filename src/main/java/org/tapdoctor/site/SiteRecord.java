package org.tapdoctor.site;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the box has seen of the site it is plugged into, as values: the {@code "kind":"site"}
 * object of the JSON contract. A part not seen is {@code null} (absent in JSON, never guessed);
 * inside a part, an unknown number is -1 and an unknown string {@code null}.
 *
 * @param timeNanos when the record was built (packet time or monotonic clock)
 * @param switchPort the switch port the box is plugged into, when one neighbour is known to be it
 * @param switches every switch neighbour heard (LLDP/CDP), in first-seen order; empty when none
 * @param dhcp the site's DHCP server and its figures
 * @param gateway the devices' gateway
 * @param ipv6Routers the routers advertising on the segment, in first-seen order; empty when none
 * @param dot1x the 802.1X authenticator and its clients' outcomes
 * @param links the box's NICs and their link states ({@code up 1G full}, {@code down}), side A
 *        first; empty when not known (a capture file)
 * @param checks what the box has verified about the site: the tester's first screen
 */
public record SiteRecord(long timeNanos, Switch switchPort, List<Switch> switches, Dhcp dhcp,
        Gateway gateway, List<Ipv6Router> ipv6Routers, Dot1x dot1x, Map<String, String> links, Checks checks) {

    public SiteRecord {
        switches = List.copyOf(switches);
        ipv6Routers = List.copyOf(ipv6Routers);
        links = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(links));
    }

    /** A record without links, its checks decided from its parts (DNS not known). */
    public SiteRecord(long timeNanos, Switch switchPort, List<Switch> switches, Dhcp dhcp,
            Gateway gateway, List<Ipv6Router> ipv6Routers, Dot1x dot1x) {
        this(timeNanos, switchPort, switches, dhcp, gateway, ipv6Routers, dot1x, Map.of(),
                Checks.of(Map.of(), switchPort, switches, dhcp, gateway, false));
    }

    /** Whether no part was seen (no switch, DHCP, gateway, router, 802.1X). */
    public boolean isEmpty() {
        return switchPort == null && switches.isEmpty() && dhcp == null && gateway == null && ipv6Routers.isEmpty()
                && dot1x == null;
    }

    /**
     * The record as a person reads it: times, the switches' first-seen times, DHCP's lease count
     * and 802.1X's counts (beyond whether there were any) left out. Two records whose views are
     * equal are the same record to print.
     */
    public SiteRecord readable() {
        List<Switch> sw = new ArrayList<>();
        switches.forEach(s -> sw.add(s.withoutTime()));
        Dhcp d = dhcp == null ? null : new Dhcp(dhcp.server(), dhcp.offerMs(), dhcp.leases() > 0 ? 1 : 0, dhcp.router(),
                dhcp.dns(), dhcp.leaseS());
        Dot1x x = dot1x == null ? null : new Dot1x(dot1x.authenticator(), Math.min(1, dot1x.ok()), Math.min(1, dot1x.failed()));
        return new SiteRecord(0, switchPort == null ? null : switchPort.withoutTime(), sw, d, gateway, ipv6Routers, x,
                links, checks);
    }

    /** One check of the checklist: verified, not known (yet), or seen failing. */
    public enum Check {
        OK("ok"), UNKNOWN("?"), FAIL("fail");

        private final String label;

        Check(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * The checklist ({@code LNK SW DHCP GW DNS}) from what the record holds: the links up, a
     * switch heard, a lease granted, the gateway answering ARP, a DNS answer. A failure the
     * record cannot show (DHCP that never answers, a DNS server that fails) comes from the current
     * diagnoses: {@link #withProblems}.
     */
    public record Checks(Check link, Check switchPort, Check dhcp, Check gateway, Check dns) {
        public static Checks of(Map<String, String> links, Switch switchPort, List<Switch> switches, Dhcp dhcp,
                Gateway gateway, boolean dnsAnswered) {
            Check link = links.isEmpty() ? Check.UNKNOWN
                    : links.values().stream().anyMatch(s -> !s.startsWith("up") && !s.equals("?")) ? Check.FAIL
                    : links.values().stream().allMatch(s -> s.startsWith("up")) ? Check.OK : Check.UNKNOWN;
            Check sw = switchPort != null || !switches.isEmpty() ? Check.OK : Check.UNKNOWN;
            Check d = dhcp != null && dhcp.leases() > 0 ? Check.OK : Check.UNKNOWN;
            Check gw = gateway == null ? Check.UNKNOWN : gateway.answersArp() ? Check.OK : Check.FAIL;
            return new Checks(link, sw, d, gw, dnsAnswered ? Check.OK : Check.UNKNOWN);
        }

        /**
         * With the current problems' kinds ({@code link_down}, {@code dhcp_failure}, {@code
         * host_down} of the gateway, {@code dns_failure}): a check they concern fails.
         *
         * @param kinds the current problems' kind labels
         * @param gatewayDown whether a current {@code host_down} is about the record's gateway
         */
        public Checks withProblems(java.util.Collection<String> kinds, boolean gatewayDown) {
            return new Checks(kinds.contains("link_down") ? Check.FAIL : link,
                    switchPort,
                    kinds.contains("dhcp_failure") || kinds.contains("no_address") ? Check.FAIL : dhcp,
                    gatewayDown ? Check.FAIL : gateway,
                    kinds.contains("dns_failure") ? Check.FAIL : dns);
        }

        /** The five checks by name, in checklist order: link, switch, dhcp, gateway, dns. */
        public Map<String, Check> byName() {
            Map<String, Check> m = new LinkedHashMap<>();
            m.put("link", link);
            m.put("switch", switchPort);
            m.put("dhcp", dhcp);
            m.put("gateway", gateway);
            m.put("dns", dns);
            return m;
        }
    }

    /** A switch port's announcement (LLDP, IEEE 802.1AB; or CDP). {@code protocol}: "lldp" or "cdp". */
    public record Switch(String name, String chassisId, String port, String portDescription, int vlan,
            int voiceVlan, String managementIp, String platform, String protocol, long seenNanos) {
        Switch withoutTime() {
            return new Switch(name, chassisId, port, portDescription, vlan, voiceVlan, managementIp, platform, protocol, 0);
        }
    }

    /** The site's DHCP server: its identifier, the shortest DISCOVER-to-OFFER time, leases granted. */
    public record Dhcp(String server, long offerMs, int leases, String router, List<String> dns, long leaseS) {
        public Dhcp {
            dns = List.copyOf(dns);
        }
    }

    /** The devices' gateway; {@code learnedFrom}: "dhcp" (an ACK's router) or "traffic". */
    public record Gateway(String ip, String mac, String learnedFrom, boolean answersArp) { }

    /** A router advertising on the segment (RFC 4861 RA): its prefixes as "2001:db8:a::/64". */
    public record Ipv6Router(String ip, String mac, List<String> prefixes, long lifetimeS) {
        public Ipv6Router {
            prefixes = List.copyOf(prefixes);
        }
    }

    /** An 802.1X authenticator seen, and how many clients it let in or refused. */
    public record Dot1x(boolean authenticator, int ok, int failed) { }

    /** Collects the parts from each {@link SiteSource}. */
    public static final class Builder {
        private final long timeNanos;
        private Switch switchPort;
        private final List<Switch> switches = new ArrayList<>();
        private Dhcp dhcp;
        private Gateway gateway;
        private final List<Ipv6Router> ipv6Routers = new ArrayList<>();
        private Dot1x dot1x;
        private Map<String, String> links = Map.of();
        private boolean dnsAnswered;

        public Builder(long timeNanos) {
            this.timeNanos = timeNanos;
        }

        public Builder switchPort(Switch s) { this.switchPort = s; return this; }
        public Builder addSwitch(Switch s) { switches.add(s); return this; }
        public Builder dhcp(Dhcp d) { this.dhcp = d; return this; }
        public Builder gateway(Gateway g) { this.gateway = g; return this; }
        public Builder addIpv6Router(Ipv6Router r) { ipv6Routers.add(r); return this; }
        public Builder dot1x(Dot1x d) { this.dot1x = d; return this; }
        /** The NICs' link states, side A first (live). */
        public Builder links(Map<String, String> l) { this.links = l; return this; }
        /** Whether a DNS query was answered (the checklist's DNS). */
        public Builder dnsAnswered(boolean answered) { this.dnsAnswered = answered; return this; }

        public SiteRecord build() {
            return new SiteRecord(timeNanos, switchPort, switches, dhcp, gateway, ipv6Routers, dot1x, links,
                    Checks.of(links, switchPort, switches, dhcp, gateway, dnsAnswered));
        }
    }
}
