import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.tapdoctor.capture.CaptureFileReader;
import org.tapdoctor.engine.Engine;
import org.tapdoctor.engine.EngineSettings;
import org.tapdoctor.service.Config;

/**
 * Replay's work without the process around it: passes over one capture in one JVM, each with a
 * new engine, printing the main thread's CPU time per pass. The first pass is the cold one a
 * `replay` runs (interpreter, C1, the JIT's deoptimisations); the later ones are warm. CPU time of
 * one thread, not wall time, so that the JIT's and GC's threads and other tenants of a shared
 * machine count as little as they can; alternate the variants you compare, pass by pass.
 *
 * usage: java -cp target/tapdoctor.jar src/bench/ReplayPasses.java FILE [PASSES [KEY=VALUE...]]
 *        KEY=VALUE: configuration overrides as `--set` takes them (e.g. tables.connections=8192)
 */
public class ReplayPasses {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Map<String, String> overrides = new HashMap<>();
        for (int a = 2; a < args.length; a++) {
            int eq = args[a].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not KEY=VALUE: " + args[a]);
            }
            overrides.put(args[a].substring(0, eq), args[a].substring(eq + 1));
        }
        EngineSettings settings = Config.load(null, false, overrides).engineSettings();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int p = 0; p < passes; p++) {
            Engine engine = new Engine(settings);
            long start = threads.getCurrentThreadCpuTime();
            long frames = new CaptureFileReader().read(file, engine);
            engine.finish();
            System.out.printf("pass %d: %d frames, %.3f s main-thread CPU%n", p, frames,
                    (threads.getCurrentThreadCpuTime() - start) / 1e9);
        }
    }
}
