package org.tapdoctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.DiagnosisListener;
import org.tapdoctor.diagnose.Sides;
import org.tapdoctor.site.SiteRecord;
import org.tapdoctor.wire.LinkTypes;

/**
 * The engine's per-frame path (decode, track, diagnose, site record, the reporter's pass) under a
 * random-source SYN flood (hping3 {@code --flood --rand-source}) allocates nothing, by the JVM's
 * per-thread allocation counter: every SYN from a source address and port not seen before, from
 * one client MAC to the router's, toward a few servers that never answer, at 250,000 frames/s of
 * packet time, and the clock moved on after every 512 frames as the live service's loop does.
 * After the warm-up (the connection table full and evicting, the flood's diagnoses published),
 * two stretches of {@link #FIRST} and {@link #SECOND} frames between two ticks of the reporter
 * must allocate exactly 0 bytes.
 *
 * <p>A tick (once per {@code report.interval} of the engine's time, whatever the frame rate)
 * renders the groups whose counts grew: the four host_unreachable and the connection table's
 * table_full here, about 14 KB. That is per unit of time and per change, not per frame: the
 * stretch with a tick is only bounded ({@link #MAX_TICK_BYTES}). The counter is read only at the
 * ends of a stretch: read around every frame, its own calls allocated now and then (their JIT).
 */
class EngineFloodAllocationTest {
    /** The flood's start, slow enough that SYNs time out before the table evicts them; then its full rate. */
    private static final int START = 100_000, WARM_UP = 400_000;
    /** The two measured stretches, each within one report.interval (250,000 frames of this flood). */
    private static final int FIRST = 100_000, SECOND = 200_000;
    /**
     * A tick renders each changed group once (~3.5 KB for a host_unreachable) and the tables'
     * health: twice what this flood's tick needs, far below one object per frame (250,000 a tick).
     */
    private static final long MAX_TICK_BYTES = 32 * 1024;
    private static final long EPOCH = 1_795_219_200_000_000_000L, START_NANOS = 50_000L, FRAME_NANOS = 4_000L;
    /** The live loop's drain: at most this many frames between two moves of the clock. */
    private static final int DRAIN = 512;
    private static final long CLIENT_MAC = 0x0200_0000_0c01L, ROUTER_MAC = 0x0200_0000_0a01L;
    /** The flood's targets: 198.51.100.20-23, port 443 or 80. */
    private static final int SERVER = 0xC633_6414, SERVERS = 4;
    /** A host that works (198.51.100.10:443), for the client at 192.0.2.10. */
    private static final int WORKING = 0xC633_640A, CLIENT = 0xC000_020A;
    private static final int SYN = 0x02, ACK = 0x10;
    private static final int ETH = 14, IP = 20, TCP = 20, LENGTH = ETH + IP + TCP;
    /** Preallocated frames, rewritten in place: the decoder sees a different array each time. */
    private static final int BUFFERS = 64;

    /** Counts what the engine streams, keeping nothing. */
    private static final class Counting implements DiagnosisListener {
        long diagnoses, sites;

        @Override
        public void diagnosis(Diagnosis d) {
            diagnoses++;
        }

        @Override
        public void site(SiteRecord r) {
            sites++;
        }
    }

    /** What a stretch of the flood allocated, and the reporter's ticks in it. */
    private record Stretch(int frames, long bytes, long ticks, long end) {
        @Override
        public String toString() {
            return frames + " frames, " + ticks + " ticks: " + bytes + " bytes";
        }
    }

    @Test
    void shouldAllocateNothingPerFrameOfARandomSourceSynFlood() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation counting not supported");
        threads.setThreadAllocatedMemoryEnabled(true);

        Counting listener = new Counting();
        Engine engine = new Engine(EngineSettings.defaults(), new Sides(List.of("tapA", "tapB")), listener);
        Flood flood = new Flood(new SplittableRandom(0x5F100D), threads);

        long now = flood.handshake(engine, EPOCH, 40000);
        now = flood.run(engine, now, START, START_NANOS);
        now = flood.run(engine, now, WARM_UP - START, FRAME_NANOS);
        long diagnosesBefore = listener.diagnoses, evictionsBefore = engine.tracker().connections().evictions();
        Stretch toTick = flood.untilTick(engine, now);
        Stretch first = flood.measure(engine, toTick.end(), FIRST);
        Stretch tick = flood.untilTick(engine, first.end());
        Stretch second = flood.measure(engine, tick.end(), SECOND);

