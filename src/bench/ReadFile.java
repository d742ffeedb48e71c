import java.nio.file.Path;

import org.tapdoctor.capture.CaptureFileReader;
import org.tapdoctor.capture.FrameHandler;
import org.tapdoctor.capture.PcapFileSource;

/**
 * The file readers alone, into a handler that only touches each frame: how long one read of a
 * capture takes with the Java reader or with libpcap (pcap4j), in a fresh JVM.
 *
 * usage: java -cp target/tapdoctor.jar src/bench/ReadFile.java java|libpcap FILE [READS]
 */
public class ReadFile {
    static long sink;

    public static void main(String[] args) throws Exception {
        int reads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        FrameHandler touch = (frame, length, wireLength, timeNanos, linkType, side) -> sink += frame[0] + timeNanos;
        CaptureFileReader reader = new CaptureFileReader();
        for (int r = 0; r < reads; r++) {
            long start = System.nanoTime();
            long frames = args[0].equals("java") ? reader.read(Path.of(args[1]), touch)
                    : PcapFileSource.replay(Path.of(args[1]), touch);
            System.out.printf("%s: %d frames in %.3f s%n", args[0], frames, (System.nanoTime() - start) / 1e9);
        }
    }
}
