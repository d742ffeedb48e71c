package org.tapdoctor.diagnose;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.tapdoctor.track.ServerTable;
import org.tapdoctor.track.Tables;
import org.tapdoctor.track.Outcome;
import org.tapdoctor.track.Tracker;
import org.tapdoctor.wire.IpAddresses;

/**
 * Builds the list of {@link Diagnosis} values from the aggregated problems and the per-server
 * facts: the server-level verdicts ({@code port_blocked}, {@code host_unreachable}) that replace
 * attempt-level ones, folding of many ports into one line, and the evidence and plain-language
 * summary of each kind. Runs off the packet path (at the end of a replay, or when reporting live),
 * so it may allocate. Rules: docs/diagnosis-rules.md sections 2 to 4.
 */
public final class Report {
    /** Options of the reporting rules. */
    public record Options(int hostMinAttempts, int maxPortsPerHost, int maxHostDown, int maxServersPerClient,
                          int maxNamesPerDnsServer) {
        public static Options defaults() {
            return new Options(2, 8, 16, 16, 4);
        }
    }

    private record Host(long hi, long lo) {
    }

    private final Tracker tracker;
    private final ProblemTable problems;
    private final Options options;
    private final List<String> sideNames;

    public Report(Tracker tracker, Diagnoser diagnoser, Options options) {
        this(tracker, diagnoser, options, null);
    }

    /**
     * @param sideNames the NIC names by side index (live capture), or null when frames have no side
     */
    public Report(Tracker tracker, Diagnoser diagnoser, Options options, List<String> sideNames) {
        this.tracker = tracker;
        this.problems = diagnoser.problems();
        this.options = options;
        this.sideNames = sideNames;
    }

