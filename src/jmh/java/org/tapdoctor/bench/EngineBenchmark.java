package org.tapdoctor.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tapdoctor.engine.Engine;
import org.tapdoctor.engine.EngineSettings;
import org.tapdoctor.track.TrackerStats;
import org.tapdoctor.wire.DecodeResult;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.FrameDecoder;
import org.tapdoctor.wire.LinkTypes;

/**
 * Packets per second through the whole per-frame path ({@link Engine#onFrame}: decode, track,
 * diagnose, report) and through {@link FrameDecoder#decode} alone, over the {@link TrafficMix}. One
 * operation is one frame. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the heap
 * allocated per frame, which should be 0 B/op.
 *
 * <p>Frames are 1 µs apart in packet time. The mix is replayed in passes; between two passes the
 * packet clock jumps by {@link #PASS_GAP_NANOS} and the tracker sweeps twice (as it would over an
 * idle gap), so every attempt of the previous pass is concluded and every entry expires: each pass
 * meets empty tables with the same traffic, and the cost of those sweeps is part of the measure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EngineBenchmark {
    /** Frames fed per benchmark call; JMH divides by it, so the score is frames per second. */
    static final int BATCH = 1024;
    static final long FRAME_SPACING_NANOS = 1_000;
    /** Longer than every timeout of the tracker (idle 300 s, linger 75 s). */
    static final long PASS_GAP_NANOS = 400_000_000_000L;
    static final long START_NANOS = 1_700_000_000_000_000_000L;

    /** Frames in one pass of the mix (2^18: about 14,000 conversations, each with its own 4-tuple). */
    @Param("262144")
    int frames;

    private byte[][] bytes;
    private int[] wireLengths;
    private int cursor;
    private long time;
    private Engine engine;
    private FrameDecoder decoder;
    private DecodedFrame decoded;

    @Setup
    public void setUp() {
        TrafficMix mix = TrafficMix.generate(frames, 0x7A9D0C7L);
        bytes = mix.frames;
        // Copy the frames in replay order, so they lie one after the other in the heap as the
        // frames of a capture do in its buffer (the mix built them conversation by conversation).
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = bytes[i].clone();
        }
        wireLengths = mix.wireLengths;
        // Diagnoses stream to a listener that keeps nothing, as the live service's sinks do.
        engine = new Engine(EngineSettings.defaults(), null, d -> { });
        decoder = new FrameDecoder();
        decoded = new DecodedFrame();
        cursor = 0;
        time = START_NANOS;
        describe();
    }

    /** One pass through a separate engine, printed so that a reader can see what the mix exercises. */
    private void describe() {
        Engine e = new Engine();
        long t = START_NANOS;
        for (int i = 0; i < bytes.length; i++) {
            e.onFrame(bytes[i], bytes[i].length, wireLengths[i], t, LinkTypes.ETHERNET, -1);
            t += FRAME_SPACING_NANOS;
        }
        e.finish();
        FrameDecoder d = e.decoder();
        TrackerStats s = e.tracker().stats();
        System.err.printf("%nmix of %d frames: decoded %d, ignored %d, truncated %d, malformed %d; tcp segments %d,"
                        + " attempts %d, handshakes ok %d, failed %d, midstream %d; icmp errors %d (unmatched %d), dns %d, arp %d;"
                        + " diagnoses %d, internal errors %d%n",
                d.total(), d.count(DecodeResult.OK), d.count(DecodeResult.IGNORED), d.count(DecodeResult.TRUNCATED),
                d.count(DecodeResult.MALFORMED), s.tcpSegments, s.attempts, s.handshakesOk, s.handshakesFailed, s.midstreamSegments,
                s.icmpErrors, s.icmpUnmatched, s.dnsMessages, s.arpPackets, e.diagnoses().size(), e.internalErrors());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void engine() {
        final byte[][] b = bytes;
        final int[] wire = wireLengths;
        final Engine en = engine;
        int c = cursor;
        long t = time;
        for (int k = 0; k < BATCH; k++) {
            byte[] f = b[c];
            en.onFrame(f, f.length, wire[c], t, LinkTypes.ETHERNET, -1);
            t += FRAME_SPACING_NANOS;
            if (++c == b.length) {
                c = 0;
                t = idleGap(en, t);
            }
        }
        cursor = c;
        time = t;
    }

    /** Lets the engine's clock run over an idle gap: the first sweep concludes, the second expires. */
    private static long idleGap(Engine engine, long t) {
        long sweep = engine.tracker().config().sweepIntervalNanos();
        long now = t + PASS_GAP_NANOS;
        engine.advance(now);
        now += sweep;
        engine.advance(now);
        return now + sweep;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long decode() {
        final byte[][] b = bytes;
        final FrameDecoder d = decoder;
        final DecodedFrame out = decoded;
        int c = cursor;
        long sink = 0;
        for (int k = 0; k < BATCH; k++) {
            byte[] f = b[c];
            DecodeResult r = d.decode(f, 0, f.length, LinkTypes.ETHERNET, out);
            sink += r.ordinal() + out.srcPort() + out.tcpFlags();
            if (++c == b.length) {
                c = 0;
            }
        }
        cursor = c;
        return sink;
    }
}
