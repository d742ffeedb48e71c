import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * The work of a build's EngineBenchmark.decode() (or engine()) in instructions, for a machine too
 * busy for timings: run under callgrind with instrumentation off, it warms up (the JIT compiles
 * the path), prints READY and waits for a line on stdin; {@code callgrind_control -i on} is
 * given, the line sent, it runs CALLS calls of 1024 frames, prints DONE and waits again for
 * {@code -i off} and a line. The main thread's instruction count over that window, divided by
 * the frames, is the cost per frame; it repeats to within a fraction of a percent whatever the
 * other tenants do (src/bench/decode-instructions.sh drives it).
 * {@code java src/bench/DecodeInstructions.java BENCHMARKS.jar decode|engine WARMUP_CALLS CALLS}
 */
public class DecodeInstructions {
    public static void main(String[] args) throws Exception {
        URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(args[0]).toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
        Class<?> c = loader.loadClass("org.tapdoctor.bench.EngineBenchmark");
        Object bench = c.getConstructor().newInstance();
        Field frames = c.getDeclaredField("frames");
        frames.setAccessible(true);
        frames.setInt(bench, Integer.parseInt(System.getProperty("frames", "262144")));
        c.getMethod("setUp").invoke(bench);
        Method m = c.getMethod(args[1]);
        long warmup = Long.parseLong(args[2]);
        long calls = Long.parseLong(args[3]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (long i = 0; i < warmup; i++) {
            m.invoke(bench);
        }
        System.out.println("READY");
        System.out.flush();
        in.readLine();
        for (long i = 0; i < calls; i++) {
            m.invoke(bench);
        }
        System.out.println("DONE " + calls * 1024 + " frames");
        System.out.flush();
        in.readLine();
    }
}
