package org.tapdoctor.service;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.engine.Engine;
import org.tapdoctor.publish.SiteText;
import org.tapdoctor.site.SiteRecord;
import org.tapdoctor.diagnose.Severity;
import org.tapdoctor.track.Outcome;
import org.tapdoctor.track.ServerTable;
import org.tapdoctor.track.TrackerStats;
import org.tapdoctor.wire.DecodeResult;
import org.tapdoctor.wire.FrameDecoder;
import org.tapdoctor.wire.IpAddresses;

/** The text summary after a replay: frames, handshakes, times, options, servers, top problems. */
final class ReplaySummary {
    private static final int TOP_SERVERS = 10;

    private ReplaySummary() {
    }

    private record ServerLine(String name, int ok, int failed, double synAckMs, int samples) {
    }

    static void print(PrintWriter out, Path file, long frames, long elapsedNanos, Engine engine, List<Diagnosis> diagnoses) {
        FrameDecoder d = engine.decoder();
        TrackerStats s = engine.tracker().stats();
        out.println("-- summary of " + file);
        out.printf(Locale.ROOT, "frames %d in %.2f s: decoded %d, ignored %d, truncated %d, malformed %d, unsupported link type %d%s%n",
                frames, elapsedNanos / 1e9, d.count(DecodeResult.OK), d.count(DecodeResult.IGNORED),
                d.count(DecodeResult.TRUNCATED), d.count(DecodeResult.MALFORMED), d.count(DecodeResult.UNSUPPORTED_LINK_TYPE),
                engine.internalErrors() > 0 ? ", internal errors " + engine.internalErrors() : "");
        out.printf(Locale.ROOT, "tcp: %d attempts, %d handshakes ok, %d failed; %d SYN retransmissions, %d client aborts, "
                        + "%d abortive closes, %d odd handshakes, %d segments of connections begun before the capture%n",
                s.attempts, s.handshakesOk, s.handshakesFailed, s.synRetransmissions, s.clientAborts, s.abortiveCloses,
                s.oddHandshakes, s.midstreamSegments);
        if (s.synToSynAckCount > 0 || s.synAckToAckCount > 0) {
            out.printf(Locale.ROOT, "handshake times: SYN->SYN/ACK avg %.2f ms (%d, server side), SYN/ACK->ACK avg %.2f ms (%d, client side)%n",
                    avgMs(s.synToSynAckNanos, s.synToSynAckCount), s.synToSynAckCount,
                    avgMs(s.synAckToAckNanos, s.synAckToAckCount), s.synAckToAckCount);
        }
        if (s.syns > 0 || s.synAcks > 0) {
            long syn = Math.max(1, s.syns - s.synRetransmissions);
            long synAck = Math.max(1, s.synAcks);
            out.printf(Locale.ROOT, "options: SYN MSS %d%% WS %d%% SACK %d%% TS %d%%; SYN/ACK MSS %d%% WS %d%% SACK %d%% TS %d%%%n",
                    pct(s.clientMss, syn), pct(s.clientWindowScale, syn), pct(s.clientSackPermitted, syn), pct(s.clientTimestamps, syn),
                    pct(s.serverMss, synAck), pct(s.serverWindowScale, synAck), pct(s.serverSackPermitted, synAck),
                    pct(s.serverTimestamps, synAck));
        }
        out.printf(Locale.ROOT, "icmp errors %d (%d not about a tracked SYN), arp %d, dns %d%n",
                s.icmpErrors, s.icmpUnmatched, s.arpPackets, s.dnsMessages);
        List<ServerLine> servers = servers(engine.tracker().servers());
        if (!servers.isEmpty()) {
            out.println("servers (top " + Math.min(TOP_SERVERS, servers.size()) + " of " + servers.size() + " by attempts):");
            for (ServerLine l : servers.subList(0, Math.min(TOP_SERVERS, servers.size()))) {
                out.printf(Locale.ROOT, "  %-46s ok %5d  failed %5d%s%n", l.name, l.ok, l.failed,
                        l.samples > 0 ? String.format(Locale.ROOT, "  SYN->SYN/ACK avg %.2f ms", l.synAckMs) : "");
            }
        }
        Map<String, Integer> byKind = new LinkedHashMap<>();
        int critical = 0, warning = 0;
        for (Diagnosis diag : diagnoses) {
            byKind.merge(diag.kind().label(), 1, Integer::sum);
            if (diag.severity() == Severity.CRITICAL) {
                critical++;
            } else if (diag.severity() == Severity.WARNING) {
                warning++;
            }
        }
        if (diagnoses.isEmpty()) {
            out.println("problems: none");
        } else {
            StringBuilder sb = new StringBuilder();
            byKind.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .forEach(e -> sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(" x").append(e.getValue()));
            out.println("problems: " + critical + " critical, " + warning + " warning: " + sb);
        }
    }

    /** The site as of the last frame: one line per part seen, then the checklist. */
    static void printSite(PrintWriter out, SiteRecord site) {
        if (site == null) {
            return;
        }
        out.println("site:");
        for (String line : SiteText.lines(site)) {
            out.println("  " + line);
        }
    }

    private static List<ServerLine> servers(ServerTable t) {
        List<ServerLine> lines = new ArrayList<>();
        for (int i = 0; i < t.slots(); i++) {
            if (!t.used(i) || t.port(i) == ServerTable.HOST) {
                continue;
            }
            int ok = t.outcomeCount(i, Outcome.OK) + t.outcomeCount(i, Outcome.OK_UNCONFIRMED)
                    + t.outcomeCount(i, Outcome.CLIENT_ABORT) + t.outcomeCount(i, Outcome.ABORTED);
            int failed = t.outcomeCount(i, Outcome.NO_RESPONSE) + t.outcomeCount(i, Outcome.REFUSED)
                    + t.outcomeCount(i, Outcome.UNREACHABLE) + t.outcomeCount(i, Outcome.NO_FINAL_ACK)
                    + t.outcomeCount(i, Outcome.RESET);
            if (ok + failed == 0) {
                continue;
            }
            String ip = IpAddresses.format(t.hi(i), t.lo(i));
            String name = ip.indexOf(':') >= 0 ? "[" + ip + "]:" + t.port(i) : ip + ":" + t.port(i);
            lines.add(new ServerLine(name, ok, failed, avgMs(t.synToSynAckSum(i), t.synToSynAckCount(i)), t.synToSynAckCount(i)));
        }
        lines.sort(Comparator.comparingInt((ServerLine l) -> l.ok + l.failed).reversed().thenComparing(ServerLine::name));
        return lines;
    }

    private static double avgMs(long nanos, long n) {
        return n == 0 ? 0 : nanos / 1e6 / n;
    }

    private static long pct(long part, long whole) {
        return Math.round(100.0 * part / whole);
    }
}
