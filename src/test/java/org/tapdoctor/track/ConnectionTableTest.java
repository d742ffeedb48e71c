package org.tapdoctor.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tapdoctor.wire.IpAddresses;

class ConnectionTableTest {
    private static final long SECOND = 1_000_000_000L;

    /** A segment's 4-tuple, in the direction it travels. */
    record Tuple(long sHi, long sLo, int sPort, long dHi, long dLo, int dPort) {
        static Tuple of(String src, int sPort, String dst, int dPort) {
            long[] s = IpAddresses.parse(src);
            long[] d = IpAddresses.parse(dst);
            return new Tuple(s[0], s[1], sPort, d[0], d[1], dPort);
        }

        Tuple reversed() {
            return new Tuple(dHi, dLo, dPort, sHi, sLo, sPort);
        }

        /** The same connection whichever way it is written: the key of the model map. */
        Tuple canonical() {
            return srcIsA() ? this : reversed();
        }

        /** The table's orientation rule: endpoint A is the lower (address, port), unsigned. */
        boolean srcIsA() {
            int c = Long.compareUnsigned(sHi, dHi);
            if (c == 0) {
                c = Long.compareUnsigned(sLo, dLo);
            }
            return c < 0 || (c == 0 && sPort <= dPort);
        }

        int home(int mask) {
            Tuple k = canonical();
            return Tables.hash(k.sHi, k.sLo, k.dHi, k.dLo, (k.sPort << 16) | k.dPort, mask);
        }
    }

    private static int find(ConnectionTable t, Tuple k) {
        return t.find(k.sHi, k.sLo, k.sPort, k.dHi, k.dLo, k.dPort);
    }

    /** Inserts as {@link TcpTracker} does for a SYN: the segment's source is the client. */
    private static int insert(ConnectionTable t, Tuple k, byte state, long now) {
        int i = t.insert(k.sHi, k.sLo, k.sPort, k.dHi, k.dLo, k.dPort, state, now);
        t.clientIsA(i, t.foundSrcIsA());
        return i;
    }

    @Test
    void shouldFindAnEntryFromBothDirections() {
        ConnectionTable t = new ConnectionTable(16);
        Tuple syn = Tuple.of("192.0.2.9", 40000, "192.0.2.1", 443); // source sorts after destination
        int i = insert(t, syn, ConnectionTable.SYN_SENT, 5);

        assertFalse(t.foundSrcIsA());
        assertEquals(1, t.size());
        assertEquals(i, find(t, syn));
        assertFalse(t.foundSrcIsA());
        assertEquals(i, find(t, syn.reversed()));
        assertTrue(t.foundSrcIsA());

        assertEquals(syn.sLo, t.clientLo(i));
        assertEquals(40000, t.clientPort(i));
        assertEquals(syn.dLo, t.serverLo(i));
        assertEquals(443, t.serverPort(i));
        assertEquals(ConnectionTable.SYN_SENT, t.state(i));
        assertEquals(5, t.lastSeen(i));
        assertEquals(ConnectionTable.NONE, t.firstSyn(i));
    }

    @Test
    void shouldRecordTheOrientationWhenTheSourceSortsFirst() {
        ConnectionTable t = new ConnectionTable(16);
        Tuple syn = Tuple.of("192.0.2.1", 40000, "192.0.2.9", 443);
        int i = insert(t, syn, ConnectionTable.SYN_SENT, 0);

        assertTrue(t.foundSrcIsA());
        assertTrue(t.clientIsA(i));
        assertEquals(i, find(t, syn.reversed()));
        assertFalse(t.foundSrcIsA());
        assertEquals(443, t.serverPort(i));
    }

    @Test
    void shouldOrderEndpointsOfOneAddressByPort() {
        ConnectionTable t = new ConnectionTable(16);
        Tuple loopback = Tuple.of("127.0.0.1", 50000, "127.0.0.1", 8080);
        int i = insert(t, loopback, ConnectionTable.SYN_SENT, 0);

        assertFalse(t.foundSrcIsA());
        assertEquals(i, find(t, loopback.reversed()));
        assertTrue(t.foundSrcIsA());
        assertEquals(50000, t.clientPort(i));
        assertEquals(8080, t.serverPort(i));
    }