        assertEquals(0, engine.internalErrors());
        assertTrue(diagnosesBefore > 0, "the flood was diagnosed before the measurement");
        long evicted = engine.tracker().connections().evictions() - evictionsBefore;
        long frames = toTick.frames() + first.frames() + tick.frames() + second.frames();
        assertTrue(evicted > frames / 2, "connections evicted while measured: " + evicted + " of " + frames);
        assertEquals(1, tick.ticks(), "a tick between the two stretches: " + tick);
        assertTrue(tick.bytes() <= MAX_TICK_BYTES, "at most " + MAX_TICK_BYTES + " bytes a tick: " + tick);
        for (Stretch s : List.of(first, second)) {
            assertEquals(0, s.ticks(), "no tick within a measured stretch: " + s);
            assertEquals(0, s.bytes(), "bytes allocated by the flood's frames: " + s);
        }
    }

    /** SYNs from random sources, written into preallocated Ethernet + IPv4 + TCP frames. */
    private static final class Flood {
        private final SplittableRandom random;
        private final com.sun.management.ThreadMXBean threads;
        private final byte[][] buffers = new byte[BUFFERS][];
        private int ipId;

        Flood(SplittableRandom random, com.sun.management.ThreadMXBean threads) {
            this.random = random;
            this.threads = threads;
            for (int i = 0; i < BUFFERS; i++) {
                buffers[i] = template();
            }
        }

        /** {@code count} frames from {@code start}, {@code gap} apart; returns the time after the last one. */
        long run(Engine engine, long start, int count, long gap) {
            long t = start;
            for (int i = 0; i < count; i++, t += gap) {
                feed(engine, i, t);
            }
            return t;
        }

        /** {@code count} frames at the flood's full rate, the counter read before the first and after the last. */
        Stretch measure(Engine engine, long start, int count) {
            long ticks = engine.reporter().ticks();
            long before = threads.getCurrentThreadAllocatedBytes();
            long end = run(engine, start, count, FRAME_NANOS);
            long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            return new Stretch(count, bytes, engine.reporter().ticks() - ticks, end);
        }

        /** Frames at the flood's full rate up to the one that ticks the reporter, that one included. */
        Stretch untilTick(Engine engine, long start) {
            long ticks = engine.reporter().ticks();
            long before = threads.getCurrentThreadAllocatedBytes();
            long t = start;
            int i = 0;
            while (engine.reporter().ticks() == ticks) {
                feed(engine, i++, t);
                t += FRAME_NANOS;
            }
            long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            return new Stretch(i, bytes, engine.reporter().ticks() - ticks, t);
        }

        /** The {@code i}th SYN of a stretch, and the clock moved on after every {@link #DRAIN} of them. */
        private void feed(Engine engine, int i, long t) {
            byte[] b = buffers[i % BUFFERS];
            int server = SERVER + random.nextInt(SERVERS);
            tcp(b, CLIENT_MAC, ROUTER_MAC, source(), 1024 + random.nextInt(64_512), server,
                    random.nextInt(4) == 0 ? 80 : 443, SYN, random.nextInt(), 0);
            engine.onFrame(b, LENGTH, 60, t, LinkTypes.ETHERNET, 0);
            if (i % DRAIN == DRAIN - 1) {
                engine.advance(t);
            }
        }

        /** A connection that works: the client's handshake with {@link #WORKING}; returns the time after it. */
        long handshake(Engine engine, long t, int clientPort) {
            byte[] b = buffers[0];
            tcp(b, CLIENT_MAC, ROUTER_MAC, CLIENT, clientPort, WORKING, 443, SYN, 1000, 0);
            engine.onFrame(b, LENGTH, 60, t, LinkTypes.ETHERNET, 0);
            tcp(b, ROUTER_MAC, CLIENT_MAC, WORKING, 443, CLIENT, clientPort, SYN | ACK, 5000, 1001);
            engine.onFrame(b, LENGTH, 60, t + 1_000_000L, LinkTypes.ETHERNET, 1);
            tcp(b, CLIENT_MAC, ROUTER_MAC, CLIENT, clientPort, WORKING, 443, ACK, 1001, 5001);
            engine.onFrame(b, LENGTH, 60, t + 1_100_000L, LinkTypes.ETHERNET, 0);
            return t + 2_000_000L;
        }

        /**
         * Mostly 198.18.0.0/15 (RFC 2544's benchmarking range: 131,072 addresses, none seen
         * twice by the tables before it is evicted), one in eight from 192.0.2.0/24 or 203.0.113.0/24.
         */
        private int source() {
            return switch (random.nextInt(16)) {
                case 0 -> 0xC000_0200 | random.nextInt(256);
                case 1 -> 0xCB00_7100 | random.nextInt(256);
                default -> 0xC612_0000 | random.nextInt(1 << 17);
            };
        }

        private void tcp(byte[] b, long srcMac, long dstMac, int src, int sport, int dst, int dport, int flags, int seq,
                int ack) {
            put48(b, 0, dstMac);
            put48(b, 6, srcMac);
            put16(b, ETH + 4, ipId++ & 0xFFFF);
            put32(b, ETH + 12, src);
            put32(b, ETH + 16, dst);
            put16(b, ETH + 10, 0);
            put16(b, ETH + 10, ipChecksum(b));
            put16(b, ETH + IP, sport);
            put16(b, ETH + IP + 2, dport);
            put32(b, ETH + IP + 4, seq);
            put32(b, ETH + IP + 8, ack);
            b[ETH + IP + 13] = (byte) flags;
        }

        /** hping3's SYN: no options, window 512; the MACs, addresses, ports, flags, id and checksum written per frame. */
        private static byte[] template() {
            byte[] b = new byte[LENGTH];
            put16(b, 12, 0x0800);
            b[ETH] = 0x45;
            put16(b, ETH + 2, IP + TCP);
            b[ETH + 8] = 64; // TTL
            b[ETH + 9] = 6; // TCP
            b[ETH + IP + 12] = 5 << 4; // data offset: 5 words
            put16(b, ETH + IP + 14, 512);
            return b;
        }

        private static int ipChecksum(byte[] b) {
            int sum = 0;
            for (int i = ETH; i < ETH + IP; i += 2) {
                sum += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
            }
            sum = (sum & 0xFFFF) + (sum >>> 16);
            sum += sum >>> 16;
            return ~sum & 0xFFFF;
        }

        private static void put16(byte[] b, int at, int v) {
            b[at] = (byte) (v >>> 8);
            b[at + 1] = (byte) v;
        }

        private static void put32(byte[] b, int at, int v) {
            put16(b, at, v >>> 16);
            put16(b, at + 2, v);
        }

        private static void put48(byte[] b, int at, long v) {
            put16(b, at, (int) (v >>> 32));
            put32(b, at + 2, (int) v);
        }
    }
}
