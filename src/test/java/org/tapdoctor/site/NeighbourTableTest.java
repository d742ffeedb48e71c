package org.tapdoctor.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tapdoctor.site.Announcements.SWITCH_MAC;
import static org.tapdoctor.site.Announcements.cdp;
import static org.tapdoctor.site.Announcements.decode;
import static org.tapdoctor.site.Announcements.lldp;

import org.junit.jupiter.api.Test;

class NeighbourTableTest {
    private static final long S = 1_000_000_000L;
    private static final int[] MGMT = {192, 0, 2, 3};
    private final NeighbourTable table = new NeighbourTable();

    private static byte[] access(String port, int ttl) {
        return lldp(SWITCH_MAC, "sw-3f-access-01", port, "GigabitEthernet1/0/12", ttl, 10, 20, MGMT);
    }

    private SiteRecord record(long now) {
        SiteRecord.Builder b = new SiteRecord.Builder(now);
        table.addTo(b, now);
        return b.build();
    }

    @Test
    void shouldGiveTheSwitchPortOfAnLldpdu() {
        table.onDiscovery(decode(access("Gi1/0/12", 120), 0, -1));
        SiteRecord.Switch s = record(S).switchPort();
        assertEquals(new SiteRecord.Switch("sw-3f-access-01", "02:00:00:00:bb:01", "Gi1/0/12", "GigabitEthernet1/0/12",
                10, 20, "192.0.2.3", null, "lldp", 0), s);
        assertEquals(1, record(S).switches().size());
    }

    @Test
    void shouldNotCountAReSentLldpduAsAChange() {
        table.onDiscovery(decode(access("Gi1/0/12", 120), 0, -1));
        long after = table.siteChanges();
        for (int i = 1; i <= 5; i++) {
            table.onDiscovery(decode(access("Gi1/0/12", 120), i * 30 * S, -1));
        }
        assertEquals(after, table.siteChanges());
        assertEquals(6, table.announcements());
        table.onDiscovery(decode(access("Gi1/0/13", 120), 200 * S, -1));
        assertEquals(after + 1, table.siteChanges(), "a new port is a change");
        assertEquals("Gi1/0/13", record(200 * S).switchPort().port());
    }

    @Test
    void shouldAgeAnAnnouncementOutAfterItsTtl() {
        table.onDiscovery(decode(access("Gi1/0/12", 120), 0, -1));
        table.expire(119 * S);
        assertEquals(1, table.size());
        long before = table.siteChanges();
        table.expire(120 * S);
        assertEquals(0, table.size());
        assertEquals(before + 1, table.siteChanges());
        assertNull(record(120 * S).switchPort());
    }

    @Test
    void shouldRemoveASwitchAtOnceOnTtlZero() {
        table.onDiscovery(decode(access("Gi1/0/12", 120), 0, -1));
        table.onDiscovery(decode(access("Gi1/0/12", 0), S, -1));
        assertEquals(0, table.size());
        assertEquals(1, table.withdrawals());
        assertTrue(record(S).switches().isEmpty());
    }

    @Test
    void shouldMergeLldpAndCdpOfOneSwitchPreferringLldp() {
        table.onDiscovery(decode(cdp(SWITCH_MAC, "sw-3f-access-01.example", "GigabitEthernet1/0/12", "WS-C3560CX-12PC",
                180, new int[] {192, 0, 2, 4}), 0, -1));
        table.onDiscovery(decode(access("Gi1/0/12", 120), S, -1));
        SiteRecord r = record(2 * S);
        assertEquals(1, r.switches().size());
        SiteRecord.Switch s = r.switchPort();
        assertEquals("sw-3f-access-01", s.name());
        assertEquals("Gi1/0/12", s.port());
        assertEquals("WS-C3560CX-12PC", s.platform(), "what LLDP does not say comes from CDP");
        assertEquals("192.0.2.3", s.managementIp());
        assertEquals("lldp", s.protocol());
        assertEquals(0, s.seenNanos(), "first heard by CDP");
    }

    @Test
    void shouldTakeCdpZeroAddressAsNone() {
        table.onDiscovery(decode(cdp(SWITCH_MAC, "S1", "FastEthernet0/13", "cisco WS-C3560-24TS", 180,
                new int[] {0, 0, 0, 0}), 0, -1));
        SiteRecord.Switch s = record(S).switchPort();
        assertNull(s.managementIp());
        assertNull(s.chassisId());
        assertEquals(-1, s.vlan());
        assertEquals("cdp", s.protocol());
    }

    @Test
    void shouldChooseNoSwitchWhenTwoAnnounceInAFile() {
        table.onDiscovery(decode(access("Gi1/0/12", 120), 0, -1));
        table.onDiscovery(decode(lldp(0x02_00_00_00_bb_02L, "sw-2", "Gi2", null, 120, 1, -1, null), S, -1));
        SiteRecord r = record(2 * S);
        assertNull(r.switchPort());
        assertEquals("sw-3f-access-01", r.switches().get(0).name());
        assertEquals("sw-2", r.switches().get(1).name());
    }

    @Test
    void shouldChooseTheSwitchOnTheNetworkSideLive() {
        table.onDiscovery(decode(lldp(0x02_00_00_00_cc_01L, "client-bridge", "eth0", null, 120, -1, -1, null), 0, 0));
        table.onDiscovery(decode(access("Gi1/0/12", 120), S, NeighbourTable.NETWORK_SIDE));
        assertEquals("sw-3f-access-01", record(2 * S).switchPort().name());
    }

    @Test
    void shouldEvictTheSwitchHeardLeastRecentlyWhenFull() {
        for (int i = 0; i < NeighbourTable.SLOTS + 1; i++) {
            table.onDiscovery(decode(lldp(0x02_00_00_00_dd_00L + i, "sw-" + i, "p" + i, null, 120, -1, -1, null), i * S, -1));
        }
        assertEquals(NeighbourTable.SLOTS, table.size());
        assertEquals(1, table.evictions());
        SiteRecord r = record(10 * S);
        assertEquals("sw-1", r.switches().get(0).name(), "sw-0 was evicted");
        assertEquals("sw-8", r.switches().get(NeighbourTable.SLOTS - 1).name());
    }

    @Test
    void shouldCutAndMarkALongName() {
        String name = "x".repeat(100);
        table.onDiscovery(decode(lldp(SWITCH_MAC, name, "p", null, 120, -1, -1, null), 0, -1));
        assertEquals("x".repeat(NeighbourTable.STRING_BYTES) + "...", record(S).switchPort().name());
        long before = table.siteChanges();
        table.onDiscovery(decode(lldp(SWITCH_MAC, name, "p", null, 120, -1, -1, null), S, -1));
        assertEquals(before, table.siteChanges());
        table.onDiscovery(decode(lldp(SWITCH_MAC, "x".repeat(64), "p", null, 120, -1, -1, null), 2 * S, -1));
        assertEquals(before + 1, table.siteChanges(), "no longer cut");
    }
}
