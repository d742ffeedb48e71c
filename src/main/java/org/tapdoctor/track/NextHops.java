package org.tapdoctor.track;

import org.tapdoctor.wire.DecodedFrame;

/**
 * Where devices' off-link IPv4 traffic goes: the gateways {@code learned_from}=traffic
 * (docs/diagnosis-rules.md section 4, {@code host_down} with {@code "role":"gateway"}). A device
 * hands every packet for an address off its subnet to its gateway's MAC (RFC 1122 3.3.1.1), so a
 * gateway is the destination MAC that carries one device's packets to many addresses; an on-link
 * peer (a server on the segment, however many devices talk to it) receives only its own.
 *
 * <p>Per (device MAC, next-hop MAC) pair, the Ethernet source and destination of the device's
 * unicast IPv4 packets: the device's address and up to {@link #KEPT} distinct destination
 * addresses. The next hop is the device's gateway when at least {@link #MIN_DESTINATIONS} of them
 * are not the next hop's own: not an address ARP shows at its MAC, and not claimed by its MAC
 * in the {@link ArpTable} (a server's second address). The gateway's address is the one the
 * device itself resolved to that MAC (the next hop's ARP reply to it, or its own unicast ARP
 * request to it), else the one the next hop's own ARP last came from, preferring one that is not
 * among the device's destinations: an L3 switch that is gateway 192.0.2.1 and DNS server
 * 192.0.2.2 on one MAC is the device's gateway at .1, the address it does not send to (a home
 * router that is also its DNS server has one address: that one). A pair that kept {@link
 * #KEPT} addresses without passing is not looked at again. A gateway is told to {@link Gateways} (the
 * site record) unless the device's DHCP lease names a router: DHCP's router option wins.
 *
 * <p>The MAC-to-address map is direct-mapped ({@link #MAC_SLOTS}): a collision forgets one, and the
 * next ARP from that MAC puts it back. Open addressing over primitive arrays allocated once; a
 * pair idle {@link #AGE_NANOS} is forgotten; when full, an unlearned pair near the new one's home
 * goes first (counted). Time is the frames'. Caveats: not thread-safe; a host whose many
 * addresses all answered ARP before the capture began is not told from a router (it needs
 * {@link #MIN_DESTINATIONS} addresses on one MAC that ARP never showed); a proxy-ARP router, whose
 * MAC ARP shows at every address, is never learned (silent, not wrong).
 */
public final class NextHops extends OpenTable implements OpenTable.Ranking {
    /** Distinct destinations, not the next hop's own, that make a next hop a device's gateway. */
    public static final int MIN_DESTINATIONS = 3;
    /** Destinations kept per pair. */
    static final int KEPT = 4;
    /** A pair is forgotten 10 minutes after its last packet (as a gateway without a sign). */
    static final long AGE_NANOS = 600_000_000_000L;
    /** A learned gateway's sign of life is passed to {@link Gateways} at most this often. */
    static final long REFRESH_NANOS = 10_000_000_000L;
    static final int MAC_SLOTS = 2048;
    public static final int CAPACITY = 1024;

    // Slot words: 0 DEVICE (MAC), 1 HOP (MAC), 2 IPS (device address bits 0-31, the gateway's
    // address as last judged bits 32-63, 0: none), 3 DEST01, 4 DEST23 (kept destinations, two a
    // word), 5 META (kept count bits 0-7, flags above), 6 LAST_SEEN, 7 TOLD (last told to Gateways),
    // 8 RESOLVED (the next hop's addresses the device resolved by ARP: the latest bits 0-31, the one before bits 32-63)
    private static final int DEVICE = 0, HOP = 1, IPS = 2, DEST01 = 3, DEST23 = 4, META = 5, LAST_SEEN = 6, TOLD = 7,
            RESOLVED = 8, STRIDE = 9;
    private static final long LEARNED = 1 << 8, GIVEN_UP = 1 << 9;
    /** Heap bytes: the pairs' slots and the MAC map. */
    public static final int BYTES = Tables.slotsFor(CAPACITY) * STRIDE * 8 + MAC_SLOTS * 12;

    private final ArpTable arp;
    private final Gateways gateways;
    private final DhcpDevices devices;
    private final long[] macKeys = new long[MAC_SLOTS];
    private final int[] macIps = new int[MAC_SLOTS];
    private long evictions;

    NextHops(ArpTable arp, Gateways gateways, DhcpDevices devices) {
        super(CAPACITY, STRIDE);
        this.arp = arp;
        this.gateways = gateways;
        this.devices = devices;
        java.util.Arrays.fill(macKeys, -1);
    }

    public long evictions() { return evictions; }

    @Override
    protected int home(int b) {
        return homeOf(words[b + DEVICE], words[b + HOP]);
    }

    private int homeOf(long device, long hop) {
        return Tables.hash(device, hop, 0, mask);
    }

    /** A unicast MAC: known, and its I/G bit (the first octet's lowest) clear. */
    private static boolean unicast(long mac) {
        return mac != -1 && (mac & 0x0100_0000_0000L) == 0;
    }

