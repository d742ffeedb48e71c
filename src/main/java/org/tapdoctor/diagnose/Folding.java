package org.tapdoctor.diagnose;

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
 * sums its items' counts and SYNs, spans their first and last times, and keeps the earliest as its
 * sample (its client, its placement, what its kind keeps). Items are folded by their figures; an
 * item's diagnosis is built only when it is said on its own or is a sample, so folding a scan of
 * a thousand ports builds one diagnosis, not a thousand. Off the packet path; allocates.
 */
final class Folding {

    /** What folding needs of one line a group may say. */
    interface Item {
        Kind kind();

        /** The server's port, -1 for a host-level line. */
        int port();

        long count();

        /** SYNs counted in its evidence (0 when it counts none). */
        long syn();

        /** First and last occurrence, nanoseconds. */
        long first();

        long last();

        /** The line as a diagnosis, built when asked (once). */
        Diagnosis diagnosis();

        /** A DNS failure's rcode label, null for other kinds. */
        default String rcode() {
            return null;
        }

        /** A DNS failure's question type label. */
        default String qtype() {
            return null;
        }

        /** A DNS failure's query messages. */
        default long queries() {
            return 0;
        }

        /** A DNS failure's name (built when asked). */
        default String query() {
            return null;
        }
    }

    private static final int NAMES_LISTED = 8;
    private static final int SERVERS_LISTED = 8;
    private static final Comparator<Item> BY_FIRST = Comparator.comparingLong(Item::first);

    private Folding() {
    }

    /**
     * The lines of one address's group: more than {@code maxPorts} port-level lines of one kind that
     * folds by host become one line without a port; more than {@code maxNames} DNS failures with
     * one rcode become one line; the others are said as they are.
     */
    static List<Diagnosis> ofHost(List<? extends Item> items, int maxPorts, int maxNames) {
        Map<Kind, List<Item>> byKind = new LinkedHashMap<>();
        Map<String, List<Item>> byRcode = new LinkedHashMap<>();
        List<Diagnosis> out = new ArrayList<>();
        for (Item i : items) {
            if (i.rcode() != null) {
                byRcode.computeIfAbsent(i.rcode(), k -> new ArrayList<>()).add(i);
            } else if (i.port() >= 0 && i.kind().rule().foldsByHost()) {
                byKind.computeIfAbsent(i.kind(), k -> new ArrayList<>()).add(i);
            } else {
                out.add(i.diagnosis());
            }
        }
        for (List<Item> g : byKind.values()) {
            if (g.size() <= maxPorts) {
                g.forEach(i -> out.add(i.diagnosis()));
            } else {
                out.add(ports(g, maxPorts));
            }
        }
        for (List<Item> g : byRcode.values()) {
            if (g.size() <= maxNames) {
                g.forEach(i -> out.add(i.diagnosis()));
            } else {
                out.add(names(g));
            }
        }
        return out;
    }

    /** A port scan's line: the host without a port. */
    private static Diagnosis ports(List<Item> g, int max) {
        Totals t = totals(g);
        Diagnosis earliest = t.earliest.diagnosis();
        TreeSet<Integer> ports = new TreeSet<>();
        g.forEach(i -> ports.add(i.port()));
        PortsFold fold = new PortsFold(ports.size(), ports.stream().limit(max).toList(), t.syn, earliest);
        String ip = earliest.server().ip();
        String summary = ip + ": " + ports.size() + " ports " + earliest.kind().label().replace('_', ' ')
                + " (" + t.count + " attempts), e.g. " + earliest.summary();
        return new Diagnosis(earliest.kind().label() + " " + ip + " ports", earliest.kind(), t.last(), earliest.client(),
                Endpoint.host(ip), t.count, earliest.first(), t.last(), fold, summary, earliest.placement(), null);
    }

    /** Many names failing one way at one DNS server: one line. */
    private static Diagnosis names(List<Item> g) {
        Totals t = totals(g);
        Diagnosis earliest = t.earliest.diagnosis();
        long queries = 0;
        List<String> names = new ArrayList<>();
        Map<String, Integer> qtypes = new TreeMap<>();
        for (Item i : g) {
            queries += i.queries();
            if (names.size() < NAMES_LISTED) {
                names.add(i.query());
            }
            qtypes.merge(i.qtype(), 1, Integer::sum);
        }
        String rcode = t.earliest.rcode();
        NamesFold fold = new NamesFold(rcode, g.size(), names, qtypes, queries, earliest);
        boolean unanswered = ((DnsFailure.Evidence) earliest.evidence()).unanswered();
        String summary = "DNS server " + earliest.server().ip() + (unanswered ? " did not answer " : " answered " + rcode + " for ")
                + g.size() + " names (e.g. " + names.get(0) + ")";
        return new Diagnosis(earliest.kind().label() + " " + earliest.server() + " " + rcode + " names", earliest.kind(),
                t.last(), earliest.client(), earliest.server(), t.count, earliest.first(), t.last(), fold, summary,
                earliest.placement(), null);
    }

    /** One client's failures of one kind toward many servers, as one line about the client. */
    static Diagnosis byClient(List<Diagnosis> members) {
        List<Item> g = new ArrayList<>(members.size());
        TreeSet<String> servers = new TreeSet<>();
        for (Diagnosis d : members) {
            g.add(of(d));
            servers.add(d.server().ip());
        }
        Totals t = totals(g);
        Diagnosis earliest = t.earliest.diagnosis();
        List<String> list = g.stream().limit(SERVERS_LISTED).map(i -> i.diagnosis().server().toString()).toList();
        ServersFold fold = new ServersFold(servers.size(), list, t.syn, earliest);
        String client = earliest.client().ip();
        String summary = client + ": " + earliest.kind().label().replace('_', ' ') + " from " + servers.size()
                + " servers (" + t.count + " attempts), e.g. " + earliest.summary();
        return new Diagnosis(clientKey(earliest.kind(), client), earliest.kind(), t.last(), Endpoint.host(client), null,
                t.count, earliest.first(), t.last(), fold, summary, earliest.placement(), null);
    }

    /** The key of a client's folded line (and of the group of its diagnoses of that kind). */
    static String clientKey(Kind kind, String clientIp) {
        return kind.label() + " client " + clientIp;
    }

    /** What a group of items folded into one adds up to. */
    private record Totals(Item earliest, long count, long syn, long lastNanos) {
        java.time.Instant last() {
            return ProblemRule.time(lastNanos);
        }
    }

    /** Sorts the group by first occurrence and sums its counts and SYNs; the latest {@code last}. */
    private static Totals totals(List<Item> g) {
        g.sort(BY_FIRST);
        long count = 0, syn = 0, last = Long.MIN_VALUE;
        for (Item i : g) {
            count += i.count();
            syn += i.syn();
            last = Math.max(last, i.last());
        }
        return new Totals(g.get(0), count, syn, last);
    }

    /** A diagnosis already built, as an item. */
    private static Item of(Diagnosis d) {
        return new Item() {
            @Override public Kind kind() { return d.kind(); }
            @Override public int port() { return d.server() == null ? -1 : d.server().port(); }
            @Override public long count() { return d.count(); }
            @Override public long syn() { return d.evidence().synCount(); }
            @Override public long first() { return nanos(d.first()); }
            @Override public long last() { return nanos(d.last()); }
            @Override public Diagnosis diagnosis() { return d; }
        };
    }

    private static long nanos(java.time.Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
