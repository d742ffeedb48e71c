package org.tapdoctor.site;

import java.util.ArrayList;
import java.util.List;

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
 */
public record SiteRecord(long timeNanos, Switch switchPort, List<Switch> switches, Dhcp dhcp,
        Gateway gateway, List<Ipv6Router> ipv6Routers, Dot1x dot1x) {

    public SiteRecord {
        switches = List.copyOf(switches);
        ipv6Routers = List.copyOf(ipv6Routers);
    }

    /** A switch port's announcement (LLDP, IEEE 802.1AB; or CDP). {@code protocol}: "lldp" or "cdp". */
    public record Switch(String name, String chassisId, String port, String portDescription, int vlan,
            int voiceVlan, String managementIp, String platform, String protocol, long seenNanos) { }

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

        public Builder(long timeNanos) {
            this.timeNanos = timeNanos;
        }

        public Builder switchPort(Switch s) { this.switchPort = s; return this; }
        public Builder addSwitch(Switch s) { switches.add(s); return this; }
        public Builder dhcp(Dhcp d) { this.dhcp = d; return this; }
        public Builder gateway(Gateway g) { this.gateway = g; return this; }
        public Builder addIpv6Router(Ipv6Router r) { ipv6Routers.add(r); return this; }
        public Builder dot1x(Dot1x d) { this.dot1x = d; return this; }

        public SiteRecord build() {
            return new SiteRecord(timeNanos, switchPort, switches, dhcp, gateway, ipv6Routers, dot1x);
        }
    }
}
