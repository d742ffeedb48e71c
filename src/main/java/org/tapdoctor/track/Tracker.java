package org.tapdoctor.track;

import java.util.List;

import org.tapdoctor.site.DhcpSite;
import org.tapdoctor.site.NeighbourTable;
import org.tapdoctor.site.SiteSource;
import org.tapdoctor.wire.DecodedFrame;

/**
 * The tracking stage: takes every decoded frame in time order, hands it to the table that follows
 * its protocol, and advances the timeouts. All tables are allocated here, once, at the capacities
 * of the {@link TrackerConfig}; nothing on the per-frame path allocates.
 *
 * <p>Time comes only from the frames ({@link DecodedFrame#timeNanos()}) and from {@link #advance};
 * timeouts are swept every {@code sweepInterval} of that time.
 */
public final class Tracker {
    private final TrackerConfig config;
    private final TrackerStats stats = new TrackerStats();
    private final ConnectionTable connections;
    private final ServerTable servers;
    private final TcpTracker tcp;
    private final ArpTable arp;
    private final DnsTable dns;
    private final DhcpTracker dhcp;
    private final NeighbourTable neighbours = new NeighbourTable();
    private final Ipv6NeighborTable neighbors;
    private final RouterTable routers;
    private final Dot1xTable dot1x;
    private final List<SiteSource> siteSources;
    private long nextSweep = Long.MIN_VALUE;
    private long lastTime = Long.MIN_VALUE;

    public Tracker(TrackerConfig config, TrackerListener listener) {
        this(config, DhcpSettings.defaults(), listener);
    }

    public Tracker(TrackerConfig config, DhcpSettings dhcpSettings, TrackerListener listener) {
        this.config = config;
        this.connections = new ConnectionTable(config.connections());
        this.servers = new ServerTable(config.serverPorts());
        this.tcp = new TcpTracker(config, connections, servers, stats, listener);
        this.arp = new ArpTable(config, listener);
        this.dns = new DnsTable(config, listener);
        this.dhcp = new DhcpTracker(dhcpSettings, listener);
        this.arp.gateways(dhcp);
        this.dhcp.arp(arp);
        this.dhcp.clientSide(config.ipv6Dot1x().clientSide()); // live: replies on the client-side NIC are a rogue's // the gateways learned from traffic tell a next hop's own addresses by its ARP claims
        this.neighbors = new Ipv6NeighborTable(config.ipv6Dot1x(), listener);
        this.routers = new RouterTable(config.ipv6Dot1x(), listener);
        this.dot1x = new Dot1xTable(config.ipv6Dot1x(), listener);
        // Every table that knows part of the site, in the order its part appears in the record.
        this.siteSources = List.of(neighbours, new DhcpSite(dhcp), new org.tapdoctor.site.RouterSite(routers),
                new org.tapdoctor.site.Dot1xSite(dot1x));
    }

    /** Follows one frame that decoded successfully. */
    public void onFrame(DecodedFrame f) {
        advance(f.timeNanos());
        stats.frames++;
        if (f.ipVersion() == 4) {
            dhcp.onIpv4(f); // a 169.254/16 source: no_address
        } else if (f.ipVersion() == 6) {
            routers.onSource(f.srcHi(), f.srcLo()); // which router's prefix devices use (only while two advertise)
        }
        switch (f.type()) {
            case TCP -> tcp.onSegment(f);
            case DNS -> {
                stats.dnsMessages++;
                dns.onDns(f);
            }
            case ICMP_ERROR -> onIcmpError(f);
            case ARP -> {
                stats.arpPackets++;
                arp.onArp(f);
                dhcp.onArp(f);
            }
            case DHCP -> dhcp.onDhcp(f);
            case LLDP, CDP -> neighbours.onDiscovery(f);
            case NEIGHBOR_DISCOVERY -> onNeighborDiscovery(f);
            case EAPOL -> dot1x.onEapol(f);
            default -> { }
        }
    }