    /** An address a device sends to one host: not 0/8, not multicast (224/4) or 240/4, not 255.255.255.255. */
    private static boolean unicastIp(int ip) {
        int first = ip >>> 24;
        return first != 0 && first < 224;
    }

    /** One IPv4 packet: true when a gateway became known to {@link Gateways} (the site record changed). */
    boolean onIpv4(DecodedFrame f) {
        long device = f.srcMac(), hop = f.dstMac();
        int src = (int) f.srcLo(), dst = (int) f.dstLo();
        if (!unicast(device) || !unicast(hop) || !unicastIp(src) || !unicastIp(dst)) {
            return false;
        }
        long now = f.timeNanos();
        int i = findOrInsert(device, hop, now);
        int b = base(i);
        words[b + LAST_SEEN] = now;
        long ips = words[b + IPS];
        if ((int) ips != src) {
            words[b + IPS] = (ips & 0xFFFF_FFFF_0000_0000L) | (src & 0xFFFF_FFFFL);
        }
        long meta = words[b + META];
        if ((meta & LEARNED) != 0) {
            return now - words[b + TOLD] >= REFRESH_NANOS && tell(i, now);
        }
        if ((meta & GIVEN_UP) != 0) {
            return false;
        }
        boolean added = keep(b, dst);
        if ((int) (words[b + META] & 0xFF) < MIN_DESTINATIONS) {
            return false;
        }
        int hopIp = gatewayIp(b);
        if (hopIp == 0 || (!added && hopIp == (int) (words[b + IPS] >>> 32))) {
            return false; // nothing new to judge by
        }
        words[b + IPS] = (words[b + IPS] & 0xFFFF_FFFFL) | ((long) hopIp << 32);
        if (offLink(b, hop) >= MIN_DESTINATIONS) {
            words[b + META] |= LEARNED;
            return tell(i, now);
        }
        if ((words[b + META] & 0xFF) == KEPT) {
            words[b + META] |= GIVEN_UP; // its destinations are the next hop's own: an on-link host
        }
        return false;
    }

    /** Keeps {@code dst} among the pair's destinations; true when it is a new one. */
    private boolean keep(int b, int dst) {
        int n = (int) (words[b + META] & 0xFF);
        for (int k = 0; k < n; k++) {
            if (dest(b, k) == dst) {
                return false;
            }
        }
        if (n == KEPT) {
            return false;
        }
        int w = b + DEST01 + (n >> 1);
        words[w] = (n & 1) == 0 ? (words[w] & 0xFFFF_FFFF_0000_0000L) | (dst & 0xFFFF_FFFFL)
                : (words[w] & 0xFFFF_FFFFL) | ((long) dst << 32);
        words[b + META] = (words[b + META] & ~0xFFL) | (n + 1);
        return true;
    }

    private int dest(int b, int k) {
        long w = words[b + DEST01 + (k >> 1)];
        return (k & 1) == 0 ? (int) w : (int) (w >>> 32);
    }

    private boolean kept(int b, int ip) {
        int n = (int) (words[b + META] & 0xFF);
        for (int k = 0; k < n; k++) {
            if (dest(b, k) == ip) {
                return true;
            }
        }
        return false;
    }

    /**
     * The gateway's address for the pair at {@code b}: of the latest address the device resolved
     * to the next hop's MAC, the one before, and the one the next hop's own ARP came from, the
     * first that is not one of the device's destinations (a router with two addresses: the one the
     * device does not send to), else the first known (a home router that is its DNS server too);
     * 0 when none.
     */
    private int gatewayIp(int b) {
        long resolved = words[b + RESOLVED];
        int latest = (int) resolved, before = (int) (resolved >>> 32), own = ipAt(words[b + HOP]);
        if (latest != 0 && !kept(b, latest)) {
            return latest;
        }
        if (before != 0 && !kept(b, before)) {
            return before;
        }
        if (own != 0 && !kept(b, own)) {
            return own;
        }
        return latest != 0 ? latest : before != 0 ? before : own;
    }

    /** The kept destinations that are not the next hop's own addresses (by ARP). */
    private int offLink(int b, long hop) {
        long resolved = words[b + RESOLVED];
        int n = (int) (words[b + META] & 0xFF), off = 0, own = ipAt(hop);
        for (int k = 0; k < n; k++) {
            int d = dest(b, k);
            if (d == (int) resolved || d == (int) (resolved >>> 32) || d == own) {
                continue;
            }
            int a = arp.slotOf(d);
            if (a < 0 || (arp.mac1(a) != hop && arp.mac2(a) != hop)) {
                off++;
            }
        }
        return off;
    }

