package org.tapdoctor.track;

import static org.tapdoctor.track.DhcpDevices.BOUND_IP;
import static org.tapdoctor.track.DhcpDevices.BOUND_SERVER;
import static org.tapdoctor.track.DhcpDevices.DISCOVERS;
import static org.tapdoctor.track.DhcpDevices.DISCOVER_TIME;
import static org.tapdoctor.track.DhcpDevices.FIRST_ATTEMPT;
import static org.tapdoctor.track.DhcpDevices.LAST_ATTEMPT;
import static org.tapdoctor.track.DhcpDevices.LAST_NAK;
import static org.tapdoctor.track.DhcpDevices.LAST_SEEN;
import static org.tapdoctor.track.DhcpDevices.LEASE_END;
import static org.tapdoctor.track.DhcpDevices.LINK_LOCAL;
import static org.tapdoctor.track.DhcpDevices.LINK_LOCAL_REPORTED;
import static org.tapdoctor.track.DhcpDevices.NAKS;
import static org.tapdoctor.track.DhcpDevices.NONE;
import static org.tapdoctor.track.DhcpDevices.OFFERS;
import static org.tapdoctor.track.DhcpDevices.RELAY;
import static org.tapdoctor.track.DhcpDevices.REPORTED;
import static org.tapdoctor.track.DhcpDevices.REQUESTS;
import static org.tapdoctor.track.DhcpDevices.ROUTER;
import static org.tapdoctor.track.DhcpDevices.SERVER;
import static org.tapdoctor.track.DhcpDevices.XID;

import org.tapdoctor.wire.DecodedFrame;

/**
 * Follows DHCPv4 (RFC 2131) and the addresses devices end up with: the rules of {@code
 * dhcp_failure}, {@code dhcp_rogue_server}, {@code no_address} and the gateway role of {@code
 * host_down} (docs/diagnosis-rules.md section 4), over three tables allocated once: the devices
 * ({@link DhcpDevices}), the servers ({@link DhcpServers}) and the gateways ({@link Gateways}).
 *
 * <ul>
 *   <li>A device's <em>run</em> of attempts: its DISCOVERs (any xid) and its REQUESTs from no
 *   address (ciaddr 0: selecting, init-reboot), since its last ACK. A REQUEST from an address
 *   (renewing, rebinding) is not an attempt: the device still has its lease. INFORM, DECLINE and
 *   RELEASE are not attempts. An OFFER counts for the device; a NAK answers its REQUESTs; an ACK
 *   with an address ends the run.
 *   <li>A run fails when {@code dhcp.min-attempts} DISCOVERs or unanswered REQUESTs were made and
 *   {@code dhcp.timeout} passed after the last, or a NAK was not followed by an ACK within
 *   {@code dhcp.nak-window}. Once reported, the run's later attempts update the same report.
 * </ul>
 *
 * <p>Time is the frames' (or {@link #expire}'s); nothing on the per-frame path allocates. Caveats:
 * one owner thread; a device evicted from a full table loses its run (counted).
 */
public final class DhcpTracker implements GatewayRole {
    static final int DISCOVER = 1, OFFER = 2, REQUEST = 3, ACK = 5, NAK = 6;
    private static final long MS = 1_000_000L, S = 1_000_000_000L;
    /** RFC 3927 2.1: 169.254.1.0 to 169.254.254.255 (the first and last 256 are reserved). */
    private static final int LINK_LOCAL_NET = 0xA9FE_0000;
    /** A device's 169.254/16 address is reported again (the same problem, touched) at most this often. */
    private static final long LINK_LOCAL_REPEAT_NANOS = 60 * S;

    private final DhcpSettings settings;
    private final TrackerListener listener;
    private final DhcpDevices devices = new DhcpDevices(DhcpDevices.CAPACITY);
    private final DhcpServers servers = new DhcpServers();
    private final Gateways gateways = new Gateways();
    /** Where devices' off-link traffic goes (gateways learned from traffic); null until {@link #arp} is given. */
    private NextHops nextHops;
    private final int[] dns = new int[DhcpServers.DNS_KEPT];
    private int siteServer = -1;
    private long siteChanges;
    private long roleMac = -1;
    /** The client-side NIC's capture side (live, {@code client_side} set), else -1. */
    private int clientSide = -1;

