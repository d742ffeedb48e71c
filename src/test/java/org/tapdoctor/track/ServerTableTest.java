package org.tapdoctor.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.IpAddresses;
import org.tapdoctor.wire.TestPackets;

class ServerTableTest {
    private static final long[] WEB = IpAddresses.parse("192.0.2.80");
    private static final long[] WEB6 = IpAddresses.parse("2001:db8::80");

    record Key(long hi, long lo, int port) {
        int home(int mask) {
            return Tables.hash(hi, lo, port, mask);
        }
    }

    @Test
    void shouldInsertOnceAndFindAgain() {
        ServerTable t = new ServerTable(16);
        assertEquals(-1, t.find(WEB[0], WEB[1], 443));

        int i = t.findOrInsert(WEB[0], WEB[1], 443, 10);

        assertEquals(1, t.size());
        assertEquals(i, t.find(WEB[0], WEB[1], 443));
        assertEquals(i, t.findOrInsert(WEB[0], WEB[1], 443, 20));
        assertEquals(1, t.size());
        assertTrue(t.used(i));
        assertEquals(WEB[1], t.lo(i));
        assertEquals(443, t.port(i));
        assertEquals(-1, t.find(WEB[0], WEB[1], 80));
        assertEquals(-1, t.find(WEB6[0], WEB6[1], 443));
    }

    @Test
    void shouldStartANewEntryWithZeroedCountersAndNoTtl() {
        ServerTable t = new ServerTable(16);
        int i = t.findOrInsert(WEB6[0], WEB6[1], 22, 0);
        for (Outcome o : Outcome.values()) {
            assertEquals(0, t.outcomeCount(i, o), o.name());
        }
        assertEquals(0, t.synToSynAckCount(i));
        assertEquals(0, t.synAckToAckCount(i));
        assertEquals(-1, t.synAckTtl(i));
        assertEquals(-1, t.otherTtl(i));
    }

    @Test
    void shouldCountOutcomesPerServerPort() {
        ServerTable t = new ServerTable(16);
        int https = t.findOrInsert(WEB[0], WEB[1], 443, 0);
        int ssh = t.findOrInsert(WEB[0], WEB[1], 22, 0);

        t.countOutcome(https, Outcome.OK, 1);
        t.countOutcome(https, Outcome.OK, 1);
        t.countOutcome(https, Outcome.NO_RESPONSE, 1);
        t.countOutcome(https, Outcome.NO_RESPONSE, -1); // a retraction
        t.countOutcome(ssh, Outcome.REFUSED, 1);

        assertEquals(2, t.outcomeCount(https, Outcome.OK));
        assertEquals(0, t.outcomeCount(https, Outcome.NO_RESPONSE));
        assertEquals(0, t.outcomeCount(https, Outcome.REFUSED));
        assertEquals(1, t.outcomeCount(ssh, Outcome.REFUSED));
        assertEquals(0, t.outcomeCount(ssh, Outcome.OK));
    }

    @Test
    void shouldSumHandshakeTimes() {
        ServerTable t = new ServerTable(16);
        int i = t.findOrInsert(WEB[0], WEB[1], 443, 0);
        t.addSynToSynAck(i, 3_000_000);
        t.addSynToSynAck(i, 1_000_000);
        t.addSynAckToAck(i, 500_000);

        assertEquals(4_000_000, t.synToSynAckSum(i));
        assertEquals(2, t.synToSynAckCount(i));
        assertEquals(3_000_000, t.synToSynAckMax(i));
        assertEquals(500_000, t.synAckToAckSum(i));
        assertEquals(1, t.synAckToAckCount(i));
    }

    @Test
    void shouldPreferTheSynAckTtlAsReference() {
        ServerTable t = new ServerTable(16);
        assertEquals(-1, t.referenceTtl(WEB[0], WEB[1]), "no host record");

        int host = t.findOrInsert(WEB[0], WEB[1], ServerTable.HOST, 0);
        assertEquals(-1, t.referenceTtl(WEB[0], WEB[1]), "a host record without TTLs");
        t.otherTtl(host, 50);
        assertEquals(50, t.referenceTtl(WEB[0], WEB[1]), "any packet of its own, for want of a SYN/ACK");
        t.synAckTtl(host, 60);
        assertEquals(60, t.referenceTtl(WEB[0], WEB[1]));

        int port = t.findOrInsert(WEB[0], WEB[1], 443, 0);
        assertNotEquals(host, port, "the host record is not a port record");
        assertEquals(-1, t.synAckTtl(port));
    }

