package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.tapdoctor.engine.Engine;
import org.tapdoctor.capture.CaptureFileReader;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.wire.DecodeResult;

/**
 * Expected diagnoses per capture, from a tab-separated file with a header naming the columns:
 * {@code file kind server_ip server_port [count] key_evidence [note]}. Kind {@code none} means no
 * diagnosis; server {@code *} with count N means N diagnoses of that kind with any server; a kind
 * starting with {@code ?} may appear or not. Evidence keys {@code fault} and {@code client_nic} are the
 * placement's fault and client NIC.
 * {@link #check} fails on a missing, a different or an unexpected diagnosis.
 */
final class Expectations {
    record Line(String file, String kind, String server, String port, String count, String evidence, String note) {
    }

    private Expectations() {
    }

    /** The lines of a file, grouped by capture file name, in file order. */
    static Map<String, List<Line>> read(Path tsv) throws IOException {
        List<String> lines = Files.readAllLines(tsv);
        List<String> header = Arrays.asList(lines.get(0).split("\t"));
        Map<String, List<Line>> byFile = new LinkedHashMap<>();
        for (String text : lines.subList(1, lines.size())) {
            if (text.isBlank() || text.startsWith("#")) {
                continue;
            }
            String[] c = text.split("\t", -1);
            Line l = new Line(c[header.indexOf("file")], c[header.indexOf("kind")], c[header.indexOf("server_ip")],
                    c[header.indexOf("server_port")], header.contains("count") ? c[header.indexOf("count")] : "",
                    c[header.indexOf("key_evidence")], header.contains("note") ? c[header.indexOf("note")] : "");
            byFile.computeIfAbsent(l.file, k -> new ArrayList<>()).add(l);
        }
        return byFile;
    }

    /**
     * Replays a capture through a fresh engine, read as {@code replay} reads it by default, checking
     * that every frame is accounted for.
     */
    static List<Diagnosis> replay(Path file) throws Exception {
        Engine engine = new Engine();
        long frames = new CaptureFileReader().read(file, engine); // replay's default reader
        engine.finish();
        long accounted = 0;
        for (DecodeResult r : DecodeResult.values()) {
            accounted += engine.decoder().count(r);
        }
        assertEquals(frames, accounted, file + ": every frame is counted by exactly one decode result");
        assertEquals(0, engine.internalErrors(), file + ": internal errors");
        return engine.diagnoses();
    }

    static void check(List<Line> expected, List<Diagnosis> actual) {
        List<Diagnosis> unmatched = new ArrayList<>(actual);
        for (Line g : expected) {
            if (g.kind.equals("none")) {
                continue;
            }
            if (g.kind.startsWith("?")) {
                // optional: may appear (e.g. published live before a later verdict replaced it)
                Line opt = new Line(g.file, g.kind.substring(1), g.server, g.port, g.count, g.evidence, g.note);
                unmatched.stream().filter(x -> matches(opt, x)).findFirst().ifPresent(unmatched::remove);
                continue;
            }
            int wanted = g.server.equals("*") ? Integer.parseInt(g.count) : 1;
            for (int n = 0; n < wanted; n++) {
                Diagnosis d = unmatched.stream().filter(x -> matches(g, x)).findFirst().orElse(null);
                assertTrue(d != null, g.file + ": expected " + g.kind + " " + g.server + " " + g.port + " " + g.evidence
                        + "\nbut got:\n" + lines(actual));
                unmatched.remove(d);
                if (!g.server.equals("*")) {
                    if (!g.count.isEmpty()) {
                        assertEquals(Long.parseLong(g.count), d.count(), g.file + ": count of " + g.kind + " " + g.server);
                    }
                    checkEvidence(g, d);
                }
            }
        }
        assertEquals("", lines(unmatched), "unexpected diagnoses in " + (expected.isEmpty() ? "?" : expected.get(0).file));
    }

    private static boolean matches(Line g, Diagnosis d) {
        if (!d.kind().label().equals(g.kind)) {
            return false;
        }
        if (g.server.equals("*")) {
            return d.server() != null;
        }
        String ip = d.server() == null ? "-" : d.server().ip();
        String port = d.server() == null || !d.server().hasPort() ? "-" : Integer.toString(d.server().port());
        return ip.equals(g.server) && port.equals(g.port);
    }

    private static void checkEvidence(Line g, Diagnosis d) {
        if (g.evidence.equals("-") || g.evidence.isEmpty()) {
            return;
        }
        for (String kv : g.evidence.split(";")) {
            String[] p = kv.split("=", 2);
            Object v = switch (p[0]) {
                case "fault" -> d.placement() == null || d.placement().fault() == null ? null : d.placement().fault().label();
                case "client_nic" -> d.placement() == null ? null : d.placement().clientSide();
                default -> d.evidence().get(p[0]);
            };
            String text = v instanceof List<?> l ? l.stream().map(String::valueOf).collect(Collectors.joining(","))
                    : String.valueOf(v);
            assertEquals(p[1], text, g.file + ": evidence " + p[0] + " of " + g.kind + " " + g.server + " " + g.port);
        }
    }

    static String lines(List<Diagnosis> ds) {
        return ds.stream().map(d -> d.kind().label() + " " + d.server() + " x" + d.count() + " " + d.evidence())
                .collect(Collectors.joining("\n"));
    }
}
