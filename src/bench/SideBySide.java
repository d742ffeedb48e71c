import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two builds' EngineBenchmark (src/jmh) side by side in one JVM, rounds alternated, so that a
 * machine whose other tenants come and go loads both alike:
 * {@code java -Xms1g -Xmx1g src/bench/SideBySide.java BEFORE.jar AFTER.jar [ROUNDS] [SECONDS]}
 * with the {@code benchmarks.jar} of each build ({@code mvn -Pbench package}). Each jar gets its
 * own class loader (nothing shared but the JDK), its own mix (the same seed) and its own JIT
 * compilation. Per round and build: {@code decode()} and {@code engine()} for SECONDS each,
 * frames per second of wall time and of the thread's CPU time (which leaves out the time the
 * thread was not running: the better figure on a shared machine). The first round is warm-up.
 */
public class SideBySide {
    record Build(String name, Object bench, Method decode, Method engine) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 2.0;
        List<Build> builds = List.of(load("before", args[0]), load("after", args[1]));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String[] benches = {"decode", "engine"};
        double[][][] cpu = new double[2][2][rounds];
        double[][][] wall = new double[2][2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int b = 0; b < 2; b++) {
                Build build = builds.get((r % 2 == 0) ? b : 1 - b); // alternate which goes first
                int bi = builds.indexOf(build);
                for (int m = 0; m < 2; m++) {
                    Method method = m == 0 ? build.decode : build.engine;
                    long calls = 0;
                    long c0 = threads.getCurrentThreadCpuTime();
                    long w0 = System.nanoTime();
                    long until = w0 + (long) (seconds * 1e9);
                    while (System.nanoTime() < until) {
                        for (int k = 0; k < 64; k++) {
                            method.invoke(build.bench);
                        }
                        calls += 64;
                    }
                    double frames = calls * 1024.0;
                    cpu[bi][m][r] = frames / ((threads.getCurrentThreadCpuTime() - c0) / 1e9);
                    wall[bi][m][r] = frames / ((System.nanoTime() - w0) / 1e9);
                    System.out.printf("round %d %-6s %-6s %6.2f Mpps cpu %6.2f Mpps wall%n", r, build.name, benches[m],
                            cpu[bi][m][r] / 1e6, wall[bi][m][r] / 1e6);
                }
            }
        }
        System.out.println();
        System.out.println("| benchmark | before median (cpu) | after median (cpu) | after/before | before median (wall) | after median (wall) | after/before |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (int m = 0; m < 2; m++) {
            double bc = median(cpu[0][m]), ac = median(cpu[1][m]), bw = median(wall[0][m]), aw = median(wall[1][m]);
            System.out.printf("| %s | %.2f M | %.2f M | %.3f | %.2f M | %.2f M | %.3f |%n", benches[m], bc / 1e6, ac / 1e6,
                    ac / bc, bw / 1e6, aw / 1e6, aw / bw);
        }
    }

    static Build load(String name, String jar) throws Exception {
        URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
        Class<?> c = loader.loadClass("org.tapdoctor.bench.EngineBenchmark");
        Object bench = c.getConstructor().newInstance();
        Field frames = c.getDeclaredField("frames");
        frames.setAccessible(true);
        frames.setInt(bench, 262144);
        c.getMethod("setUp").invoke(bench);
        return new Build(name, bench, c.getMethod("decode"), c.getMethod("engine"));
    }

    /** The median of every round but the first (warm-up). */
    static double median(double[] v) {
        double[] x = Arrays.copyOfRange(v, 1, v.length);
        Arrays.sort(x);
        return x.length % 2 == 1 ? x[x.length / 2] : (x[x.length / 2 - 1] + x[x.length / 2]) / 2;
    }
}
