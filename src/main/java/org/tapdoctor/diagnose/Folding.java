package org.tapdoctor.diagnose;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.tapdoctor.diagnose.kinds.DnsFailure;

/**
 * The three foldings of docs/diagnosis-rules.md section 2, in one place: many ports of one host,
 * many names at one DNS server, many servers of one client, each become one line. A folded line
 * sums its diagnoses' counts and SYNs, spans their first and last times, and keeps the earliest as
 * its sample (its client, its placement, what its kind keeps). Off the packet path; allocates.
 */
final class Folding {
    /** What a group of diagnoses folded into one adds up to. */
    record Totals(Diagnosis earliest, long count, long syn, Instant last) {
    }

    private Folding() {
    }

    /** Sorts the group by first occurrence and sums its counts and SYNs; the latest {@code last}. */
    static Totals totals(List<Diagnosis> g) {
        g.sort(Comparator.comparing(Diagnosis::first));
        long count = 0, syn = 0;
        Instant last = g.get(0).last();
        for (Diagnosis d : g) {
            count += d.count();
            syn += d.evidence().synCount();
            if (d.last().isAfter(last)) {
                last = d.last();
            }
        }
        return new Totals(g.get(0), count, syn, last);
    }

    /** More than {@code max} port-level diagnoses of one kind on one host become one line without a port. */
    static List<Diagnosis> byHost(List<Diagnosis> in, int max) {
        Map<String, List<Diagnosis>> groups = new LinkedHashMap<>();
        List<Diagnosis> out = new ArrayList<>();
        for (Diagnosis d : in) {
            if (d.server() != null && d.server().hasPort() && d.kind().rule().foldsByHost()) {
                groups.computeIfAbsent(d.kind() + " " + d.server().ip(), k -> new ArrayList<>()).add(d);
            } else {
                out.add(d);
            }
        }
        for (List<Diagnosis> g : groups.values()) {
            if (g.size() <= max) {
                out.addAll(g);
                continue;
            }
            Totals t = totals(g);
            Diagnosis earliest = t.earliest();
            TreeSet<Integer> ports = new TreeSet<>();
            g.forEach(d -> ports.add(d.server().port()));
            PortsFold fold = new PortsFold(ports.size(), ports.stream().limit(max).toList(), t.syn(), earliest);
            String ip = earliest.server().ip();
            String summary = ip + ": " + ports.size() + " ports " + earliest.kind().label().replace('_', ' ')
                    + " (" + t.count() + " attempts), e.g. " + earliest.summary();
            out.add(new Diagnosis(earliest.kind().label() + " " + ip + " ports", earliest.kind(), t.last(), earliest.client(),
                    Endpoint.host(ip), t.count(), earliest.first(), t.last(), fold, summary, earliest.placement(), null));
        }
        return out;
    }

    /** More than {@code max} names failing with one rcode at one DNS server become one line. */
    static List<Diagnosis> byName(List<Diagnosis> in, int max) {
        Map<String, List<Diagnosis>> groups = new LinkedHashMap<>();
        List<Diagnosis> out = new ArrayList<>();
        for (Diagnosis d : in) {
            if (d.evidence() instanceof DnsFailure.Evidence e) {
                groups.computeIfAbsent(d.server().ip() + " " + e.rcode(), k -> new ArrayList<>()).add(d);
            } else {
                out.add(d);
            }
        }
        for (List<Diagnosis> g : groups.values()) {
            if (g.size() <= max) {
                out.addAll(g);
                continue;
            }
            Totals t = totals(g);
            Diagnosis earliest = t.earliest();
            DnsFailure.Evidence first = (DnsFailure.Evidence) earliest.evidence();
            long queries = 0;
            List<String> names = new ArrayList<>();
            Map<String, Integer> qtypes = new TreeMap<>();
            for (Diagnosis d : g) {
                DnsFailure.Evidence e = (DnsFailure.Evidence) d.evidence();
                queries += e.queries();
                if (names.size() < 8) {
                    names.add(e.query());
                }
                qtypes.merge(e.qtype(), 1, Integer::sum);
            }
            NamesFold fold = new NamesFold(first.rcode(), g.size(), names, qtypes, queries, earliest);
            String summary = "DNS server " + earliest.server().ip() + (first.unanswered() ? " did not answer "
                    : " answered " + first.rcode() + " for ") + g.size() + " names (e.g. " + names.get(0) + ")";
            out.add(new Diagnosis(earliest.kind().label() + " " + earliest.server() + " " + first.rcode() + " names",
                    earliest.kind(), t.last(), earliest.client(), earliest.server(), t.count(), earliest.first(), t.last(),
                    fold, summary, earliest.placement(), null));
        }
        return out;
    }

    /** One client's failures of one kind toward many servers, as one line about the client. */
    static Diagnosis byClient(List<Diagnosis> members) {
        List<Diagnosis> g = new ArrayList<>(members);
        TreeSet<String> servers = new TreeSet<>();
        g.forEach(d -> servers.add(d.server().ip()));
        Totals t = totals(g);
        Diagnosis earliest = t.earliest();
        List<String> list = g.stream().limit(8).map(d -> d.server().toString()).toList();
        ServersFold fold = new ServersFold(servers.size(), list, t.syn(), earliest);
        String client = earliest.client().ip();
        String summary = client + ": " + earliest.kind().label().replace('_', ' ') + " from " + servers.size()
                + " servers (" + t.count() + " attempts), e.g. " + earliest.summary();
        return new Diagnosis(clientKey(earliest.kind(), client), earliest.kind(), t.last(), Endpoint.host(client), null,
                t.count(), earliest.first(), t.last(), fold, summary, earliest.placement(), null);
    }

    /** The key of a client's folded line (and of the group of its diagnoses of that kind). */
    static String clientKey(Kind kind, String clientIp) {
        return kind.label() + " client " + clientIp;
    }
}
