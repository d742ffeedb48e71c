package org.tapdoctor.site;

import java.util.ArrayList;
import java.util.List;

import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.IpAddresses;
import org.tapdoctor.wire.WireText;

/**
 * The switches that announce themselves on the segment (LLDP, IEEE 802.1AB; CDP): one slot per
 * (source MAC, protocol), {@link #SLOTS} of them, allocated once. The switch part of the site
 * record is a view over it: the announcements of one source MAC are one switch, LLDP's value of
 * each field preferred and CDP's used where LLDP has none (lldpd and Cisco switches send both).
 *
 * <p>Strings (chassis ID, port ID, port description, system name and description, platform) are
 * copied into fixed slabs of {@link #STRING_BYTES} bytes, longer ones cut and marked, and only
 * when they differ from what the slot holds: a switch re-sending the same announcement every 30 s
 * costs a comparison per string, and moves nothing a person reads ({@link #siteChanges()}).
 *
 * <p>Ageing (802.1AB 9.2.7.7): an announcement is valid for its TTL after it was received; TTL 0
 * (the port is shutting down) removes it at once. A full table evicts the announcement heard
 * least recently, and counts it. A CDP address of 0.0.0.0 is no address (SITE-NOTES S7).
 *
 * <p>Caveats: a switch whose LLDP and CDP come from two MACs is two switches here. Not
 * thread-safe: owned by the engine thread; {@link #addTo} allocates (it runs on a change only).
 */
public final class NeighbourTable implements SiteSource {
    public static final int SLOTS = 8;
    public static final int STRING_BYTES = 64;
    static final int LLDP = 0, CDP = 1;
    // the strings of a slot, in slab order
    static final int CHASSIS_ID = 0, PORT_ID = 1, PORT_DESCRIPTION = 2, SYSTEM_NAME = 3, SYSTEM_DESCRIPTION = 4,
            PLATFORM = 5, STRINGS = 6;
    private static final long NONE = -1;
    private static final long SECOND = 1_000_000_000L;
    /** The side index of the NIC toward the network (side A, index 0, is the client's: {@code Sides}). */
    static final int NETWORK_SIDE = 1;

    private final long[] mac = new long[SLOTS];
    private final int[] protocol = new int[SLOTS];
    private final int[] side = new int[SLOTS];
    private final long[] firstSeen = new long[SLOTS];
    private final long[] lastSeen = new long[SLOTS];
    private final long[] ttlNanos = new long[SLOTS];
    private final int[] chassisSubtype = new int[SLOTS];
    private final int[] portSubtype = new int[SLOTS];
    private final int[] vlan = new int[SLOTS];
    private final int[] voiceVlan = new int[SLOTS];
    private final int[] managementVersion = new int[SLOTS];
    private final long[] managementHi = new long[SLOTS];
    private final long[] managementLo = new long[SLOTS];
    private final byte[] slab = new byte[SLOTS * STRINGS * STRING_BYTES];
    /** Bytes held per string, -1 absent. */
    private final int[] length = new int[SLOTS * STRINGS];
    /** Whether the string was longer than its slab. */
    private final boolean[] cut = new boolean[SLOTS * STRINGS];
    private long changes;
    private long announcements;
    private long withdrawals;
    private long evictions;

    public NeighbourTable() {
        java.util.Arrays.fill(mac, NONE);
    }

    @Override
    public long siteChanges() {
        return changes;
    }

    /** LLDP and CDP messages followed. */
    public long announcements() { return announcements; }
    /** Announcements with TTL 0 that removed a switch. */
    public long withdrawals() { return withdrawals; }
    /** Switches evicted to make room for another. */
    public long evictions() { return evictions; }

    /** Switch slots in use. */
    public int size() {
        int n = 0;
        for (long m : mac) {
            n += m != NONE ? 1 : 0;
        }
        return n;
    }

