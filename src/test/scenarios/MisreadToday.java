import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.tapdoctor.capture.CaptureFileReader;
import org.tapdoctor.capture.CaptureFilter;
import org.tapdoctor.capture.PcapFileSource;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.engine.Engine;

/**
 * What an engine says about each capture of a directory, as TSV on stdout: every capture read
 * whole (as {@code replay} does) and through the live capture filter (libpcap, as {@code run}
 * applies it in the kernel). Run it with the jar of the engine to ask: the rows of
 * src/test/resources/scenarios/misread/today.tsv came from main's jar before issue 11.
 *
 * usage: java -cp target/tapdoctor.jar src/test/scenarios/MisreadToday.java DIR
 */
public class MisreadToday {
    public static void main(String[] args) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(args[0]))) {
            files = s.filter(p -> p.toString().endsWith(".pcap")).sorted().toList();
        }
        System.out.println("file\treading\tkind\tserver_ip\tserver_port\tevidence\tsummary");
        for (Path f : files) {
            Engine whole = new Engine();
            new CaptureFileReader().read(f, whole);
            whole.finish();
            print(f, "replay", whole.diagnoses());
            Engine filtered = new Engine();
            PcapFileSource.replay(f, filtered, CaptureFilter.expression());
            filtered.finish();
            print(f, "live_filter", filtered.diagnoses());
        }
    }

    private static void print(Path f, String reading, List<Diagnosis> ds) {
        if (ds.isEmpty()) {
            System.out.println(f.getFileName() + "\t" + reading + "\tnone\t-\t-\t-\t-");
        }
        for (Diagnosis d : ds) {
            String ip = d.server() == null ? "-" : d.server().ip();
            String port = d.server() == null || !d.server().hasPort() ? "-" : Integer.toString(d.server().port());
            String evidence = d.evidence().entrySet().stream().map(MisreadToday::keyValue)
                    .collect(Collectors.joining(";"));
            System.out.println(f.getFileName() + "\t" + reading + "\t" + d.kind().label() + "\t" + ip + "\t" + port
                    + "\t" + evidence + "\t" + d.summary());
        }
    }

    private static String keyValue(Map.Entry<String, Object> e) {
        Object v = e.getValue();
        String text = v instanceof List<?> l ? l.stream().map(String::valueOf).collect(Collectors.joining(","))
                : String.valueOf(v);
        return e.getKey() + "=" + text;
    }
}