    @Test
    void shouldTakeTheReferenceTtlFromTheServersSynAckThroughTheTracker() {
        Tracker tracker = new Tracker(TrackerConfig.defaults(), new RecordingListener());
        int ack = DecodedFrame.ACK, syn = DecodedFrame.SYN;
        // Connection 1: the capture starts mid-stream; the server's data arrives with TTL 50.
        tracker.onFrame(TestPackets.tcp(0, "203.0.113.5", 40000, "192.0.2.80", 443, syn, 1000, 0, 64, 64240, 0));
        tracker.onFrame(TestPackets.tcp(1, "203.0.113.5", 40000, "192.0.2.80", 443, ack, 1001, 501, 64, 502, 0));
        tracker.onFrame(TestPackets.tcp(2, "192.0.2.80", 443, "203.0.113.5", 40000, ack, 501, 1001, 50, 65535, 100));
        assertEquals(50, tracker.servers().referenceTtl(WEB[0], WEB[1]));
        // Connection 2: a SYN/ACK with TTL 60 to another port of the same host wins.
        tracker.onFrame(TestPackets.tcp(3, "203.0.113.5", 40001, "192.0.2.80", 22, syn, 7000, 0, 64, 64240, 0));
        tracker.onFrame(TestPackets.tcp(4, "192.0.2.80", 22, "203.0.113.5", 40001, syn | ack, 9000, 7001, 60, 65535, 0));
        assertEquals(60, tracker.servers().referenceTtl(WEB[0], WEB[1]));
        // More data with another TTL changes nothing.
        tracker.onFrame(TestPackets.tcp(5, "192.0.2.80", 443, "203.0.113.5", 40000, ack, 601, 1001, 40, 65535, 100));
        assertEquals(60, tracker.servers().referenceTtl(WEB[0], WEB[1]));
    }

    @Test
    void shouldEvictTheLeastRecentlySeenEntryWhenFull() {
        ServerTable t = new ServerTable(4); // 8 slots: every entry is near every key
        for (int p = 1; p <= 4; p++) {
            t.findOrInsert(WEB[0], WEB[1], p, p);
        }
        t.findOrInsert(WEB[0], WEB[1], 1, 10); // port 1 seen again: port 2 is now the oldest
        assertEquals(0, t.evictions());

        t.findOrInsert(WEB[0], WEB[1], 5, 11);

        assertEquals(1, t.evictions());
        assertEquals(4, t.size());
        assertEquals(-1, t.find(WEB[0], WEB[1], 2));
        for (int p : new int[] {1, 3, 4, 5}) {
            assertTrue(t.find(WEB[0], WEB[1], p) >= 0, "port " + p);
        }
        int fresh = t.find(WEB[0], WEB[1], 5);
        assertEquals(0, t.outcomeCount(fresh, Outcome.OK), "nothing inherited from the victim");
    }

