package org.tapdoctor.diagnose;

import org.tapdoctor.wire.TestPackets;

/**
 * DHCP exchanges (RFC 2131 4.4) scripted onto a {@link Wire}: times in ms from {@link Wire#EPOCH},
 * broadcast from 0.0.0.0 as a client without an address sends them.
 */
final class DhcpScript {
    static final String NONE = "0.0.0.0", BROADCAST = "255.255.255.255";
    static final int DISCOVER = 1, OFFER = 2, REQUEST = 3, ACK = 5, NAK = 6, RELEASE = 7;

    private final Wire w;

    DhcpScript(Wire w) {
        this.w = w;
    }

    private static long t(long ms) {
        return Wire.EPOCH + ms * Wire.MS;
    }

    DhcpScript discover(long ms, long mac, int xid) {
        w.frame(TestPackets.dhcp(t(ms), DISCOVER, mac, xid, NONE, BROADCAST, NONE, NONE, NONE, NONE, -1, NONE));
        return this;
    }

    DhcpScript offer(long ms, long mac, int xid, String server, String yiaddr, String router, long lease) {
        w.frame(TestPackets.dhcp(t(ms), OFFER, mac, xid, server, BROADCAST, NONE, yiaddr, server, router, lease, NONE));
        return this;
    }

    /** A REQUEST selecting {@code server}'s offer (ciaddr 0). */
    DhcpScript request(long ms, long mac, int xid, String server) {
        w.frame(TestPackets.dhcp(t(ms), REQUEST, mac, xid, NONE, BROADCAST, NONE, NONE, server, NONE, -1, NONE));
        return this;
    }

    /** A renewal: unicast from the address it holds (ciaddr set), no server identifier (RFC 2131 4.3.2). */
    DhcpScript renew(long ms, long mac, int xid, String ciaddr, String server) {
        w.frame(TestPackets.dhcp(t(ms), REQUEST, mac, xid, ciaddr, server, ciaddr, NONE, NONE, NONE, -1, NONE));
        return this;
    }

    DhcpScript ack(long ms, long mac, int xid, String server, String yiaddr, String router, long lease) {
        w.frame(TestPackets.dhcp(t(ms), ACK, mac, xid, server, BROADCAST, NONE, yiaddr, server, router, lease, NONE));
        return this;
    }

    DhcpScript nak(long ms, long mac, int xid, String server) {
        w.frame(TestPackets.dhcp(t(ms), NAK, mac, xid, server, BROADCAST, NONE, NONE, server, NONE, -1, NONE));
        return this;
    }

    DhcpScript release(long ms, long mac, int xid, String ciaddr, String server) {
        w.frame(TestPackets.dhcp(t(ms), RELEASE, mac, xid, ciaddr, server, ciaddr, NONE, server, NONE, -1, NONE));
        return this;
    }

    /** DISCOVER, OFFER, REQUEST, ACK within 4 ms: a healthy lease of {@code ip} from {@code server}. */
    DhcpScript lease(long ms, long mac, int xid, String server, String ip, String router) {
        return discover(ms, mac, xid).offer(ms + 1, mac, xid, server, ip, router, 3600).request(ms + 2, mac, xid, server)
                .ack(ms + 3, mac, xid, server, ip, router, 3600);
    }

    Wire wire() {
        return w;
    }
}