    /** RFC 4861: RAs to the routers, NS and NA to the neighbours (a DAD probe is an NS from ::). */
    private void onNeighborDiscovery(DecodedFrame f) {
        long now = f.timeNanos();
        boolean unspecified = f.srcHi() == 0 && f.srcLo() == 0;
        if (!unspecified) {
            neighbors.onSignOfLife(f.srcHi(), f.srcLo(), now);
        }
        switch (f.icmpType()) {
            case 134 -> routers.onAdvertisement(f);
            case 135 -> {
                if (unspecified) {
                    neighbors.onDadProbe(f.ndTargetHi(), f.ndTargetLo(), f.srcMac(), now);
                } else if (f.ndTargetHi() != f.srcHi() || f.ndTargetLo() != f.srcLo()) {
                    neighbors.onSolicitation(f.ndTargetHi(), f.ndTargetLo(), f.srcHi(), f.srcLo(), now);
                }
            }
            case 136 -> {
                neighbors.onAdvertisement(f.ndTargetHi(), f.ndTargetLo(), f.srcMac(), now);
                routers.onSource(f.ndTargetHi(), f.ndTargetLo());
            }
            default -> { }
        }
    }

    private void onIcmpError(DecodedFrame f) {
        stats.icmpErrors++;
        if (tooBig(f) && f.quotedProtocol() == 6 && f.quotedSrcPort() >= 0) {
            tcp.onTooBig(f);
            return;
        }
        if (answersSyn(f) && f.quotedProtocol() == 6 && f.quotedSrcPort() >= 0) {
            tcp.onUnreachable(f);
        } else {
            // Errors about UDP (a UDP traceroute's) and about segments not followed are counted, not judged.
            stats.icmpUnmatched++;
        }
    }

    /**
     * The ICMP errors that can answer a SYN: destination unreachable (v4 3 but fragmentation
     * needed, v6 1), time exceeded (v4 11, v6 3) and parameter problem (v4 12, v6 4).
     */
    static boolean answersSyn(DecodedFrame f) {
        int type = f.icmpType();
        return f.ipVersion() == 4 ? (type == 3 && f.icmpCode() != 4) || type == 11 || type == 12
                : type == 1 || type == 3 || type == 4;
    }

    /** ICMP fragmentation needed (3/4, RFC 1191) or ICMPv6 packet too big (2, RFC 4443 section 3.2). */
    private static boolean tooBig(DecodedFrame f) {
        return f.ipVersion() == 4 ? f.icmpType() == 3 && f.icmpCode() == 4 : f.icmpType() == 2;
    }

    /** Moves time forward (a frame's time, or the clock when idle), sweeping timeouts when due. */
    public void advance(long now) {
        if (now > lastTime) {
            lastTime = now;
        }
        if (nextSweep == Long.MIN_VALUE) {
            nextSweep = now + config.sweepIntervalNanos();
            return;
        }
        if (now >= nextSweep) {
            sweep(now);
            nextSweep = now + config.sweepIntervalNanos();
        }
    }

    private void sweep(long now) {
        tcp.expire(now);
        arp.expire(now);
        dns.expire(now);
        dhcp.expire(now);
        neighbours.expire(now);
        neighbors.expire(now);
        routers.expire(now);
        dot1x.expire(now);
    }

    /** End of a capture: conclude everything the timeouts allow at the last frame's time. */
    public void finish() {
        if (lastTime == Long.MIN_VALUE) {
            return;
        }
        sweep(lastTime);
        tcp.finish(lastTime);
        dns.finish(lastTime);
        arp.finish(lastTime);
        dhcp.finish(lastTime);
        neighbors.finish(lastTime);
        routers.finish(lastTime);
        dot1x.finish(lastTime);
    }

    /** The time of the latest frame or {@link #advance}, or {@link Long#MIN_VALUE} before any. */
    public long lastTime() {
        return lastTime;
    }

    public TrackerConfig config() { return config; }
    public TrackerStats stats() { return stats; }
    public ConnectionTable connections() { return connections; }
    public ServerTable servers() { return servers; }
    public ArpTable arp() { return arp; }
    public DnsTable dns() { return dns; }
    /** DHCP devices, servers and gateways. */
    public DhcpTracker dhcp() { return dhcp; }
    /** The switches announcing themselves (LLDP, CDP). */
    public NeighbourTable neighbours() { return neighbours; }
    public Ipv6NeighborTable neighbors() { return neighbors; }
    public RouterTable routers() { return routers; }
    public Dot1xTable dot1x() { return dot1x; }
    /** The tables the site record is built from (org.tapdoctor.site). */
    public List<SiteSource> siteSources() { return siteSources; }
}