    /** Follows one LLDP or CDP frame; other frames are ignored. Allocates nothing. */
    public void onDiscovery(DecodedFrame f) {
        int proto = f.type() == DecodedFrame.Type.LLDP ? LLDP : f.type() == DecodedFrame.Type.CDP ? CDP : -1;
        if (proto < 0 || f.srcMac() < 0) {
            return;
        }
        announcements++;
        long now = f.timeNanos();
        int i = find(f.srcMac(), proto);
        if (f.discoveryTtl() == 0) {
            if (i >= 0) {
                remove(i);
                withdrawals++;
            }
            return;
        }
        boolean changed = false;
        if (i < 0) {
            i = insert(f.srcMac(), proto, now);
            changed = true;
        }
        lastSeen[i] = now;
        ttlNanos[i] = Math.max(0, f.discoveryTtl()) * SECOND;
        side[i] = f.side();
        byte[] b = f.buffer();
        changed |= store(i, CHASSIS_ID, b, f.chassisIdOffset(), f.chassisIdLength());
        changed |= store(i, PORT_ID, b, f.portIdOffset(), f.portIdLength());
        changed |= store(i, PORT_DESCRIPTION, b, f.portDescriptionOffset(), f.portDescriptionLength());
        changed |= store(i, SYSTEM_NAME, b, f.systemNameOffset(), f.systemNameLength());
        changed |= store(i, SYSTEM_DESCRIPTION, b, f.systemDescriptionOffset(), f.systemDescriptionLength());
        changed |= store(i, PLATFORM, b, f.platformOffset(), f.platformLength());
        changed |= number(chassisSubtype, i, f.chassisIdSubtype());
        changed |= number(portSubtype, i, f.portIdSubtype());
        changed |= number(vlan, i, f.portVlanId());
        changed |= number(voiceVlan, i, f.voiceVlanId());
        int version = f.managementIpVersion();
        if (version == 4 && f.managementLo() == IpAddresses.v4Lo(0)) {
            version = 0; // 0.0.0.0: the switch has no address
        }
        long hi = version == 0 ? 0 : f.managementHi(), lo = version == 0 ? 0 : f.managementLo();
        if (managementVersion[i] != version || managementHi[i] != hi || managementLo[i] != lo) {
            managementVersion[i] = version;
            managementHi[i] = hi;
            managementLo[i] = lo;
            changed = true;
        }
        if (changed) {
            changes++;
        }
    }

    /** Removes the announcements whose TTL ran out by {@code now}. */
    public void expire(long now) {
        for (int i = 0; i < SLOTS; i++) {
            if (mac[i] != NONE && now - lastSeen[i] >= ttlNanos[i]) {
                remove(i);
            }
        }
    }

    private int find(long m, int proto) {
        for (int i = 0; i < SLOTS; i++) {
            if (mac[i] == m && protocol[i] == proto) {
                return i;
            }
        }
        return -1;
    }