    public DhcpTracker(DhcpSettings settings, TrackerListener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    public DhcpSettings settings() { return settings; }
    public DhcpDevices devices() { return devices; }
    public DhcpServers servers() { return servers; }
    public Gateways gateways() { return gateways; }
    /** The next hops of devices' off-link traffic, or null when no ARP table was given. */
    public NextHops nextHops() { return nextHops; }

    /** Live, with {@code client_side} set: a server whose replies come in on that NIC is a rogue. */
    void clientSide(int side) {
        this.clientSide = side;
    }

    /** Learns gateways from traffic too, telling a next hop's own addresses by {@code arp}'s claims. */
    void arp(ArpTable arp) {
        this.nextHops = new NextHops(arp, gateways, devices);
    }
    /** Moves whenever the site's server, its offer, or a gateway appears, changes or ages out. */
    public long siteChanges() { return siteChanges; }
    /** The site's server's slot now (see {@link DhcpServers}), or -1. */
    public int siteServer() { return servers.site(settings); }

    /** Follows one DHCP message. */
    public void onDhcp(DecodedFrame f) {
        long mac = f.dhcpClientMac();
        int type = f.dhcpMessageType();
        if (mac == -1 || type < 0) {
            return; // not Ethernet, or BOOTP without a message type: nothing a device's DHCP says
        }
        long now = f.timeNanos();
        if (f.dhcpOp() == 1) {
            onClientMessage(f, mac, type, now);
        } else if (f.dhcpOp() == 2 && (type == OFFER || type == ACK || type == NAK)) {
            int server = f.dhcpServerId();
            if (server == 0 && f.ipVersion() == 4) {
                server = (int) f.srcLo();
            }
            if (server != 0) {
                onServerReply(f, mac, type, server, now);
            }
        }
    }

    private void onClientMessage(DecodedFrame f, long mac, int type, long now) {
        int i = devices.findOrInsert(mac, now);
        if (f.dhcpRelayIp() != 0) {
            devices.set(i, RELAY, f.dhcpRelayIp() & 0xFFFF_FFFFL);
        }
        if (f.dhcpServerId() != 0) {
            devices.set(i, SERVER, f.dhcpServerId() & 0xFFFF_FFFFL); // its REQUEST or RELEASE names it (SITE-NOTES S9)
        }
        if (type == DISCOVER) {
            attempt(i, now);
            devices.add(i, DISCOVERS, 1);
            devices.set(i, XID, f.dhcpXid() & 0xFFFF_FFFFL);
            devices.set(i, DISCOVER_TIME, now);
            updateReported(i);
        } else if (type == REQUEST && f.dhcpClientIp() == 0) {
            attempt(i, now);
            devices.add(i, REQUESTS, 1);
            updateReported(i);
        }
    }

    private void attempt(int i, long now) {
        if (!devices.inRun(i)) {
            devices.set(i, FIRST_ATTEMPT, now);
        }
        devices.set(i, LAST_ATTEMPT, now);
    }

    private void onServerReply(DecodedFrame f, long mac, int type, int server, long now) {
        boolean newServer = servers.slotOf(server) < 0;
        int s = servers.findOrInsert(server, now);
        servers.lastReply[s] = now;
        servers.side[s] = f.side();
        if (clientSide >= 0 && f.side() == clientSide && !servers.clientSide[s]) {
            servers.clientSide[s] = true; // a server behind the tap, on the devices' side: never the site's
            siteChanges++;
        }
        if (f.dhcpRelayIp() != 0) {
            servers.relay[s] = f.dhcpRelayIp();
        }
        int i = type == NAK || type == OFFER ? devices.slotOf(mac) : -1;
        if (type == OFFER) {
            servers.offers[s]++;
            offered(f, s);
            if (i >= 0) {
                devices.add(i, OFFERS, 1);
                devices.set(i, SERVER, server & 0xFFFF_FFFFL);
                long asked = devices.get(i, DISCOVER_TIME);
                if (asked != NONE && (int) devices.get(i, XID) == f.dhcpXid()) {
                    servers.offerMs[s] = (now - asked + MS - 1) / MS; // rounded up: 0.4 ms is 1 ms, 0 stays 0
                }
            }
        } else if (type == NAK) {
            servers.naks[s]++;
            if (i >= 0) {
                attempt(i, now);
                devices.add(i, NAKS, 1);
                devices.set(i, REQUESTS, 0); // answered
                devices.set(i, LAST_NAK, now);
                devices.set(i, SERVER, server & 0xFFFF_FFFFL);
                devices.set(i, LEASE_END, NONE);
            }
        } else if (f.dhcpYourIp() != 0) {
            servers.acks[s]++;
            offered(f, s);
            lease(f, mac, s, server, now);
        } else {
            servers.acks[s]++; // an ACK to INFORM: no address, no lease (SITE-NOTES S3)
        }
        if (newServer) {
            siteChanges++;
        }
        if (type != NAK) {
            judgeServers(s, now);
        }
    }

    private void offered(DecodedFrame f, int s) {
        int n = Math.min(f.dhcpDnsCount(), DhcpServers.DNS_KEPT);
        for (int k = 0; k < n; k++) {
            dns[k] = f.dhcpDnsServer(k);
        }
        int routerBefore = servers.router[s];
        long leaseBefore = servers.leaseSeconds[s];
        servers.offered(s, f.dhcpRouter(), f.dhcpLeaseSeconds(), dns, n);
        if (s == siteServer && (routerBefore != servers.router[s] || leaseBefore != servers.leaseSeconds[s])) {
            siteChanges++;
        }
    }

    private void lease(DecodedFrame f, long mac, int s, int server, long now) {
        int i = devices.findOrInsert(mac, now);
        int ip = f.dhcpYourIp();
        if ((int) devices.get(i, BOUND_IP) != ip || (int) devices.get(i, BOUND_SERVER) != server) {
            servers.bindings[s]++; // a new binding; a renewal of the same one is not
        }
        devices.set(i, BOUND_IP, ip & 0xFFFF_FFFFL);
        devices.set(i, BOUND_SERVER, server & 0xFFFF_FFFFL);
        devices.set(i, ROUTER, f.dhcpRouter() & 0xFFFF_FFFFL);
        long lease = f.dhcpLeaseSeconds();
        devices.set(i, LEASE_END, lease < 0 ? now + DhcpDevices.WINDOW_NANOS : now + Math.min(lease, 1L << 32) * S);
        devices.clearRun(i);
        if (f.dhcpRouter() != 0 && gateways.leased(f.dhcpRouter(), now)) {
            siteChanges++;
        }
    }

    /**
     * After an OFFER or ACK: when two servers or more replied within {@code dhcp.server-window},
     * every one that is not the site's is said (the one that replied now, or all of them when the
     * site's server changed, and the new site's server then to take its report back). Live, a
     * server heard on the client-side NIC is said alone too (without an allowed list).
     */
    private void judgeServers(int replied, long now) {
        int site = servers.site(settings);
        boolean siteMoved = site != siteServer;
        if (siteMoved) {
            siteServer = site;
            siteChanges++;
        }
        int active = 0;
        for (int s = 0; s < DhcpServers.CAPACITY; s++) {
            if (active(s, now)) {
                active++;
            }
        }
        int siteId = site < 0 ? 0 : servers.id[site];
        for (int s = 0; s < DhcpServers.CAPACITY; s++) {
            if (active(s, now) && (s == replied || siteMoved) && (active >= 2 || rogueBySide(s))) {
                listener.onDhcpServer(servers.id[s], siteId, servers.offers[s], servers.bindings[s], servers.router[s],
                        servers.leaseSeconds[s], heardOn(s), servers.firstReply[s], servers.lastReply[s]);
            }
        }
    }

    /** A server heard on the client-side NIC, judged by it (no allowed list says otherwise). */
    private boolean rogueBySide(int s) {
        return servers.clientSide[s] && !settings.hasAllowedList();
    }

    private int heardOn(int s) {
        if (clientSide < 0 || servers.side[s] < 0 && !servers.clientSide[s]) {
            return TrackerListener.HEARD_UNKNOWN;
        }
        return servers.clientSide[s] ? TrackerListener.HEARD_CLIENT_SIDE : TrackerListener.HEARD_NETWORK_SIDE;
    }

    private boolean active(int s, long now) {
        return servers.used[s] && servers.offers[s] + servers.bindings[s] > 0
                && now - servers.lastReply[s] < settings.serverWindowNanos();
    }

    /** A reported run's new attempt: the report grows. */
    private void updateReported(int i) {
        if (devices.get(i, REPORTED) != 0) {
            report(i);
        }
    }

    /** Decides the runs whose timeouts passed; forgets devices and servers that aged out. */
    public void expire(long now) {
        for (int i = devices.nextInUse(0); i < devices.slots(); i = devices.nextInUse(i + 1)) {
            if (devices.inRun(i) && devices.get(i, REPORTED) == 0) {
                if (failedAttempts(i) && now - devices.get(i, LAST_ATTEMPT) >= settings.timeoutNanos()) {
                    report(i);
                } else if (devices.get(i, NAKS) > 0 && now - devices.get(i, LAST_NAK) >= settings.nakWindowNanos()) {
                    report(i);
                }
            }
            if (devices.inRun(i) && now - devices.get(i, LAST_ATTEMPT) >= DhcpDevices.WINDOW_NANOS) {
                devices.clearRun(i); // too few attempts over a long time, or a reported run gone quiet
            }
            if (!devices.inRun(i) && now - devices.get(i, LAST_SEEN) >= DhcpDevices.WINDOW_NANOS
                    && devices.leasedIp(i, now) == 0) {
                devices.remove(i);
                i--; // the backward shift may have moved the next entry here
            }
        }
        if (nextHops != null) {
            nextHops.expire(now);
        }
        if (servers.expire(now) | gateways.expire(now)) {
            siteChanges++;
        }
    }

    /** End of a capture: a run of enough attempts already retried over at least a second failed. */
    public void finish(long end) {
        for (int i = devices.nextInUse(0); i < devices.slots(); i = devices.nextInUse(i + 1)) {
            if (devices.inRun(i) && devices.get(i, REPORTED) == 0 && failedAttempts(i)
                    && (end - devices.get(i, LAST_ATTEMPT) >= settings.timeoutNanos()
                        || devices.get(i, LAST_ATTEMPT) - devices.get(i, FIRST_ATTEMPT) >= S)) {
                report(i);
            }
        }
    }

    private boolean failedAttempts(int i) {
        return devices.get(i, DISCOVERS) >= settings.minAttempts() || devices.get(i, REQUESTS) >= settings.minAttempts();
    }

    private void report(int i) {
        devices.set(i, REPORTED, 1);
        long first = devices.get(i, FIRST_ATTEMPT);
        long last = Math.max(devices.get(i, LAST_ATTEMPT), devices.get(i, LAST_NAK));
        listener.onDhcpFailure(devices.mac(i), devices.leasedIp(i, last), (int) devices.get(i, SERVER),
                (int) devices.get(i, RELAY), (int) devices.get(i, DISCOVERS), (int) devices.get(i, REQUESTS),
                (int) devices.get(i, NAKS), (int) devices.get(i, OFFERS), first, last);
    }

    // ---- addresses: 169.254/16 and gateways ----

    /** Whether an IPv4 address is in RFC 3927's usable link-local range. */
    public static boolean linkLocal(int ip) {
        int third = (ip >>> 8) & 0xFF;
        return (ip & 0xFFFF_0000) == LINK_LOCAL_NET && third != 0 && third != 255;
    }

    /** An IPv4 packet: a source on 169.254/16 is a device without a DHCP address; where a device's traffic goes. */
    public void onIpv4(DecodedFrame f) {
        int src = (int) f.srcLo();
        if ((src & 0xFFFF_0000) == LINK_LOCAL_NET && linkLocal(src) && f.srcMac() != -1) {
            onLinkLocal(f.srcMac(), src, f.timeNanos());
        }
        if (nextHops != null && nextHops.onIpv4(f)) {
            siteChanges++;
        }
    }

    /** An ARP packet: the gateway's answer, or a 169.254/16 announcement (sender = target; a probe's sender is 0.0.0.0). */
    public void onArp(DecodedFrame f) {
        if (nextHops != null) {
            nextHops.onArp(f);
        }
        int sender = f.arpSenderIp();
        if (sender == 0) {
            return;
        }
        if (gateways.arpFrom(sender, f.arpSenderMac(), f.timeNanos())) {
            siteChanges++;
        }
        if (sender == f.arpTargetIp() && linkLocal(sender)) {
            onLinkLocal(f.arpSenderMac(), sender, f.timeNanos());
        }
    }

    private void onLinkLocal(long mac, int ip, long now) {
        int i = devices.findOrInsert(mac, now);
        long reported = devices.get(i, LINK_LOCAL_REPORTED);
        if ((int) devices.get(i, LINK_LOCAL) != ip || reported == NONE || now - reported >= LINK_LOCAL_REPEAT_NANOS) {
            devices.set(i, LINK_LOCAL, ip & 0xFFFF_FFFFL);
            devices.set(i, LINK_LOCAL_REPORTED, now);
            listener.onLinkLocalAddress(mac, ip, (int) devices.get(i, DISCOVERS), now);
        }
    }

    /**
     * The gateway role of {@code ip} for the device at {@code askerIp}: its lease's router; else,
     * when no lease of it names a router (DHCP's router option wins), where its off-link traffic went.
     */
    @Override
    public int roleOf(int ip, int askerIp, long now) {
        roleMac = -1;
        for (int i = devices.nextInUse(0); i < devices.slots(); i = devices.nextInUse(i + 1)) {
            if (devices.leasedIp(i, now) == askerIp && devices.router(i, now) != 0) {
                if (devices.router(i, now) != ip) {
                    return NONE_ROLE; // its lease names another router
                }
                roleMac = devices.mac(i);
                gatewayUnanswered(ip);
                return Gateways.LEARNED_DHCP;
            }
        }
        long device = nextHops == null ? -1 : nextHops.deviceOf(ip, askerIp);
        if (device == -1) {
            return NONE_ROLE;
        }
        roleMac = device;
        gatewayUnanswered(ip);
        return Gateways.LEARNED_TRAFFIC;
    }

    private void gatewayUnanswered(int ip) {
        if (gateways.unanswered(ip)) {
            siteChanges++;
        }
    }

    @Override
    public long askerMac() {
        return roleMac;
    }
}
