package org.tapdoctor.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.tapdoctor.diagnose.Sides;
import org.tapdoctor.engine.Engine;
import org.tapdoctor.engine.EngineSettings;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.TestPackets;

/**
 * Engine-thread CPU per second of live operation with 4,000 problems held (not a test: a
 * measurement, run by hand; see src/bench/README.md). 4,000 refused attempts that nothing folds
 * (500 servers x 8 ports, 250 clients x 16 servers), then each simulated second: 200 healthy
 * handshakes, 5 recurring failures, the clock moved on every 100 ms as the live service does.
 * Prints the thread CPU time per simulated second (median, p90, mean).
 */
public final class ReportingCost {
    static final long S = 1_000_000_000L, MS = 1_000_000L, EPOCH = 1_795_219_200_000_000_000L;

    public static void main(String[] args) {
        int seconds = Integer.parseInt(args.length > 0 ? args[0] : "60");
        Engine engine = new Engine(EngineSettings.defaults(), new Sides(List.of("tapA", "tapB")), d -> { });
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long t = EPOCH;
        for (int k = 0; k < 4000; k++) {
            refused(engine, t + k * 100_000L, k, 40000);
        }
        t += S;
        engine.advance(t);
        System.out.println("problems held: " + engine.problems().size() + ", diagnoses held: " + engine.reporter().held());
        long[] perSecond = new long[seconds];
        long total = 0;
        int port = 50000;
        for (int s = 0; s < seconds; s++) {
            List<DecodedFrame> frames = new ArrayList<>();
            long base = t + s * S;
            for (int h = 0; h < 200; h++) {
                long at = base + h * 5 * MS;
                int cp = 10000 + (s * 200 + h) % 50000;
                frames.add(TestPackets.tcp(at, "192.0.2.251", cp, "203.0.113.254", 80, DecodedFrame.SYN, 1000, 0, 64, 65535, 0));
                frames.add(TestPackets.tcp(at + MS, "203.0.113.254", 80, "192.0.2.251", cp, DecodedFrame.SYN | DecodedFrame.ACK,
                        5000, 1001, 63, 65535, 0));
                frames.add(TestPackets.tcp(at + 2 * MS, "192.0.2.251", cp, "203.0.113.254", 80, DecodedFrame.ACK, 1001, 5001, 64,
                        65535, 0));
                // the connection closes (FIN both ways), as short HTTP connections do
                frames.add(TestPackets.tcp(at + 3 * MS, "192.0.2.251", cp, "203.0.113.254", 80, DecodedFrame.FIN | DecodedFrame.ACK,
                        1001, 5001, 64, 65535, 0));
                frames.add(TestPackets.tcp(at + 4 * MS, "203.0.113.254", 80, "192.0.2.251", cp, DecodedFrame.FIN | DecodedFrame.ACK,
                        5001, 1002, 63, 65535, 0));
            }
            long c0 = mx.getCurrentThreadCpuTime();
            for (DecodedFrame f : frames) {
                engine.track(f);
            }
            for (int r = 0; r < 5; r++) {
                refused(engine, base + 500 * MS + r * MS, (s * 5 + r) * 37 % 4000, port++);
            }
            for (int tick = 1; tick <= 10; tick++) {
                engine.advance(base + tick * 100 * MS);
            }
            long c1 = mx.getCurrentThreadCpuTime();
            perSecond[s] = c1 - c0;
            total += c1 - c0;
        }
        Arrays.sort(perSecond);
        System.out.printf("engine-thread CPU per simulated second (incl. 1000 frames + 5 failures): median %.2f ms, p90 %.2f ms,"
                + " mean %.2f ms%n", perSecond[seconds / 2] / 1e6, perSecond[seconds * 9 / 10] / 1e6, total / 1e6 / seconds);
    }

    static void refused(Engine e, long at, int k, int clientPort) {
        String server = k / 8 < 250 ? "198.51.100." + (k / 8 + 1) : "203.0.113." + (k / 8 - 249);
        int port = 1000 + k % 8;
        String client = "192.0.2." + (k % 250 + 1);
        int cp = clientPort + k % 1000;
        e.track(TestPackets.tcp(at, client, cp, server, port, DecodedFrame.SYN, k, 0, 64, 65535, 0));
        e.track(TestPackets.tcp(at + 1000, server, port, client, cp, DecodedFrame.RST | DecodedFrame.ACK, 0, k + 1, 63, 0, 0));
    }
}