    @Test
    void shouldKeepIpv4MappedAndIpv6KeysApart() {
        ConnectionTable t = new ConnectionTable(16);
        Tuple v4 = Tuple.of("192.0.2.1", 40000, "198.51.100.7", 80);
        Tuple mapped = Tuple.of("::ffff:192.0.2.1", 40000, "::ffff:198.51.100.7", 80);
        Tuple v6 = Tuple.of("2001:db8::1", 40000, "2001:db8::80", 80);
        Tuple v6High = Tuple.of("fe80::1", 40000, "2001:db8::80", 80); // high bit set: unsigned order matters

        assertEquals(v4, mapped, "IPv4 text and its IPv4-mapped IPv6 form are one key");
        int a = insert(t, v4, ConnectionTable.SYN_SENT, 0);
        assertEquals(a, find(t, mapped));
        assertEquals(-1, find(t, v6));

        int b = insert(t, v6, ConnectionTable.SYN_SENT, 0);
        int c = insert(t, v6High, ConnectionTable.SYN_SENT, 0);
        assertEquals(3, t.size());
        assertEquals(a, find(t, mapped.reversed()));
        assertEquals(b, find(t, v6.reversed()));
        assertEquals(c, find(t, v6High));
        assertFalse(t.foundSrcIsA(), "fe80:: sorts after 2001:db8:: as unsigned");
        assertEquals(v6High.sHi, t.clientHi(c));
        assertEquals(v6High.sLo, t.clientLo(c));
        assertEquals(v6High.dHi, t.serverHi(c));
    }

    @Test
    void shouldNotFindAnotherPort() {
        ConnectionTable t = new ConnectionTable(16);
        insert(t, Tuple.of("192.0.2.1", 40000, "192.0.2.2", 443), ConnectionTable.SYN_SENT, 0);

        assertEquals(-1, find(t, Tuple.of("192.0.2.1", 40001, "192.0.2.2", 443)));
        assertEquals(-1, find(t, Tuple.of("192.0.2.1", 40000, "192.0.2.2", 444)));
        assertEquals(-1, find(t, Tuple.of("192.0.2.1", 443, "192.0.2.2", 40000)));
    }

    @Test
    void shouldKeepEveryOtherEntryFindableAfterRemovalByBackwardShift() {
        ConnectionTable t = new ConnectionTable(64);
        int mask = t.slots() - 1;
        // Keys crowded into few home slots, so chains are long and cross each other and the end.
        List<Tuple> keys = collidingKeys(t.slots(), 48, mask - 2, 4);
        for (int n = 0; n < keys.size(); n++) {
            int i = insert(t, keys.get(n), ConnectionTable.SYN_SENT, n);
            t.clientIsn(i, n);
        }
        assertTrue(wrappedEntries(t, keys) > 0, "some chain wraps around the end of the array");

        SplittableRandom random = new SplittableRandom(7);
        List<Tuple> present = new ArrayList<>(keys);
        while (!present.isEmpty()) {
            Tuple gone = present.remove(random.nextInt(present.size()));
            t.remove(find(t, gone));
            assertEquals(-1, find(t, gone));
            assertEquals(present.size(), t.size());
            for (Tuple k : present) {
                int i = find(t, k);
                assertTrue(i >= 0, k + " lost after removing " + gone);
                assertEquals(keys.indexOf(k), t.clientIsn(i), "values move with their key");
                assertEquals(keys.indexOf(k), t.lastSeen(i));
            }
        }
    }

