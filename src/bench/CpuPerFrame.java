import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.util.Arrays;

import org.tapdoctor.bench.EngineBenchmark;

/**
 * EngineBenchmark's two loops (decode, engine) timed by the thread's CPU time instead of the wall
 * clock: on a machine shared with other busy processes, time spent descheduled does not count, so
 * two jars compared in alternation differ by what their code costs. Not a replacement for JMH
 * (no forks, no blackhole), a cross-check of it. Prints CPU ns per frame: min and median of ROUNDS
 * rounds of CALLS calls (1024 frames each), after a warm-up of the same size.
 *
 * usage: java -cp target/benchmarks.jar src/bench/CpuPerFrame.java [ROUNDS [CALLS]]
 */
public class CpuPerFrame {
    static long sink;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        EngineBenchmark b = new EngineBenchmark();
        Field frames = EngineBenchmark.class.getDeclaredField("frames");
        frames.setAccessible(true);
        frames.setInt(b, 262_144);
        b.setUp();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (String which : new String[] {"decode", "engine"}) {
            double[] perFrame = new double[rounds];
            run(b, which, calls); // warm-up: JIT
            for (int r = 0; r < rounds; r++) {
                long t0 = threads.getCurrentThreadCpuTime();
                run(b, which, calls);
                perFrame[r] = (threads.getCurrentThreadCpuTime() - t0) / (calls * 1024.0);
            }
            Arrays.sort(perFrame);
            System.out.printf("%s: CPU ns/frame min %.2f median %.2f (%d rounds of %d frames)%n", which, perFrame[0],
                    perFrame[rounds / 2], rounds, calls * 1024);
        }
        System.out.println("(sink " + sink + ")");
    }

    private static void run(EngineBenchmark b, String which, int calls) {
        if (which.equals("decode")) {
            for (int i = 0; i < calls; i++) {
                sink += b.decode();
            }
        } else {
            for (int i = 0; i < calls; i++) {
                b.engine();
            }
        }
    }
}