    /** Every current problem as a diagnosis, ordered by first occurrence, then kind, server and port. */
    public List<Diagnosis> diagnoses() {
        final ProblemTable p = problems;
        Map<Host, List<Integer>> synFailures = new LinkedHashMap<>();
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < p.slots(); i++) {
            if (!p.used(i) || p.count(i) <= 0) {
                continue;
            }
            Kind k = p.kind(i);
            if (k == Kind.DNS_FAILURE && searchListExpansion(i)) {
                continue;
            }
            if (k == Kind.NO_RESPONSE || k == Kind.REFUSED || k == Kind.UNREACHABLE) {
                synFailures.computeIfAbsent(new Host(p.hi(i), p.lo(i)), h -> new ArrayList<>()).add(i);
            } else {
                others.add(i);
            }
        }
        Map<Host, TreeSet<Integer>> workingPorts = workingPorts();
        List<Diagnosis> out = new ArrayList<>();
        for (Map.Entry<Host, List<Integer>> e : synFailures.entrySet()) {
            serverVerdicts(e.getKey(), e.getValue(), workingPorts, out);
        }
        int hostDown = 0;
        int moreHostsDown = 0;
        // In time order, so that the cap on host_down keeps the first ones (deterministic).
        others.sort(Comparator.comparingLong((Integer i) -> p.first(i)).thenComparingLong(i -> p.lo(i)));
        for (int i : others) {
            if (p.kind(i) == Kind.HOST_DOWN && ++hostDown > options.maxHostDown()) {
                moreHostsDown++;
                continue;
            }
            out.add(attemptLevel(i));
        }
        out = fold(out);
        out = foldDns(out);
        out = foldByClient(out);
        if (moreHostsDown > 0) {
            Instant now = time(tracker.lastTime());
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("more_hosts_down", moreHostsDown);
            ev.put("listed", options.maxHostDown());
            out.add(new Diagnosis(Kind.HOST_DOWN, now, null, null, moreHostsDown, now, now, ev,
                    moreHostsDown + " more hosts did not answer ARP (only the first " + options.maxHostDown() + " are listed)"));
        }
        addTableFull(out);
        out.sort(Comparator.comparing(Diagnosis::first).thenComparing(d -> d.kind().ordinal())
                .thenComparing(d -> d.server() == null ? "" : d.server().ip())
                .thenComparingInt(d -> d.server() == null ? -1 : d.server().port()));
        return out;
    }

    private Map<Host, TreeSet<Integer>> workingPorts() {
        ServerTable s = tracker.servers();
        Map<Host, TreeSet<Integer>> working = new HashMap<>();
        for (int i = 0; i < s.slots(); i++) {
            if (!s.used(i) || s.port(i) == ServerTable.HOST) {
                continue;
            }
            int answered = 0;
            for (Outcome o : Outcome.values()) {
                if (o.serverAnswered()) {
                    answered += s.outcomeCount(i, o);
                }
            }
            if (answered > 0) {
                working.computeIfAbsent(new Host(s.hi(i), s.lo(i)), h -> new TreeSet<>()).add(s.port(i));
            }
        }
        return working;
    }

    private void serverVerdicts(Host host, List<Integer> failures, Map<Host, TreeSet<Integer>> workingPorts,
                                List<Diagnosis> out) {
        final ProblemTable p = problems;
        TreeSet<Integer> ok = workingPorts.get(host);
        if (ok != null) {
            Map<Integer, List<Integer>> byPort = new LinkedHashMap<>();
            for (int i : failures) {
                byPort.computeIfAbsent(p.port(i), k -> new ArrayList<>()).add(i);
            }
            for (Map.Entry<Integer, List<Integer>> e : byPort.entrySet()) {
                if (ok.contains(e.getKey())) {
                    // The port also worked: intermittent failures keep their own diagnoses.
                    e.getValue().forEach(i -> out.add(attemptLevel(i)));
                } else {
                    out.add(portBlocked(e.getValue(), ok));
                }
            }
            return;
        }
        long attempts = 0;
        boolean hostSilent = true;
        for (int i : failures) {
            attempts += p.count(i);
            if (p.kind(i) == Kind.REFUSED && !"middlebox".equals(rstFrom(i))) {
                hostSilent = false;
            }
        }
        int okHosts = workingPorts.size();
        if (hostSilent && attempts >= options.hostMinAttempts() && okHosts > 0) {
            out.add(hostUnreachable(host, failures, okHosts));
        } else {
            failures.forEach(i -> out.add(attemptLevel(i)));
        }
    }

    // ---- attempt-level and other kinds ----

    private Diagnosis attemptLevel(int i) {
        final ProblemTable p = problems;
        Kind kind = p.kind(i);
        Map<String, Object> ev = new LinkedHashMap<>();
        Endpoint server = new Endpoint(IpAddresses.format(p.hi(i), p.lo(i)), p.port(i));
        Endpoint client = p.clientPort(i) >= 0 || kind == Kind.DUPLICATE_IP || kind == Kind.HOST_DOWN
                ? new Endpoint(IpAddresses.format(p.clientHi(i), p.clientLo(i)), p.clientPort(i)) : null;
        String summary;
        switch (kind) {
            case NO_RESPONSE -> {
                ev.put("syn", p.syn(i));
                clients(i, ev);
                summary = server + " did not answer: " + p.syn(i) + " SYN" + (p.syn(i) == 1 ? "" : "s")
                        + " got no reply; dropped by a firewall, or the host or service is down beyond the tap";
            }
            case REFUSED -> {
                ev.put("syn", p.syn(i));
                refusedEvidence(i, ev);
                clients(i, ev);
                summary = server + " refused the connection: " + ("middlebox".equals(ev.get("rst_from"))
                        ? "a middlebox (firewall) sent the RST, not the host"
                        : "nothing listens there, or a firewall rejects it");
            }
            case UNREACHABLE -> {
                ev.put("syn", p.syn(i));
                unreachableEvidence(i, ev);
                clients(i, ev);
                summary = client != null && client.ip().equals(ev.get("reported_by"))
                        ? server + " unreachable: the client's own stack refused to send (ICMP " + ev.get("icmp")
                                + " from itself: a local firewall rejects it)"
                        : server + " unreachable: " + ev.get("reported_by") + " answered with ICMP " + ev.get("icmp");
            }
            case NO_FINAL_ACK -> {
                ev.put("syn", p.syn(i));
                ev.put("syn_ack", p.longValue(i, Diagnoser.L0));
                clients(i, ev);
                summary = server + " answered with SYN/ACK but the client never completed the handshake: "
                        + "SYN/ACK lost toward the client, asymmetric route or client firewall";
            }
            case RESET -> {
                int rstTtl = p.intValue(i, Diagnoser.I0);
                int ref = p.intValue(i, Diagnoser.I1);
                String from = ref < 0 || rstTtl < 0 ? "unknown"
                        : Tables.hopDistance(rstTtl) == Tables.hopDistance(ref) ? "server" : "middlebox";
                long afterMs = p.longValue(i, Diagnoser.L0) / 1_000_000;
                ev.put("rst_from", from);
                ev.put("after_ms", afterMs);
                ev.put("rst_ttl", rstTtl);
                if (ref >= 0) {
                    ev.put("server_ttl", ref);
                }
                clients(i, ev);
                summary = server + " accepted the connection, then " + ("middlebox".equals(from) ? "a middlebox" : "the server")
                        + " reset it " + afterMs + " ms later before any data: the application or a middlebox refused it";
            }
            case ZERO_WINDOW -> {
                boolean serverSide = p.extra(i) == 1;
                long ms = p.longValue(i, Diagnoser.L0) / 1_000_000;
                ev.put("side", serverSide ? "server" : "client");
                ev.put("duration_ms", ms);
                ev.put("zero_window_segments", p.intValue(i, Diagnoser.I0));
                summary = "the " + (serverSide ? "server " + server : "client " + client) + " advertised a zero window for "
                        + String.format(java.util.Locale.ROOT, "%.1f", ms / 1000.0)
                        + " s: its application is not reading (overloaded or stalled)";
            }
            case HOST_DOWN -> {
                server = Endpoint.host(server.ip());
                client = Endpoint.host(IpAddresses.formatV4(p.intValue(i, Diagnoser.I0)));
                ev.put("arp_requests", p.longValue(i, Diagnoser.L0));
                ev.put("requested_by", client.ip());
                summary = "nobody answered " + p.longValue(i, Diagnoser.L0) + " ARP requests for " + server.ip()
                        + ": the host is off, unplugged or not on this segment";
            }
            case DUPLICATE_IP -> {
                server = Endpoint.host(server.ip());
                client = null;
                String mac1 = IpAddresses.formatMac(p.longValue(i, Diagnoser.L0));
                String mac2 = IpAddresses.formatMac(p.longValue(i, Diagnoser.L1));
                ev.put("macs", List.of(mac1, mac2));
                ev.put("claims", List.of(p.intValue(i, Diagnoser.I0), p.intValue(i, Diagnoser.I1)));
                summary = server.ip() + " is claimed by two MAC addresses (" + mac1 + ", " + mac2 + "): IP address conflict";
            }
            case DNS_FAILURE -> {
                String rcode = DnsNames.rcode(p.intValue(i, Diagnoser.I0));
                int off = i * ProblemTable.MAX_NAME;
                String query = p.nameLength(i) == 0 ? "?" : DnsNames.name(p.names(), off, p.nameLength(i));
                ev.put("rcode", rcode);
                ev.put("query", query);
                ev.put("qtype", DnsNames.qtype(p.intValue(i, Diagnoser.I1)));
                ev.put("queries", p.longValue(i, Diagnoser.L0));
                clients(i, ev);
                summary = p.intValue(i, Diagnoser.I0) < 0
                        ? "DNS server " + server.ip() + " did not answer " + ev.get("queries") + " queries for " + query
                        : "DNS server " + server.ip() + " answered " + rcode + " for " + query;
            }
            default -> summary = kind.meaning();
        }
        return place(new Diagnosis(kind, time(p.last(i)), client, server, p.count(i), time(p.first(i)), time(p.last(i)),
                ev, summary), p.intValue(i, Diagnoser.I3));
    }

    /**
     * Adds the sides and the fault direction (live capture only): docs/diagnosis-rules.md section 6.
     */
    private Diagnosis place(Diagnosis d, int clientSide) {
        if (sideNames == null) {
            return d;
        }
        String clientNic = clientSide >= 0 && clientSide < sideNames.size() ? sideNames.get(clientSide) : null;
        String serverNic = clientNic != null && sideNames.size() == 2 ? sideNames.get(1 - clientSide) : null;
        Object failure = d.evidence().getOrDefault("failure", d.kind().label());
        Placement.Fault fault = switch (String.valueOf(failure)) {
            case "no_response", "host_unreachable", "dns_failure" -> Placement.Fault.BEYOND_TAP;
            case "no_final_ack" -> Placement.Fault.CLIENT_SIDE;
            case "refused", "reset" -> "middlebox".equals(d.evidence().get("rst_from"))
                    ? Placement.Fault.MIDDLEBOX : Placement.Fault.BEYOND_TAP;
            case "unreachable" -> d.server() != null && d.server().ip().equals(d.evidence().get("reported_by"))
                    ? Placement.Fault.BEYOND_TAP : Placement.Fault.MIDDLEBOX;
            case "zero_window" -> "server".equals(d.evidence().get("side")) ? Placement.Fault.BEYOND_TAP
                    : Placement.Fault.CLIENT_SIDE;
            default -> null;
        };
        if (clientNic == null && fault == null) {
            return d;
        }
        return d.withPlacement(new Placement(clientNic, serverNic, fault));
    }

    private void clients(int i, Map<String, Object> ev) {
        ev.put("clients", problems.clientCount(i));
        if (problems.clientsCapped(i)) {
            ev.put("clients_capped", true);
        }
    }

    /** {@code server}, {@code middlebox} or {@code unknown}: docs/diagnosis-rules.md "Who sent the RST". */
    private String rstFrom(int i) {
        int rstTtl = problems.intValue(i, Diagnoser.I0);
        int ref = tracker.servers().referenceTtl(problems.hi(i), problems.lo(i));
        if (ref < 0 || rstTtl < 0) {
            return "unknown";
        }
        return Tables.hopDistance(rstTtl) == Tables.hopDistance(ref) ? "server" : "middlebox";
    }

    private void refusedEvidence(int i, Map<String, Object> ev) {
        int rstTtl = problems.intValue(i, Diagnoser.I0);
        int ref = tracker.servers().referenceTtl(problems.hi(i), problems.lo(i));
        ev.put("rst_ttl", rstTtl);
        if (ref >= 0) {
            ev.put("server_ttl", ref);
        }
        ev.put("rst_from", rstFrom(i));
    }

    private void unreachableEvidence(int i, Map<String, Object> ev) {
        final ProblemTable p = problems;
        int type = p.intValue(i, Diagnoser.I0);
        int code = p.intValue(i, Diagnoser.I1);
        ev.put("icmp", IcmpNames.unreachable(p.intValue(i, Diagnoser.I2), code));
        ev.put("icmp_type", type);
        ev.put("icmp_code", code);
        ev.put("reported_by", IpAddresses.format(p.longValue(i, Diagnoser.L0), p.longValue(i, Diagnoser.L1)));
    }

    // ---- server-level verdicts ----

    private Diagnosis portBlocked(List<Integer> failures, TreeSet<Integer> okPorts) {
        final ProblemTable p = problems;
        int main = failures.get(0);
        long attempts = 0, syn = 0;
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        int earliest = main;
        for (int i : failures) {
            attempts += p.count(i);
            syn += p.syn(i);
            if (p.count(i) > p.count(main)) {
                main = i;
            }
            if (p.first(i) < first) {
                first = p.first(i);
                earliest = i;
            }
            last = Math.max(last, p.last(i));
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        Kind failure = p.kind(main);
        ev.put("failure", failure.label());
        ev.put("attempts", attempts);
        ev.put("syn", syn);
        ev.put("ok_ports", okPorts.stream().limit(5).toList());
        if (failure == Kind.REFUSED) {
            refusedEvidence(main, ev);
        } else if (failure == Kind.UNREACHABLE) {
            unreachableEvidence(main, ev);
        }
        Endpoint server = new Endpoint(IpAddresses.format(p.hi(main), p.lo(main)), p.port(main));
        Endpoint client = new Endpoint(IpAddresses.format(p.clientHi(earliest), p.clientLo(earliest)), p.clientPort(earliest));
        String how = switch (failure) {
            case REFUSED -> "middlebox".equals(ev.get("rst_from")) ? "reset by a middlebox" : "refused";
            case UNREACHABLE -> "ICMP " + ev.get("icmp");
            default -> "no reply";
        };
        String summary = server + " fails (" + how + ") while port" + (okPorts.size() == 1 ? " " : "s ")
                + joinPorts(okPorts) + " of the same host work" + (okPorts.size() == 1 ? "s" : "")
                + ": a firewall or port forwarding passes only some ports";
        return place(new Diagnosis(Kind.PORT_BLOCKED, time(last), client, server, attempts, time(first), time(last), ev,
                summary), p.intValue(earliest, Diagnoser.I3));
    }

    private Diagnosis hostUnreachable(Host host, List<Integer> failures, int okHosts) {
        final ProblemTable p = problems;
        long attempts = 0, syn = 0, noResponse = 0, unreachable = 0, refused = 0;
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        int earliest = failures.get(0);
        TreeSet<Integer> ports = new TreeSet<>();
        for (int i : failures) {
            attempts += p.count(i);
            syn += p.syn(i);
            ports.add(p.port(i));
            switch (p.kind(i)) {
                case NO_RESPONSE -> noResponse += p.count(i);
                case UNREACHABLE -> unreachable += p.count(i);
                default -> refused += p.count(i);
            }
            if (p.first(i) < first) {
                first = p.first(i);
                earliest = i;
            }
            last = Math.max(last, p.last(i));
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("attempts", attempts);
        ev.put("ports", ports.size());
        ev.put("port_list", ports.stream().limit(8).toList());
        ev.put("syn", syn);
        Map<String, Object> byKind = new LinkedHashMap<>();
        if (noResponse > 0) byKind.put("no_response", noResponse);
        if (unreachable > 0) byKind.put("unreachable", unreachable);
        if (refused > 0) byKind.put("refused_by_middlebox", refused);
        ev.put("failures", byKind);
        ev.put("ok_hosts", okHosts);
        String ip = IpAddresses.format(host.hi(), host.lo());
        Endpoint client = new Endpoint(IpAddresses.format(p.clientHi(earliest), p.clientLo(earliest)), p.clientPort(earliest));
        String summary = "every attempt to " + ip + " failed (" + attempts + " attempts, " + ports.size() + " port"
                + (ports.size() == 1 ? "" : "s") + ") while " + okHosts + " other host" + (okHosts == 1 ? "" : "s")
                + " worked: the problem is limited to " + ip;
        return place(new Diagnosis(Kind.HOST_UNREACHABLE, time(last), client, Endpoint.host(ip), attempts, time(first),
                time(last), ev, summary), p.intValue(earliest, Diagnoser.I3));
    }

    /** More than maxPortsPerHost diagnoses of one kind on one host become one line without a port. */
    private List<Diagnosis> fold(List<Diagnosis> in) {
        Map<String, List<Diagnosis>> groups = new LinkedHashMap<>();
        for (Diagnosis d : in) {
            String key = d.server() != null && d.server().hasPort() && d.kind() != Kind.DNS_FAILURE
                    ? d.kind() + " " + d.server().ip() : "single " + System.identityHashCode(d);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(d);
        }
        List<Diagnosis> out = new ArrayList<>();
        for (List<Diagnosis> g : groups.values()) {
            if (g.size() <= options.maxPortsPerHost()) {
                out.addAll(g);
                continue;
            }
            Totals t = totals(g);
            Diagnosis earliest = t.earliest();
            long count = t.count(), syn = t.syn();
            Instant last = t.last();
            TreeSet<Integer> ports = new TreeSet<>();
            g.forEach(d -> ports.add(d.server().port()));
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("ports", ports.size());
            ev.put("port_list", ports.stream().limit(options.maxPortsPerHost()).toList());
            ev.put("syn", syn);
            for (String k : List.of("failure", "rst_from", "icmp", "reported_by", "ok_ports")) {
                if (earliest.evidence().containsKey(k)) {
                    ev.put(k, earliest.evidence().get(k));
                }
            }
            String ip = earliest.server().ip();
            String summary = ip + ": " + ports.size() + " ports " + earliest.kind().label().replace('_', ' ')
                    + " (" + count + " attempts), e.g. " + earliest.summary();
            out.add(new Diagnosis(earliest.kind(), last, earliest.client(), Endpoint.host(ip), count, earliest.first(), last,
                    ev, summary, earliest.placement()));
        }
        return out;
    }

    /**
     * An NXDOMAIN for a name whose leading labels form a name that was answered is the resolver
     * trying its search list ({@code www.example.org.corp.lan} before {@code www.example.org}):
     * normal, not a failure.
     */
    private boolean searchListExpansion(int i) {
        final ProblemTable p = problems;
        if (p.intValue(i, Diagnoser.I0) != 3 || p.nameLength(i) == 0) {
            return false;
        }
        byte[] names = p.names();
        int off = i * ProblemTable.MAX_NAME;
        int len = p.nameLength(i);
        int[] labelEnds = new int[len];
        int labels = 0;
        for (int at = off; at < off + len && names[at] != 0 && (names[at] & 0xC0) == 0; at += (names[at] & 0xFF) + 1) {
            labelEnds[labels++] = at + (names[at] & 0xFF) + 1;
        }
        for (int k = labels - 1; k >= 1; k--) {
            int prefixLength = labelEnds[k - 1] - off;
            byte[] prefix = new byte[prefixLength + 1];
            System.arraycopy(names, off, prefix, 0, prefixLength);
            if (tracker.dns().answered(org.tapdoctor.track.DnsTable.nameHash(prefix, 0, prefix.length))) {
                return true;
            }
        }
        return false;
    }

    /** Many failing names at one DNS server with one rcode become one line. */
    private List<Diagnosis> foldDns(List<Diagnosis> in) {
        Map<String, List<Diagnosis>> groups = new LinkedHashMap<>();
        List<Diagnosis> out = new ArrayList<>();
        for (Diagnosis d : in) {
            if (d.kind() == Kind.DNS_FAILURE) {
                groups.computeIfAbsent(d.server().ip() + " " + d.evidence().get("rcode"), k -> new ArrayList<>()).add(d);
            } else {
                out.add(d);
            }
        }
        for (List<Diagnosis> g : groups.values()) {
            if (g.size() <= options.maxNamesPerDnsServer()) {
                out.addAll(g);
                continue;
            }
            Totals t = totals(g);
            Diagnosis earliest = t.earliest();
            long count = t.count(), queries = 0;
            Instant last = t.last();
            List<String> names = new ArrayList<>();
            Map<String, Integer> qtypes = new java.util.TreeMap<>();
            for (Diagnosis d : g) {
                queries += ((Number) d.evidence().get("queries")).longValue();
                if (names.size() < 8) {
                    names.add((String) d.evidence().get("query"));
                }
                qtypes.merge((String) d.evidence().get("qtype"), 1, Integer::sum);
            }
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("rcode", earliest.evidence().get("rcode"));
            ev.put("names", g.size());
            ev.put("name_list", names);
            ev.put("qtypes", qtypes);
            ev.put("queries", queries);
            String rcode = (String) earliest.evidence().get("rcode");
            String summary = "DNS server " + earliest.server().ip() + ("no_response".equals(rcode) ? " did not answer " : " answered " + rcode + " for ")
                    + g.size() + " names (e.g. " + names.get(0) + ")";
            out.add(new Diagnosis(Kind.DNS_FAILURE, last, earliest.client(), earliest.server(), count, earliest.first(), last,
                    ev, summary, earliest.placement()));
        }
        return out;
    }

    /**
     * One client failing toward many servers in the same way (a P2P client, a scan, a reflection
     * attack seen at its victim) is one line about the client, without a server.
     */
    private List<Diagnosis> foldByClient(List<Diagnosis> in) {
        Map<String, List<Diagnosis>> groups = new LinkedHashMap<>();
        List<Diagnosis> out = new ArrayList<>();
        for (Diagnosis d : in) {
            boolean perServer = d.kind() == Kind.NO_RESPONSE || d.kind() == Kind.REFUSED || d.kind() == Kind.UNREACHABLE
                    || d.kind() == Kind.NO_FINAL_ACK || d.kind() == Kind.HOST_UNREACHABLE;
            if (perServer && d.client() != null && d.server() != null) {
                groups.computeIfAbsent(d.kind() + " " + d.client().ip(), k -> new ArrayList<>()).add(d);
            } else {
                out.add(d);
            }
        }
        for (List<Diagnosis> g : groups.values()) {
            java.util.Set<String> servers = new java.util.TreeSet<>();
            g.forEach(d -> servers.add(d.server().ip()));
            if (servers.size() <= options.maxServersPerClient()) {
                out.addAll(g);
                continue;
            }
            Totals t = totals(g);
            Diagnosis earliest = t.earliest();
            long count = t.count(), syn = t.syn();
            Instant last = t.last();
            List<String> list = g.stream().limit(8).map(d -> d.server().toString()).toList();
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("servers", servers.size());
            ev.put("server_list", list);
            ev.put("syn", syn);
            for (String k : List.of("icmp", "rst_from")) {
                if (earliest.evidence().containsKey(k)) {
                    ev.put(k, earliest.evidence().get(k));
                }
            }
            String client = earliest.client().ip();
            String summary = client + ": " + earliest.kind().label().replace('_', ' ') + " from " + servers.size()
                    + " servers (" + count + " attempts), e.g. " + earliest.summary();
            out.add(new Diagnosis(earliest.kind(), last, Endpoint.host(client), null, count, earliest.first(), last, ev, summary,
                    earliest.placement()));
        }
        return out;
    }

    /** What a group of diagnoses folded into one adds up to. */
    private record Totals(Diagnosis earliest, long count, long syn, Instant last) {
    }

    /** Sorts the group by first occurrence and sums its counts and SYNs; the latest {@code last}. */
    private static Totals totals(List<Diagnosis> g) {
        g.sort(Comparator.comparing(Diagnosis::first));
        long count = 0, syn = 0;
        Instant last = g.get(0).last();
        for (Diagnosis d : g) {
            count += d.count();
            if (d.evidence().get("syn") instanceof Number n) {
                syn += n.longValue();
            }
            if (d.last().isAfter(last)) {
                last = d.last();
            }
        }
        return new Totals(g.get(0), count, syn, last);
    }

    private void addTableFull(List<Diagnosis> out) {
        Tracker t = tracker;
        if (t.connections().evictions() > 0) {
            Diagnosis d = tableFull("connections", t.connections().capacity(), t.connections().evictions(), "evictions");
            Map<String, Object> ev = new LinkedHashMap<>(d.evidence());
            ev.put("evicted_unanswered", t.connections().evictedUnanswered());
            out.add(new Diagnosis(d.kind(), d.time(), null, null, d.count(), d.first(), d.last(), ev, d.summary()));
        }
        if (t.servers().evictions() > 0) {
            out.add(tableFull("servers", t.servers().capacity(), t.servers().evictions(), "evictions"));
        }
        if (t.arp().evictions() > 0) {
            out.add(tableFull("arp", t.arp().capacity(), t.arp().evictions(), "evictions"));
        }
        if (t.dns().evictions() > 0) {
            out.add(tableFull("dns", t.dns().capacity(), t.dns().evictions(), "evictions"));
        }
        if (problems.overflows() > 0) {
            out.add(tableFull("problems", problems.capacity(), problems.overflows(), "evictions"));
        }
    }

    private Diagnosis tableFull(String table, int capacity, long evictions, String what) {
        Instant now = time(tracker.lastTime() == Long.MIN_VALUE ? 0 : tracker.lastTime());
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("table", table);
        ev.put("capacity", capacity);
        ev.put(what, evictions);
        String summary = "the " + table + " table (" + capacity + " entries) was full: " + evictions
                + " entries evicted, diagnoses may be incomplete";
        return new Diagnosis(Kind.TABLE_FULL, now, null, null, Math.max(1, evictions), now, now, ev, summary);
    }

    private static String joinPorts(TreeSet<Integer> ports) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (int port : ports) {
            if (n++ == 5) {
                sb.append(", ...");
                break;
            }
            sb.append(n > 1 ? ", " : "").append(port);
        }
        return sb.toString();
    }

    static Instant time(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