    /**
     * Random inserts, finds and removes against a {@link HashMap}, in a table of 64 entries (128
     * slots) with 184 candidate keys, 24 of them homed in the last 4 slots: the table runs near its
     * maximum load, chains are long and wrap around the end of the array. Lookups come from both
     * directions at random.
     */
    @Test
    void shouldBehaveLikeAHashMapUnderRandomOperations() {
        long seed = Long.getLong("tapdoctor.table.seed", 0x5EED_C0FFEEL);
        System.out.println("ConnectionTableTest seed " + seed + " (-Dtapdoctor.table.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        ConnectionTable t = new ConnectionTable(64);
        int mask = t.slots() - 1;
        List<Tuple> keys = new ArrayList<>();
        for (int n = 0; n < 160; n++) {
            keys.add(new Tuple(random.nextInt(4) == 0 ? random.nextLong() : 0, IpAddresses.v4Lo(random.nextInt()),
                    random.nextInt(65_536), 0, IpAddresses.v4Lo(random.nextInt(4)), random.nextInt(4) * 443));
        }
        keys.addAll(collidingKeys(t.slots(), 24, mask - 3, 4)); // homes in the last 4 slots: chains must wrap
        Map<Tuple, Integer> model = new HashMap<>();
        Map<Tuple, Tuple> insertedAs = new HashMap<>();
        int wrapped = 0;

        for (int op = 0; op < 200_000; op++) {
            Tuple k = keys.get(random.nextInt(keys.size()));
            Tuple key = k.canonical();
            Tuple probe = random.nextBoolean() ? k : k.reversed();
            int r = random.nextInt(10);
            int i = find(t, probe);
            Integer expected = model.get(key);
            assertEquals(expected != null, i >= 0, "op " + op + " find " + probe);
            if (i >= 0) {
                assertEquals(expected.intValue(), t.clientIsn(i), "op " + op);
                boolean fromClient = t.foundSrcIsA() == t.clientIsA(i);
                assertEquals(insertedAs.get(key).equals(probe), fromClient, "op " + op + " orientation");
            }
            if (r < 4 && i < 0 && t.size() < t.capacity()) {
                int value = random.nextInt();
                int slot = insert(t, probe, ConnectionTable.SYN_SENT, op);
                t.clientIsn(slot, value);
                model.put(key, value);
                insertedAs.put(key, probe);
                if (slot < probe.home(mask)) {
                    wrapped++;
                }
            } else if (r < 7 && i >= 0) {
                t.remove(i);
                model.remove(key);
                insertedAs.remove(key);
            }
            assertEquals(model.size(), t.size(), "op " + op);
            if (op % 1000 == 0) {
                assertSweepSeesExactlyTheEntries(t);
            }
        }
        assertSweepSeesExactlyTheEntries(t);
        for (Map.Entry<Tuple, Integer> e : model.entrySet()) {
            assertEquals(e.getValue().intValue(), t.clientIsn(find(t, e.getKey())));
        }
        assertEquals(0, t.evictions());
        assertTrue(wrapped > 100, "chains wrapped around the end only " + wrapped + " times");
    }

    /**
     * The sweep skips a block of 64 slots while its bound is later than {@code now}: that is exact
     * only if no entry of the block is ever due before its block's bound. Random inserts (with
     * evictions once full), removals (entries moving between blocks by backward shift), state
     * changes and SYN, SYN/ACK and last-seen times (some earlier than before: frames out of order),
     * with the sweep's exact recomputation of random blocks between them.
     */
    @Test
    void shouldNeverLetAnEntryFallDueBeforeItsBlocksBound() {
        long seed = Long.getLong("tapdoctor.table.seed", 0xB10C_D0EL);
        SplittableRandom random = new SplittableRandom(seed);
        ConnectionTable t = new ConnectionTable(256); // 512 slots: 8 blocks
        t.timeouts(3 * SECOND, 4 * SECOND, 300 * SECOND, 75 * SECOND);
        List<Tuple> keys = new ArrayList<>();
        for (int n = 0; n < 400; n++) {
            keys.add(randomKey(random));
        }
        byte[] states = {ConnectionTable.SYN_SENT, ConnectionTable.SYN_ACK_SEEN, ConnectionTable.ESTABLISHED,
                ConnectionTable.CONCLUDED, ConnectionTable.MIDSTREAM};
        long now = 1_700_000_000L * SECOND;
        int removals = 0;
        for (int op = 0; op < 100_000; op++) {
            now += random.nextLong(20 * SECOND / 1000);
            Tuple k = keys.get(random.nextInt(keys.size()));
            int i = find(t, k);
            long time = now - random.nextLong(200 * SECOND);
            switch (random.nextInt(8)) {
                case 0, 1 -> {
                    if (i < 0) {
                        int slot = insert(t, k, states[random.nextInt(states.length)], now);
                        if (random.nextBoolean()) {
                            t.lastSyn(slot, now);
                        }
                    }
                }
                case 2 -> {
                    if (i >= 0) {
                        int before = t.size();
                        t.remove(i);
                        removals += before - t.size();
                    }
                }
                case 3 -> {
                    if (i >= 0) {
                        t.state(i, states[random.nextInt(states.length)]);
                    }
                }
                case 4 -> {
                    if (i >= 0) {
                        t.lastSyn(i, time);
                    }
                }
                case 5 -> {
                    if (i >= 0) {
                        t.lastSynAck(i, time);
                    }
                }
                case 6 -> {
                    if (i >= 0) {
                        t.lastSeen(i, random.nextInt(4) == 0 ? time : now);
                    }
                }
                default -> t.recomputeDue(random.nextInt(t.slots()));
            }
            for (int j = t.nextInUse(0); j < t.slots(); j = t.nextInUse(j + 1)) {
                if (t.due(j) < t.dueBound(j)) {
                    throw new AssertionError("op " + op + ": slot " + j + " due at " + t.due(j)
                            + " before its block's bound " + t.dueBound(j) + " (seed " + seed + ")");
                }
            }
        }
        assertTrue(t.evictions() > 1000, "the table filled up only " + t.evictions() + " times");
        assertTrue(removals > 1000, "only " + removals + " removals");
    }

    @Test
    void shouldEvictAConcludedEntryFirst() {
        ConnectionTable t = new ConnectionTable(4); // 8 slots: every entry is near every key
        Tuple[] k = distinctKeys(5);
        insert(t, k[0], ConnectionTable.SYN_SENT, 1 * SECOND);
        insert(t, k[1], ConnectionTable.ESTABLISHED, 2 * SECOND);
        insert(t, k[2], ConnectionTable.CONCLUDED, 9 * SECOND); // seen most recently, yet the victim
        insert(t, k[3], ConnectionTable.SYN_ACK_SEEN, 3 * SECOND);

        insert(t, k[4], ConnectionTable.SYN_SENT, 10 * SECOND);

        assertEquals(1, t.evictions());
        assertEquals(0, t.evictedUnanswered());
        assertEquals(4, t.size());
        assertEquals(-1, find(t, k[2]));
        for (int n : new int[] {0, 1, 3, 4}) {
            assertTrue(find(t, k[n]) >= 0, "entry " + n);
        }
    }

    @Test
    void shouldEvictTheLeastRecentlySeenUnansweredAttemptWhenNothingIsConcluded() {
        ConnectionTable t = new ConnectionTable(4);
        Tuple[] k = distinctKeys(5);
        insert(t, k[0], ConnectionTable.ESTABLISHED, 1 * SECOND); // oldest of all, but answered
        insert(t, k[1], ConnectionTable.SYN_SENT, 5 * SECOND);
        insert(t, k[2], ConnectionTable.SYN_SENT, 3 * SECOND);
        insert(t, k[3], ConnectionTable.SYN_ACK_SEEN, 2 * SECOND);

        insert(t, k[4], ConnectionTable.SYN_SENT, 10 * SECOND);

        assertEquals(1, t.evictions());
        assertEquals(1, t.evictedUnanswered());
        assertEquals(-1, find(t, k[2]));
        assertTrue(find(t, k[0]) >= 0);
        assertTrue(find(t, k[1]) >= 0);
    }

    @Test
    void shouldEvictTheLeastRecentlySeenEntryWhenAllAreAnswered() {
        ConnectionTable t = new ConnectionTable(4);
        Tuple[] k = distinctKeys(5);
        insert(t, k[0], ConnectionTable.ESTABLISHED, 4 * SECOND);
        insert(t, k[1], ConnectionTable.SYN_ACK_SEEN, 3 * SECOND);
        insert(t, k[2], ConnectionTable.MIDSTREAM, 5 * SECOND);
        int i = insert(t, k[3], ConnectionTable.ESTABLISHED, 6 * SECOND);
        t.lastSeen(i, 2 * SECOND); // lastSeen, not insertion time, decides

        insert(t, k[4], ConnectionTable.SYN_SENT, 10 * SECOND);

        assertEquals(1, t.evictions());
        assertEquals(0, t.evictedUnanswered());
        assertEquals(-1, find(t, k[3]));
        assertTrue(find(t, k[4]) >= 0);
    }

    @Test
    void shouldPreferAConcludedEntryNearTheHomeSlotOfTheNewKey() {
        ConnectionTable t = new ConnectionTable(1024);
        int mask = t.slots() - 1;
        SplittableRandom random = new SplittableRandom(11);
        List<Tuple> keys = new ArrayList<>();
        while (t.size() < t.capacity()) {
            Tuple k = randomKey(random);
            if (find(t, k) < 0) {
                insert(t, k, ConnectionTable.ESTABLISHED, keys.size());
                keys.add(k);
            }
        }
        Tuple newcomer;
        do {
            newcomer = randomKey(random);
        } while (find(t, newcomer) >= 0);
        int home = newcomer.home(mask);
        // One concluded entry within the scan window, seen most recently of all, and one far away.
        Tuple near = null, far = null;
        for (Tuple k : keys) {
            int distance = (find(t, k) - home) & mask;
            if (near == null && distance > 2 && distance < Tables.EVICTION_SCAN) {
                near = k;
            } else if (far == null && distance > 4 * Tables.EVICTION_SCAN && distance < mask - 4 * Tables.EVICTION_SCAN) {
                far = k;
            }
        }
        t.state(find(t, near), ConnectionTable.CONCLUDED);
        t.lastSeen(find(t, near), 1_000_000);
        t.state(find(t, far), ConnectionTable.CONCLUDED);
        t.lastSeen(find(t, far), -1);

        insert(t, newcomer, ConnectionTable.SYN_SENT, 2_000_000);

        assertEquals(1, t.evictions());
        assertEquals(-1, find(t, near));
        assertTrue(find(t, far) >= 0);
        assertTrue(find(t, newcomer) >= 0);
        assertEquals(t.capacity(), t.size());
    }

    /**
     * The eviction reads ranks and last-seen times kept beside the entries: it must evict exactly
     * the entry the scan over the entries' own fields picks (the slot at the new key's home and the
     * {@link Tables#EVICTION_SCAN} after it, further if none is in use; the lowest rank, then the
     * least recently seen, then the first). Random inserts into a full table, state changes, the
     * real-client flag, last-seen times (some equal, some earlier) and removals moving entries by
     * backward shift; tables smaller and larger than the scan window.
     */
    @Test
    void shouldEvictWhatTheScanOverTheEntriesFieldsPicks() {
        long seed = Long.getLong("tapdoctor.table.seed", 0xE71C_7EDL);
        for (int capacity : new int[] {4, 16, 24, 64, 512}) {
            SplittableRandom random = new SplittableRandom(seed + capacity);
            ConnectionTable t = new ConnectionTable(capacity);
            int mask = t.slots() - 1;
            List<Tuple> keys = new ArrayList<>();
            for (int n = 0; n < 4 * capacity; n++) {
                keys.add(randomKey(random));
            }
            keys.addAll(collidingKeys(t.slots(), capacity / 2 + 2, random.nextInt(t.slots()), 3));
            byte[] states = {ConnectionTable.SYN_SENT, ConnectionTable.SYN_ACK_SEEN, ConnectionTable.ESTABLISHED,
                    ConnectionTable.CONCLUDED, ConnectionTable.MIDSTREAM};
            int checked = 0;
            for (int op = 0; op < 30_000; op++) {
                Tuple k = keys.get(random.nextInt(keys.size()));
                int i = find(t, k);
                long now = op / 4; // equal times happen
                switch (random.nextInt(6)) {
                    case 0, 1 -> {
                        if (i < 0) {
                            Tuple expected = t.size() < t.capacity() ? null : referenceVictim(t, keys, k.home(mask));
                            long evictions = t.evictions();
                            insert(t, k, states[random.nextInt(states.length)], now);
                            if (expected != null) {
                                assertEquals(evictions + 1, t.evictions(), "op " + op);
                                assertEquals(-1, find(t, expected), "op " + op + ": not the reference's victim");
                                checked++;
                            }
                        }
                    }
                    case 2 -> {
                        if (i >= 0) {
                            t.state(i, states[random.nextInt(states.length)]);
                        }
                    }
                    case 3 -> {
                        if (i >= 0) {
                            t.setFlag(i, ConnectionTable.F_REAL_CLIENT);
                        }
                    }
                    case 4 -> {
                        if (i >= 0) {
                            t.lastSeen(i, random.nextBoolean() ? now : now - random.nextInt(100));
                        }
                    }
                    default -> {
                        if (i >= 0 && random.nextInt(3) == 0) {
                            t.remove(i);
                        }
                    }
                }
                for (int j = t.nextInUse(0); j < t.slots(); j = t.nextInUse(j + 1)) {
                    assertEquals(t.rankFromWords(j), t.rank(j), "op " + op + " slot " + j + " (seed " + seed + ")");
                }
            }
            assertTrue(checked > 1000, "capacity " + capacity + ": only " + checked + " evictions checked");
        }
    }

    /** The victim by the scan of OpenTable.victimNear over the entries' own state, flags and last-seen times. */
    private static Tuple referenceVictim(ConnectionTable t, List<Tuple> keys, int home) {
        int mask = t.slots() - 1;
        int victim = -1;
        int victimRank = Integer.MAX_VALUE;
        long victimSeen = Long.MAX_VALUE;
        for (int i = home, scanned = 0; scanned <= mask; i = (i + 1) & mask, scanned++) {
            if (t.state(i) != ConnectionTable.EMPTY) {
                byte st = t.state(i);
                int rank = st == ConnectionTable.CONCLUDED ? 0
                        : st == ConnectionTable.SYN_SENT ? (t.flag(i, ConnectionTable.F_REAL_CLIENT) ? 2 : 1) : 3;
                if (rank < victimRank || (rank == victimRank && t.lastSeen(i) < victimSeen)) {
                    victim = i;
                    victimRank = rank;
                    victimSeen = t.lastSeen(i);
                }
            }
            if (scanned >= Tables.EVICTION_SCAN && victim >= 0) {
                break;
            }
        }
        for (Tuple k : keys) {
            if (find(t, k) == victim) {
                return k;
            }
        }
        throw new AssertionError("no key at slot " + victim);
    }

    @Test
    void shouldNeverHoldMoreThanItsCapacity() {
        ConnectionTable t = new ConnectionTable(64);
        SplittableRandom random = new SplittableRandom(3);
        long inserted = 0;
        for (int n = 0; n < 20_000; n++) {
            Tuple k = randomKey(random);
            if (find(t, k) >= 0) {
                continue;
            }
            byte state = (byte) (1 + random.nextInt(5));
            int i = insert(t, k, state, n);
            inserted++;
            assertEquals(state, t.state(i));
            assertTrue(find(t, k) >= 0, "the new entry is findable");
            assertTrue(t.size() <= t.capacity());
        }
        assertEquals(t.capacity(), t.size());
        assertEquals(inserted - t.capacity(), t.evictions());
        assertTrue(t.evictedUnanswered() > 0 && t.evictedUnanswered() < t.evictions());
    }

    @Test
    void shouldResetValuesButKeepTheKey() {
        ConnectionTable t = new ConnectionTable(16);
        Tuple k = Tuple.of("192.0.2.1", 40000, "192.0.2.2", 443);
        int i = insert(t, k, ConnectionTable.SYN_SENT, 1);
        t.synCount(i, 3);
        t.firstSyn(i, 1);
        t.serverTtl(i, 60);

        t.resetValues(i, 7);

        assertEquals(i, find(t, k));
        assertEquals(0, t.synCount(i));
        assertEquals(ConnectionTable.NONE, t.firstSyn(i));
        assertEquals(-1, t.serverTtl(i));
        assertEquals(7, t.lastSeen(i));
        assertFalse(t.clientIsA(i), "the client flag is a value too: the caller sets it again");
    }

    /**
     * An entry's words are not moved by a removal: the evicted entry's words become the next
     * insert's. Every field of every entry is set away from its default, then a flood of new keys
     * evicts them all: each new entry reads its defaults, never a value of the entry whose words it
     * took, and the entries still held keep theirs.
     */
    @Test
    void shouldStartANewEntryFromItsDefaultsInTheWordsOfTheEntryItEvicted() {
        ConnectionTable t = new ConnectionTable(32);
        for (int n = 0; n < 20_000; n++) {
            Tuple k = Tuple.of("198.18." + (n >>> 8 & 0xFF) + "." + (n & 0xFF), 1024 + n % 60_000, "198.51.100.20", 443);
            int i = insert(t, k, ConnectionTable.SYN_SENT, n);
            assertEquals(ConnectionTable.SYN_SENT, t.state(i), "entry " + n);
            assertEquals(null, t.outcome(i), "entry " + n);
            assertFalse(t.flag(i, 0xFE), "entry " + n + ": a flag of the evicted entry");
            assertEquals(-1, t.clientSide(i), "entry " + n);
            assertEquals(ConnectionTable.NONE, t.firstSyn(i), "entry " + n);
            assertEquals(ConnectionTable.NONE, t.lastSynAck(i), "entry " + n);
            assertEquals(ConnectionTable.NONE, t.established(i), "entry " + n);
            assertEquals(ConnectionTable.NONE, t.zeroSince(i, true), "entry " + n);
            assertEquals(0, t.synCount(i) + t.synAckCount(i) + t.zeroSegments(i, false) + t.clientIsn(i) + t.serverIsn(i),
                    "entry " + n);
            assertEquals(-1, t.serverTtl(i), "entry " + n);
            assertEquals(-1, t.lastTtl(i), "entry " + n);
            assertEquals(0, t.clientOptions(i) | t.serverOptions(i), "entry " + n);
            for (int w = 0; w < PathMtu.WORDS; w++) {
                assertEquals(0, t.pmtu(i, false, w) | t.pmtu(i, true, w), "entry " + n + " path-MTU word " + w);
            }
            // Everything away from its default, a value the next entry in these words must not see
            t.state(i, ConnectionTable.ESTABLISHED);
            t.outcome(i, Outcome.ODD);
            t.setFlag(i, ConnectionTable.F_SERVER_FIN | ConnectionTable.F_SYN_RETRIED);
            t.clientSide(i, 1);
            t.firstSyn(i, n);
            t.lastSynAck(i, n);
            t.established(i, n);
            t.zeroSince(i, true, n);
            t.synCount(i, 9);
            t.synAckCount(i, 9);
            t.zeroSegments(i, false, 9);
            t.clientIsn(i, n);
            t.serverIsn(i, ~n);
            t.serverTtl(i, 64);
            t.lastTtl(i, 63);
            t.clientOptions(i, 0x1234);
            t.serverOptions(i, 0x4321);
            for (int w = 0; w < PathMtu.WORDS; w++) {
                t.pmtu(i, false, w, n + w + 1);
                t.pmtu(i, true, w, -n - w - 1);
            }
        }
        assertEquals(20_000 - 32, t.evictions());
        int held = 0;
        for (int i = t.nextInUse(0); i < t.slots(); i = t.nextInUse(i + 1), held++) {
            int n = (int) t.firstSyn(i);
            assertEquals(n, t.clientIsn(i));
            assertEquals(~n, t.serverIsn(i));
            assertEquals(n + PathMtu.WORDS, t.pmtu(i, false, PathMtu.WORDS - 1));
            assertEquals(ConnectionTable.ESTABLISHED, t.state(i));
        }
        assertEquals(32, held);
    }

    /**
     * Every empty slot reads the same spare entry, which is what makes its state EMPTY: a write
     * there (a slot used after its removal) would show in every empty slot, so it is refused while
     * assertions are on, as in these tests.
     */
    @Test
    void shouldRefuseAWriteToAnEmptySlot() {
        ConnectionTable t = new ConnectionTable(16);
        Tuple k = Tuple.of("192.0.2.1", 40000, "192.0.2.2", 443);
        int i = insert(t, k, ConnectionTable.SYN_SENT, 1);
        t.remove(i);
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> t.synCount(i, 2));
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> t.state(i, ConnectionTable.ESTABLISHED));
        for (int slot = 0; slot < t.slots(); slot++) {
            assertEquals(ConnectionTable.EMPTY, t.state(slot), "slot " + slot);
        }
    }

    /**
     * What the heap budget charges for the table ({@link ConnectionTable#bytesFor}) is what it
     * allocates: at least that, and no more than the two bitmaps and the arrays' headers above it.
     */
    @Test
    void shouldTakeTheHeapItsBudgetSays() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int capacity : new int[] {1024, 65_536}) {
            new ConnectionTable(16); // class loading out of the measurement
            long before = threads.getThreadAllocatedBytes(thread);
            ConnectionTable t = new ConnectionTable(capacity);
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            long bitmaps = 2L * t.slots() / 8;
            assertTrue(allocated >= ConnectionTable.bytesFor(capacity) && allocated <= ConnectionTable.bytesFor(capacity) + bitmaps + 1024,
                    "capacity " + capacity + ": allocated " + allocated + " B, budget " + ConnectionTable.bytesFor(capacity) + " B");
        }
        // One slot's side arrays and one entry's words: 222 bytes per connection at two slots each
        assertEquals(131_072L * 25 + 65_537L * 172, ConnectionTable.bytesFor(65_536));
    }

    @Test
    void shouldKeepEachPackedFieldApartFromItsNeighbours() {
        ConnectionTable t = new ConnectionTable(16);
        Tuple k = Tuple.of("192.0.2.1", 65535, "192.0.2.2", 65534);
        int i = insert(t, k, ConnectionTable.MIDSTREAM, 1);
        t.state(i, ConnectionTable.ESTABLISHED);
        t.outcome(i, Outcome.ODD);
        t.setFlag(i, ConnectionTable.F_REAL_CLIENT);
        t.clientSide(i, -1);
        t.clientIsn(i, -2);
        t.serverIsn(i, Integer.MIN_VALUE);
        t.synCount(i, 65_535);
        t.synAckCount(i, 1);
        t.zeroSegments(i, false, 2);
        t.zeroSegments(i, true, 65_534);
        t.clientOptions(i, (1 << 23) - 1);
        t.serverOptions(i, 1 << 22 | 1460);
        t.serverTtl(i, 255);
        t.lastTtl(i, 0);
        t.zeroSince(i, true, Long.MAX_VALUE);

        assertEquals(i, find(t, k.reversed()), "the key survives its neighbours in the same word");
        assertEquals(65535, t.clientPort(i));
        assertEquals(65534, t.serverPort(i));
        assertEquals(ConnectionTable.ESTABLISHED, t.state(i));
        assertEquals(Outcome.ODD, t.outcome(i));
        assertTrue(t.flag(i, ConnectionTable.F_REAL_CLIENT));
        assertTrue(t.clientIsA(i));
        assertFalse(t.flag(i, ConnectionTable.F_CLIENT_DATA));
        assertEquals(-1, t.clientSide(i));
        assertEquals(-2, t.clientIsn(i));
        assertEquals(Integer.MIN_VALUE, t.serverIsn(i));
        assertEquals(65_535, t.synCount(i));
        assertEquals(1, t.synAckCount(i));
        assertEquals(2, t.zeroSegments(i, false));
        assertEquals(65_534, t.zeroSegments(i, true));
        assertEquals((1 << 23) - 1, t.clientOptions(i));
        assertEquals(1 << 22 | 1460, t.serverOptions(i));
        assertEquals(255, t.serverTtl(i));
        assertEquals(0, t.lastTtl(i));
        assertEquals(Long.MAX_VALUE, t.zeroSince(i, true));
        assertEquals(ConnectionTable.NONE, t.zeroSince(i, false));
        assertEquals(ConnectionTable.NONE, t.established(i));
        assertEquals(1, t.lastSeen(i));

        t.outcome(i, null);
        t.clientSide(i, 3);
        t.serverTtl(i, -1);
        assertEquals(null, t.outcome(i));
        assertEquals(3, t.clientSide(i));
        assertEquals(-1, t.serverTtl(i));
        assertEquals(0, t.lastTtl(i));
    }

    @Test
    void shouldSaturateCountersInsteadOfWrapping() {
        ConnectionTable t = new ConnectionTable(16);
        int i = insert(t, Tuple.of("192.0.2.1", 40000, "192.0.2.2", 443), ConnectionTable.SYN_SENT, 0);
        t.synAckCount(i, 7);
        for (int n = 0; n < 70_000; n++) {
            t.synCount(i, t.synCount(i) + 1);
        }
        t.zeroSegments(i, true, Integer.MAX_VALUE);

        assertEquals(65_535, t.synCount(i));
        assertEquals(7, t.synAckCount(i), "a saturated neighbour leaves it alone");
        assertEquals(65_535, t.zeroSegments(i, true));
        assertEquals(0, t.zeroSegments(i, false));
    }

    // ---- helpers ----

    /** {@link ConnectionTable#nextInUse} visits exactly the slots whose state is not EMPTY, in order. */
    private static void assertSweepSeesExactlyTheEntries(ConnectionTable t) {
        int expected = 0;
        while (expected < t.slots() && t.state(expected) == ConnectionTable.EMPTY) {
            expected++;
        }
        int visited = 0;
        for (int i = t.nextInUse(0); i < t.slots(); i = t.nextInUse(i + 1)) {
            assertEquals(expected, i);
            assertNotEquals(ConnectionTable.EMPTY, t.state(i));
            visited++;
            expected++;
            while (expected < t.slots() && t.state(expected) == ConnectionTable.EMPTY) {
                expected++;
            }
        }
        assertEquals(t.slots(), expected);
        assertEquals(t.size(), visited);
        assertEquals(t.slots(), t.nextInUse(t.slots()));
    }

    private static Tuple randomKey(SplittableRandom random) {
        return new Tuple(0, IpAddresses.v4Lo(random.nextInt()), 1024 + random.nextInt(60_000),
                0, IpAddresses.v4Lo(0x0A000001 + random.nextInt(8)), 443);
    }

    private static Tuple[] distinctKeys(int n) {
        Tuple[] k = new Tuple[n];
        for (int i = 0; i < n; i++) {
            k[i] = Tuple.of("192.0.2.1", 40000 + i, "192.0.2.2", 443);
        }
        return k;
    }

    /** {@code n} keys whose home slots lie in {@code [from, from + spread)} (mod slots). */
    private static List<Tuple> collidingKeys(int slots, int n, int from, int spread) {
        int mask = slots - 1;
        List<Tuple> keys = new ArrayList<>();
        for (int port = 1024; keys.size() < n; port++) {
            Tuple k = Tuple.of("203.0.113.3", port, "198.51.100.9", 80);
            if (((k.home(mask) - from) & mask) < spread) {
                keys.add(k);
            }
        }
        return keys;
    }

    private static int wrappedEntries(ConnectionTable t, List<Tuple> keys) {
        int mask = t.slots() - 1;
        int wrapped = 0;
        for (Tuple k : keys) {
            int i = find(t, k);
            assertNotEquals(-1, i);
            if (i < k.home(mask)) {
                wrapped++;
            }
        }
        return wrapped;
    }
}