    /**
     * Random lookups and inserts against a {@link HashMap}, with 4 times more keys than the 64
     * entries of the table (128 slots), some homed in the last slots so chains wrap around the end
     * of the array. Every eviction removes exactly one key, counted, and the least recently seen of
     * those within {@link Tables#EVICTION_SCAN} slots of the new key's home.
     */
    @Test
    void shouldBehaveLikeAHashMapWithEvictionUnderRandomOperations() {
        long seed = Long.getLong("tapdoctor.table.seed", 0x5EED_C0FFEEL);
        System.out.println("ServerTableTest seed " + seed + " (-Dtapdoctor.table.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        ServerTable t = new ServerTable(64);
        int mask = t.slots() - 1;
        List<Key> keys = new ArrayList<>();
        Set<Key> unique = new HashSet<>();
        while (keys.size() < 256) {
            long[] a = random.nextInt(3) == 0 ? new long[] {random.nextLong(), random.nextLong()}
                    : new long[] {0, IpAddresses.v4Lo(0xC0000200 | random.nextInt(16))};
            int port = random.nextInt(8) == 0 ? ServerTable.HOST : random.nextInt(65_536);
            Key k = new Key(a[0], a[1], port);
            boolean nearEnd = ((k.home(mask) - (mask - 3)) & mask) < 4;
            if ((keys.size() < 232 || nearEnd) && unique.add(k)) {
                keys.add(k);
            }
        }
        Map<Key, Integer> okCounts = new HashMap<>();
        Map<Key, Long> lastSeen = new HashMap<>();
        long evictions = 0;
        int wrapped = 0;

        for (int op = 0; op < 200_000; op++) {
            Key k = keys.get(random.nextInt(keys.size()));
            long now = op;
            int i = t.find(k.hi, k.lo, k.port);
            assertEquals(okCounts.containsKey(k), i >= 0, "op " + op + " find " + k);
            if (i >= 0) {
                assertEquals(okCounts.get(k).intValue(), t.outcomeCount(i, Outcome.OK), "op " + op);
            }
            if (random.nextInt(3) == 0) {
                continue; // a lookup only
            }
            Key oldest = i >= 0 ? null : oldestNear(t, k.home(mask), lastSeen);
            i = t.findOrInsert(k.hi, k.lo, k.port, now);
            if (i < k.home(mask)) {
                wrapped++;
            }
            if (oldest != null) {
                evictions++;
                assertEquals(-1, t.find(oldest.hi, oldest.lo, oldest.port), "op " + op + " victim " + oldest);
                okCounts.remove(oldest);
                lastSeen.remove(oldest);
            }
            assertEquals(evictions, t.evictions(), "op " + op);
            okCounts.putIfAbsent(k, 0);
            lastSeen.put(k, now);
            int delta = random.nextInt(3);
            t.countOutcome(i, Outcome.OK, delta);
            okCounts.merge(k, delta, Integer::sum);
            assertEquals(okCounts.size(), t.size(), "op " + op);
            assertTrue(t.size() <= t.capacity());
        }
        Set<Key> iterated = new HashSet<>();
        for (int i = 0; i < t.slots(); i++) {
            if (t.used(i)) {
                iterated.add(new Key(t.hi(i), t.lo(i), t.port(i)));
            }
        }
        assertEquals(okCounts.keySet(), iterated, "iteration over used slots sees exactly the model's keys");
        assertTrue(evictions > 1000, "only " + evictions + " evictions");
        assertTrue(wrapped > 100, "chains wrapped around the end only " + wrapped + " times");
    }

    /** When the table is full, the key it must evict for a newcomer homed at {@code home}; else null. */
    private static Key oldestNear(ServerTable t, int home, Map<Key, Long> lastSeen) {
        if (t.size() < t.capacity()) {
            return null;
        }
        int mask = t.slots() - 1;
        Key oldest = null, nearest = null;
        int nearestDistance = Integer.MAX_VALUE;
        for (Map.Entry<Key, Long> e : lastSeen.entrySet()) {
            Key k = e.getKey();
            int distance = (t.find(k.hi, k.lo, k.port) - home) & mask;
            if (distance <= Tables.EVICTION_SCAN && (oldest == null || e.getValue() < lastSeen.get(oldest))) {
                oldest = k;
            }
            if (distance < nearestDistance) {
                nearest = k;
                nearestDistance = distance;
            }
        }
        return oldest != null ? oldest : nearest; // nothing within the window: the scan goes on to the next entry
    }

    @Test
    void shouldCountAWorkingPortOnceWhenItsOutcomeMovesFromOneAnsweredKindToAnother() {
        ServerTable t = new ServerTable(64);
        long[] a = IpAddresses.parse("198.51.100.10");
        int p = t.findOrInsert(a[0], a[1], 8443, 0);
        assertTrue(t.countOutcome(p, Outcome.OK, 1), "the first answered attempt makes the port work");
        t.addWorkingPort(a[0], a[1], 8443, 0);
        p = t.find(a[0], a[1], 8443);
        // a reset before any data: the OK is taken back and counted as RESET, both answered
        assertFalse(t.countOutcome(p, Outcome.OK, -1));
        assertFalse(t.countOutcome(p, Outcome.RESET, 1), "it already worked");
        int host = t.find(a[0], a[1], ServerTable.HOST);
        assertEquals(1, t.workingPorts(host));
        int[] ports = new int[ServerTable.OK_PORTS_KEPT];
        assertEquals(1, t.okPorts(host, ports));
        assertEquals(8443, ports[0]);
        assertEquals(1, t.hostsWorking());
    }
}