    private int insert(long m, int proto, long now) {
        int free = -1, oldest = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (mac[i] == NONE) {
                free = i;
                break;
            }
            if (lastSeen[i] < lastSeen[oldest]) {
                oldest = i;
            }
        }
        if (free < 0) {
            remove(oldest);
            evictions++;
            free = oldest;
        }
        mac[free] = m;
        protocol[free] = proto;
        firstSeen[free] = now;
        for (int s = 0; s < STRINGS; s++) {
            length[free * STRINGS + s] = -1;
            cut[free * STRINGS + s] = false;
        }
        chassisSubtype[free] = portSubtype[free] = vlan[free] = voiceVlan[free] = -1;
        managementVersion[free] = 0;
        managementHi[free] = managementLo[free] = 0;
        return free;
    }

    private void remove(int i) {
        mac[i] = NONE;
        changes++;
    }

    private static boolean number(int[] values, int i, int value) {
        if (values[i] == value) {
            return false;
        }
        values[i] = value;
        return true;
    }

    /** Copies the string into its slab when it differs from what is there; true when it did. */
    private boolean store(int i, int field, byte[] buffer, int offset, int len) {
        int s = i * STRINGS + field;
        int keep = offset < 0 ? -1 : Math.min(len, STRING_BYTES);
        boolean longer = offset >= 0 && len > STRING_BYTES;
        int at = s * STRING_BYTES;
        if (length[s] == keep && cut[s] == longer
                && (keep <= 0 || java.util.Arrays.equals(slab, at, at + keep, buffer, offset, offset + keep))) {
            return false;
        }
        if (keep > 0) {
            System.arraycopy(buffer, offset, slab, at, keep);
        }
        length[s] = keep;
        cut[s] = longer;
        return true;
    }

    // ---- the view: allocates, called on a change only ----

    @Override
    public void addTo(SiteRecord.Builder record, long now) {
        List<SiteRecord.Switch> all = new ArrayList<>();
        List<Integer> sides = new ArrayList<>();
        List<Long> macs = new ArrayList<>();
        for (int i : byFirstSeen()) {
            if (macs.contains(mac[i])) {
                continue;
            }
            macs.add(mac[i]);
            int lldp = find(mac[i], LLDP), cdp = find(mac[i], CDP);
            all.add(merged(lldp, cdp));
            sides.add(side[lldp >= 0 ? lldp : cdp]);
        }
        all.forEach(record::addSwitch);
        SiteRecord.Switch port = switchPort(all, sides);
        if (port != null) {
            record.switchPort(port);
        }
    }

    /**
     * The switch the box is plugged into: live, the only one heard on the network-side NIC; in a
     * file (no sides), the only one heard at all. Otherwise none is chosen (SITE-NOTES S1).
     */
    private static SiteRecord.Switch switchPort(List<SiteRecord.Switch> all, List<Integer> sides) {
        boolean live = sides.stream().anyMatch(s -> s >= 0);
        SiteRecord.Switch only = null;
        int candidates = 0;
        for (int k = 0; k < all.size(); k++) {
            if (!live || sides.get(k) == NETWORK_SIDE) {
                only = all.get(k);
                candidates++;
            }
        }
        return candidates == 1 ? only : null;
    }

    private List<Integer> byFirstSeen() {
        List<Integer> used = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            if (mac[i] != NONE) {
                used.add(i);
            }
        }
        used.sort((a, b) -> firstSeen[a] != firstSeen[b] ? Long.compare(firstSeen[a], firstSeen[b])
                : Integer.compare(protocol[a], protocol[b]));
        return used;
    }

    /** One switch from its LLDP slot and CDP slot (either may be -1): LLDP's fields first. */
    private SiteRecord.Switch merged(int lldp, int cdp) {
        int first = lldp >= 0 ? lldp : cdp;
        long seen = lldp >= 0 && cdp >= 0 ? Math.min(firstSeen[lldp], firstSeen[cdp]) : firstSeen[first];
        return new SiteRecord.Switch(
                pick(lldp, cdp, SYSTEM_NAME),
                pick(lldp, cdp, CHASSIS_ID),
                pick(lldp, cdp, PORT_ID),
                pick(lldp, cdp, PORT_DESCRIPTION),
                pickNumber(vlan, lldp, cdp),
                pickNumber(voiceVlan, lldp, cdp),
                lldp >= 0 && managementVersion[lldp] != 0 ? management(lldp)
                        : cdp >= 0 && managementVersion[cdp] != 0 ? management(cdp) : null,
                pick(lldp, cdp, PLATFORM),
                lldp >= 0 ? "lldp" : "cdp",
                seen);
    }

    private String pick(int lldp, int cdp, int field) {
        String v = lldp >= 0 ? string(lldp, field) : null;
        return v != null ? v : cdp >= 0 ? string(cdp, field) : null;
    }

    private static int pickNumber(int[] values, int lldp, int cdp) {
        int v = lldp >= 0 ? values[lldp] : -1;
        return v >= 0 ? v : cdp >= 0 ? values[cdp] : -1;
    }

    private String management(int i) {
        return IpAddresses.format(managementHi[i], managementLo[i]);
    }

    /** The text of a slot's string: MAC subtypes as hex pairs, a network address as an address, else text. */
    String string(int i, int field) {
        int s = i * STRINGS + field;
        int len = length[s];
        if (len < 0) {
            return null;
        }
        int at = s * STRING_BYTES;
        int subtype = field == CHASSIS_ID ? chassisSubtype[i] : field == PORT_ID ? portSubtype[i] : -1;
        boolean macSubtype = (field == CHASSIS_ID && subtype == 4) || (field == PORT_ID && subtype == 3);
        String text;
        if (macSubtype && len == 6) {
            text = WireText.hex(slab, at, len);
        } else if (field == CHASSIS_ID && subtype == 5 && len == 5 && slab[at] == 1) {
            text = IpAddresses.formatV4(java.nio.ByteBuffer.wrap(slab, at + 1, 4).getInt());
        } else {
            text = WireText.text(slab, at, len);
        }
        return cut[s] ? text + "..." : text;
    }
}
