package org.tapdoctor.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.kinds.LinkDown;
import org.tapdoctor.diagnose.kinds.LinkSpeed;
import org.tapdoctor.diagnose.kinds.LinkState;
import org.tapdoctor.diagnose.kinds.LinkUp;

/**
 * The box's own links, read from sysfs ({@code /sys/class/net/NIC/carrier}, {@code operstate},
 * {@code speed}, {@code duplex}) each time {@link #poll} is called: a NIC whose carrier goes away
 * or that disappears is {@code link_down}, one that comes back {@code link_up}; two ports up at
 * different speeds or duplex are {@code link_speed} (a 1G client behind a 100M uplink is a
 * bottleneck on site). Time is a parameter; the sysfs root is one too, so tests use a directory.
 */
final class LinkMonitor {
    /** What a NIC looks like now. */
    record Link(String nic, boolean present, boolean up, int speedMbps, String duplex) {
        String describe() {
            if (!present) {
                return "missing";
            }
            return (up ? "up" : "down") + (speedMbps > 0 ? " " + speedLabel(speedMbps) : "") + (duplex.isEmpty() ? "" : " " + duplex);
        }
    }

    private static final LinkDown LINK_DOWN = (LinkDown) Kind.LINK_DOWN.rule();
    private static final LinkUp LINK_UP = (LinkUp) Kind.LINK_UP.rule();
    private static final LinkSpeed LINK_SPEED = (LinkSpeed) Kind.LINK_SPEED.rule();

    private final Path sysClassNet;
    private final List<String> nics;
    private final Map<String, Link> last = new LinkedHashMap<>();
    private String lastSpeedMismatch = "";
    /**
     * One sysfs value (a few characters), read into this rather than by {@code Files.readString}:
     * that sizes its buffer by the file's size, and sysfs gives every attribute 4096, so the
     * engine thread's poll each second allocated ~5 KB per value, 8 values: most of what that
     * thread allocated at rest (42 KB a poll of two NICs; 9.6 KB now, the streams and paths).
     */
    private final byte[] value = new byte[64];

    LinkMonitor(Path sysClassNet, List<String> nics) {
        this.sysClassNet = sysClassNet;
        this.nics = List.copyOf(nics);
    }

    /** Reads every NIC and returns the diagnoses of what changed since the last poll. */
    List<Diagnosis> poll(long nowNanos) {
        List<Diagnosis> out = new ArrayList<>();
        Instant now = Instant.ofEpochSecond(0, nowNanos);
        for (String nic : nics) {
            Link link = read(nic);
            Link before = last.put(nic, link);
            boolean wasUp = before == null || before.up;
            if (wasUp && !link.up) {
                out.add(LINK_DOWN.diagnosis(new LinkState(nic, link.describe()), now));
            } else if (before != null && !before.up && link.up) {
                out.add(LINK_UP.diagnosis(new LinkState(nic, link.describe()), now));
            }
        }
        speedMismatch(now).ifPresent(out::add);
        return out;
    }

    private java.util.Optional<Diagnosis> speedMismatch(Instant now) {
        if (nics.size() != 2) {
            return java.util.Optional.empty();
        }
        Link a = last.get(nics.get(0));
        Link b = last.get(nics.get(1));
        String mismatch = "";
        if (a.up && b.up && a.speedMbps > 0 && b.speedMbps > 0
                && (a.speedMbps != b.speedMbps || (!a.duplex.isEmpty() && !b.duplex.isEmpty() && !a.duplex.equals(b.duplex)))) {
            mismatch = a.describe() + " / " + b.describe();
        }
        if (mismatch.equals(lastSpeedMismatch)) {
            return java.util.Optional.empty();
        }
        lastSpeedMismatch = mismatch;
        if (mismatch.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(LINK_SPEED.diagnosis(new LinkSpeed.Evidence(a.nic, a.describe(), b.nic, b.describe()), now));
    }

    /** The current state of a NIC. */
    Link read(String nic) {
        Path dir = sysClassNet.resolve(nic);
        if (!Files.isDirectory(dir)) {
            return new Link(nic, false, false, -1, "");
        }
        // carrier cannot be read while the interface is administratively down: that is down too.
        boolean carrier = "1".equals(readOr(dir.resolve("carrier"), "0"));
        String oper = readOr(dir.resolve("operstate"), "unknown");
        boolean up = carrier && !oper.equals("down") && !oper.equals("lowerlayerdown");
        int speed;
        try {
            speed = Integer.parseInt(readOr(dir.resolve("speed"), "-1"));
        } catch (NumberFormatException e) {
            speed = -1;
        }
        String duplex = readOr(dir.resolve("duplex"), "");
        if (duplex.equals("unknown")) {
            duplex = "";
        }
        return new Link(nic, true, up, up ? speed : -1, up ? duplex : "");
    }

    Map<String, Link> links() {
        return last;
    }

    private String readOr(Path p, String fallback) {
        try (InputStream in = Files.newInputStream(p)) {
            int n = in.readNBytes(value, 0, value.length);
            return new String(value, 0, n, StandardCharsets.US_ASCII).trim();
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }

    static String speedLabel(int mbps) {
        return mbps >= 1000 && mbps % 1000 == 0 ? (mbps / 1000) + "G" : mbps + "M";
    }
}