    /** Tells {@link Gateways} of a learned pair's gateway, unless the device's lease names a router. */
    private boolean tell(int i, long now) {
        int b = base(i);
        words[b + TOLD] = now;
        int d = devices.slotOf(words[b + DEVICE]);
        if (d >= 0 && devices.router(d, now) != 0) {
            return false; // DHCP's router option wins
        }
        int hopIp = gatewayIp(b);
        if (hopIp == 0) {
            return false;
        }
        words[b + IPS] = (words[b + IPS] & 0xFFFF_FFFFL) | ((long) hopIp << 32);
        int a = arp.slotOf(hopIp);
        boolean answers = a >= 0 && (arp.mac1(a) == words[b + HOP] || arp.mac2(a) == words[b + HOP]);
        return gateways.learned(hopIp, words[b + HOP], answers, now);
    }

    /**
     * An ARP packet: its sender's address is at its sender MAC; a reply to a device resolves that
     * address for it (the pair target MAC, sender MAC); so does a device's unicast request (a
     * cache's probe, RFC 1122 2.3.2.1: the pair sender MAC, the frame's destination MAC).
     */
    void onArp(DecodedFrame f) {
        int sender = f.arpSenderIp(), target = f.arpTargetIp();
        long senderMac = f.arpSenderMac();
        if (sender == 0 || !unicast(senderMac)) {
            return;
        }
        remember(senderMac, sender);
        if (target == 0 || target == sender) {
            return; // a probe or an announcement resolves nothing for anyone
        }
        if (f.arpOperation() == 2 && unicast(f.arpTargetMac())) {
            resolved(f.arpTargetMac(), target, senderMac, sender, f.timeNanos());
        } else if (f.arpOperation() == 1 && unicast(f.dstMac())) {
            resolved(senderMac, sender, f.dstMac(), target, f.timeNanos());
        }
    }

    /** The device at (deviceMac, deviceIp) resolved {@code ip} to {@code hop}. */
    private void resolved(long deviceMac, int deviceIp, long hop, int ip, long now) {
        int i = findOrInsert(deviceMac, hop, now);
        int b = base(i);
        if ((int) words[b + IPS] == 0) {
            words[b + IPS] |= deviceIp & 0xFFFF_FFFFL;
        }
        long r = words[b + RESOLVED];
        if ((int) r != ip) {
            words[b + RESOLVED] = (r << 32) | (ip & 0xFFFF_FFFFL);
        }
    }

    private void remember(long mac, int ip) {
        int s = (int) Tables.mix(mac) & (MAC_SLOTS - 1);
        macKeys[s] = mac;
        macIps[s] = ip;
    }

    /** The address the ARP from {@code mac} last came from, or 0. */
    int ipAt(long mac) {
        int s = (int) Tables.mix(mac) & (MAC_SLOTS - 1);
        return macKeys[s] == mac ? macIps[s] : 0;
    }

    /**
     * Whether {@code ip} is the gateway of the device at {@code deviceIp}, by its traffic: the
     * device's MAC, or -1. Off the per-frame path (when unanswered ARP is reported).
     */
    long deviceOf(int ip, int deviceIp) {
        for (int i = nextInUse(0); i < slots(); i = nextInUse(i + 1)) {
            int b = base(i);
            if ((words[b + META] & LEARNED) != 0 && (int) words[b + IPS] == deviceIp && gatewayIp(b) == ip) {
                return words[b + DEVICE];
            }
        }
        return -1;
    }

    /** Forgets pairs idle for {@link #AGE_NANOS}. */
    void expire(long now) {
        for (int i = nextInUse(0); i < slots(); i = nextInUse(i + 1)) {
            if (now - words[base(i) + LAST_SEEN] >= AGE_NANOS) {
                remove(i);
                i--; // the backward shift may have moved the next entry here
            }
        }
    }

    private int findOrInsert(long device, long hop, long now) {
        int home = homeOf(device, hop);
        for (int i = home; inUse(i); i = (i + 1) & mask) {
            int b = base(i);
            if (words[b + DEVICE] == device && words[b + HOP] == hop) {
                return i;
            }
        }
        if (size() >= capacity) {
            evictions++;
            remove(victimNear(home, this));
        }
        int i = occupy(home);
        int b = base(i);
        words[b + DEVICE] = device;
        words[b + HOP] = hop;
        words[b + IPS] = 0;
        words[b + DEST01] = words[b + DEST23] = 0;
        words[b + META] = 0;
        words[b + LAST_SEEN] = now;
        words[b + TOLD] = Long.MIN_VALUE;
        words[b + RESOLVED] = 0;
        return i;
    }

    /** Learned gateways are kept over pairs still counting; the least recently seen first among equals. */
    @Override
    public int rank(int slot) {
        return (words[base(slot) + META] & LEARNED) != 0 ? 1 : 0;
    }

    @Override
    public long lastSeen(int slot) {
        return words[base(slot) + LAST_SEEN];
    }

    /** Whether the pair at {@code slot} is a learned gateway (tests). */
    boolean learned(int slot) {
        return (words[base(slot) + META] & LEARNED) != 0;
    }

    /** The slot of a pair, or -1 (tests). */
    int slotOf(long device, long hop) {
        for (int i = homeOf(device, hop); inUse(i); i = (i + 1) & mask) {
            int b = base(i);
            if (words[b + DEVICE] == device && words[b + HOP] == hop) {
                return i;
            }
        }
        return -1;
    }
}
