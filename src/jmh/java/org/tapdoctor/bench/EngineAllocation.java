package org.tapdoctor.bench;

import java.lang.management.ManagementFactory;

import org.tapdoctor.engine.Engine;
import org.tapdoctor.engine.EngineSettings;
import org.tapdoctor.wire.LinkTypes;

/**
 * Where the engine allocates on the {@link EngineBenchmark}'s mix: bytes allocated per pass of the
 * mix by the engine thread, with the reporter's renders and publications per pass. Run with
 * {@code java -cp target/benchmarks.jar org.tapdoctor.bench.EngineAllocation [passes]}.
 */
public final class EngineAllocation {
    public static void main(String[] args) {
        int passes = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        TrafficMix mix = TrafficMix.generate(262_144, 0x7A9D0C7L);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        Engine e = new Engine(EngineSettings.defaults(), null, d -> { });
        long t = EngineBenchmark.START_NANOS;
        for (int p = 0; p < passes; p++) {
            long a0 = mx.getThreadAllocatedBytes(thread);
            long r0 = e.reporter().renders(), q0 = e.reporter().published();
            for (int i = 0; i < mix.frames.length; i++) {
                e.onFrame(mix.frames[i], mix.frames[i].length, mix.wireLengths[i], t, LinkTypes.ETHERNET, -1);
                t += EngineBenchmark.FRAME_SPACING_NANOS;
            }
            long a1 = mx.getThreadAllocatedBytes(thread);
            long sweep = e.tracker().config().sweepIntervalNanos();
            t += EngineBenchmark.PASS_GAP_NANOS;
            e.advance(t);
            t += sweep;
            e.advance(t);
            t += sweep;
            long a2 = mx.getThreadAllocatedBytes(thread);
            System.out.printf("pass %2d: frames %.1f B/frame, gap %d KB; renders %d, published %d, problems %d, diagnoses %d%n",
                    p, (a1 - a0) / (double) mix.frames.length, (a2 - a1) / 1024, e.reporter().renders() - r0,
                    e.reporter().published() - q0, e.problems().size(), e.reporter().held());
        }
    }
}
