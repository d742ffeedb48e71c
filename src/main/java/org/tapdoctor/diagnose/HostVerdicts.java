package org.tapdoctor.diagnose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.tapdoctor.diagnose.kinds.ClosedPort;
import org.tapdoctor.diagnose.kinds.DhcpFailure;
import org.tapdoctor.diagnose.kinds.DnsFailure;
import org.tapdoctor.diagnose.kinds.HostUnreachable;
import org.tapdoctor.diagnose.kinds.NoAddress;
import org.tapdoctor.diagnose.kinds.PortBlocked;
import org.tapdoctor.diagnose.kinds.Refused;
import org.tapdoctor.diagnose.kinds.ServerOverloaded;
import org.tapdoctor.diagnose.kinds.Unreachable;
import org.tapdoctor.wire.IpAddresses;

/**
 * What one group of held problems (every problem about one address) says, as diagnoses: the
 * server-level verdicts of docs/diagnosis-rules.md section 2 over its SYN-level failures
 * ({@code port_blocked} for a failing port of a host whose other ports work, {@code
 * host_unreachable} for a host that fails every attempt while other hosts work, else each
 * attempt-level problem as it is), then the foldings by host and by DNS name ({@link Folding});
 * a device's group (its {@link DeviceRule} problems) folds its DHCP failure and self-assigned
 * address into the 802.1X problem that closed its port ({@link ClosedPort}), their root cause.
 * A pure function of the group's problems and the facts, so rendering a group again after any
 * change gives what a replay of the whole capture would. A line's diagnosis is built only when it
 * is said: a folded scan of a thousand ports costs a thousand small lines and one diagnosis. Off
 * the packet path; allocates.
 */
final class HostVerdicts {
    private static final PortBlocked PORT_BLOCKED = (PortBlocked) Kind.PORT_BLOCKED.rule();
    private static final HostUnreachable HOST_UNREACHABLE = (HostUnreachable) Kind.HOST_UNREACHABLE.rule();
    private static final ServerOverloaded SERVER_OVERLOADED = (ServerOverloaded) Kind.SERVER_OVERLOADED.rule();
    private static final int OK_PORTS_LISTED = 5;
    private static final int PORT_LIST = 8;

    private final ProblemTable table;
    private final Problem view;
    private final Facts facts;
    private final Reporter.Settings settings;
    private final Sides sides;

    HostVerdicts(ProblemTable table, Facts facts, Reporter.Settings settings, Sides sides) {
        this.table = table;
        this.view = new Problem(table);
        this.facts = facts;
        this.settings = settings;
        this.sides = sides;
    }

    /** A line the group may say: one held problem as it is, or a verdict over several. */
    private abstract static class Line implements Folding.Item {
        final Kind kind;
        final int port;
        long count, syn, first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        /** The entry of the earliest problem: its client and side are the line's. */
        int earliest = -1;
        private Diagnosis built;

        Line(Kind kind, int port) {
            this.kind = kind;
            this.port = port;
        }

        void add(long n, long s, long from, long to, int entry) {
            count += n;
            syn += s;
            if (from < first) {
                first = from;
                earliest = entry;
            }
            last = Math.max(last, to);
        }

        abstract Diagnosis build();

        @Override public Kind kind() { return kind; }
        @Override public int port() { return port; }
        @Override public long count() { return count; }
        @Override public long syn() { return syn; }
        @Override public long first() { return first; }
        @Override public long last() { return last; }

        @Override
        public final Diagnosis diagnosis() {
            if (built == null) {
                built = build();
            }
            return built;
        }
    }

    /** One held problem, said as its kind says it. */
    private class Held extends Line {
        final int entry;
        final ProblemRule<?> rule;
        final String rcode;

        Held(int entry, Problem p, ProblemRule<?> rule) {
            super(p.kind(), p.serverPort());
            this.entry = entry;
            this.rule = rule;
            this.rcode = p.kind() == Kind.DNS_FAILURE ? DnsFailure.rcode(p) : null;
            add(p.count(), rule.syn(p), p.first(), p.last(), entry);
        }

        @Override
        Diagnosis build() {
            Problem p = view.at(entry);
            return place(rule.diagnosis(p, facts), p.clientSide());
        }

        @Override public String rcode() { return rcode; }
        @Override public String qtype() { return DnsFailure.qtype(view.at(entry)); }
        @Override public long queries() { return DnsFailure.queries(view.at(entry)); }
        @Override public String query() { return DnsFailure.query(view.at(entry)); }
    }

    /** A {@code server_overloaded}, with the unanswered attempts of its port folded in. */
    private final class Overloaded extends Held {
        long unanswered, unansweredSyn;

        Overloaded(int entry, Problem p, ProblemRule<?> rule) {
            super(entry, p, rule);
        }

        @Override
        Diagnosis build() {
            Problem p = view.at(entry);
            return place(SERVER_OVERLOADED.diagnosis(p, unanswered, unansweredSyn), p.clientSide());
        }
    }

    /**
     * The {@code no_response} of a port whose server is overloaded, between its first attempt and
     * {@link ServerOverloaded#FOLD_AFTER_NANOS} after its last SYN/ACK retransmitted after an ACK,
     * is the full accept queue dropping SYNs: folded into the {@code server_overloaded} line.
     */
    private void foldIntoOverloaded(List<Line> lines, List<Held> synFailures) {
        for (Line l : lines) {
            if (!(l instanceof Overloaded o)) {
                continue;
            }
            long until = ServerOverloaded.lastRetransmission(view.at(o.entry)) + ServerOverloaded.FOLD_AFTER_NANOS;
            for (java.util.Iterator<Held> it = synFailures.iterator(); it.hasNext(); ) {
                Held m = it.next();
                if (m.kind == Kind.NO_RESPONSE && m.port == o.port && m.last >= o.first && m.first <= until) {
                    it.remove();
                    o.unanswered += m.count;
                    o.unansweredSyn += m.syn;
                    o.add(m.count, m.syn, m.first, m.last, o.entry);
                }
            }
        }
    }

    /** A {@code dot1x_no_supplicant} or {@code dot1x_failure}, with the device's DHCP failure and self-assigned address folded in. */
    private final class Unauthorized extends Held {
        Held dhcp, address;

        Unauthorized(int entry, Problem p, ProblemRule<?> rule) {
            super(entry, p, rule);
        }

        @Override
        Diagnosis build() {
            // theirs first: building them moves the shared view
            DhcpFailure.Evidence d = dhcp == null ? null : (DhcpFailure.Evidence) dhcp.diagnosis().evidence();
            NoAddress.Evidence a = address == null ? null : (NoAddress.Evidence) address.diagnosis().evidence();
            Problem p = view.at(entry);
            return place(((ClosedPort.Closes) rule).diagnosis(p, ClosedPort.of(d, a), first, last), p.clientSide());
        }

        void fold(Held m) {
            if (m.kind == Kind.DHCP_FAILURE) {
                dhcp = m;
            } else {
                address = m;
            }
            first = Math.min(first, m.first);
            last = Math.max(last, m.last);
        }
    }

    /**
     * A device the switch asked for its 802.1X identity in vain, or refused, has a closed port: its
     * {@code dhcp_failure} and {@code no_address} within {@link ClosedPort#WINDOW_NANOS} of that
     * 802.1X problem are that, folded into its line (one group is one device: {@link DeviceRule}).
     * Decided before it (its DHCP failing first) and said, such a line is withdrawn when this render
     * replaces it. A refusal a later EAP-Success cleared is dismissed, so it folds nothing.
     */
    private void foldIntoClosedPort(List<Line> lines) {
        Unauthorized u = null;
        for (Line l : lines) {
            if (l instanceof Unauthorized found) {
                u = found; // one device: one such line (both kinds at once: the last takes them)
            }
        }
        if (u == null) {
            return;
        }
        Problem p = view.at(u.entry);
        for (java.util.Iterator<Line> it = lines.iterator(); it.hasNext(); ) {
            Line m = it.next();
            if ((m.kind == Kind.DHCP_FAILURE || m.kind == Kind.NO_ADDRESS) && m instanceof Held h
                    && ClosedPort.explains(p, m.first, m.last)) {
                it.remove();
                u.fold(h);
            }
        }
    }

    /** The diagnoses of group {@code g}, placed on the box's sides when it has them. */
    List<Diagnosis> render(int g) {
        List<Held> synFailures = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        for (int e = table.firstMember(g); e >= 0; e = table.nextMember(e)) {
            Problem p = view.at(e);
            ProblemRule<?> rule = (ProblemRule<?>) p.kind().rule();
            if (p.count() <= 0 || rule.dismissed(p, facts)) {
                continue;
            }
            Held h = p.kind() == Kind.SERVER_OVERLOADED ? new Overloaded(e, p, rule)
                    : rule instanceof ClosedPort.Closes ? new Unauthorized(e, p, rule) : new Held(e, p, rule);
            if (rule.synFailure()) {
                synFailures.add(h);
            } else {
                lines.add(h);
            }
        }
        foldIntoOverloaded(lines, synFailures);
        foldIntoClosedPort(lines);
        if (!synFailures.isEmpty()) {
            serverVerdicts(table.groupHi(g), table.groupLo(g), synFailures, lines);
        }
        return Folding.ofHost(lines, settings.maxPortsPerHost(), settings.maxNamesPerDnsServer());
    }

    private Diagnosis place(Diagnosis d, int clientSide) {
        return sides == null ? d : sides.place(d, clientSide);
    }

    private void serverVerdicts(long hi, long lo, List<Held> failures, List<Line> out) {
        if (facts.workingPorts(hi, lo) > 0) {
            Map<Integer, List<Held>> byPort = new LinkedHashMap<>();
            for (Held m : failures) {
                byPort.computeIfAbsent(m.port, k -> new ArrayList<>()).add(m);
            }
            for (Map.Entry<Integer, List<Held>> e : byPort.entrySet()) {
                if (facts.portWorks(hi, lo, e.getKey())) {
                    out.addAll(e.getValue()); // the port also worked: intermittent failures keep their own diagnoses
                } else {
                    out.add(portBlocked(hi, lo, e.getKey(), e.getValue()));
                }
            }
            return;
        }
        long attempts = 0;
        boolean hostSilent = true;
        for (Held m : failures) {
            attempts += m.count;
            if (m.kind == Kind.REFUSED && !Refused.rstOrigin(view.at(m.entry), facts).fromMiddlebox()) {
                hostSilent = false; // a RST from the host itself proves it is up
            }
        }
        int okHosts = facts.hostsWorking();
        if (hostSilent && attempts >= settings.hostMinAttempts() && okHosts > 0) {
            out.add(hostUnreachable(hi, lo, failures, okHosts));
        } else {
            out.addAll(failures);
        }
    }

    /** The verdict on a port whose failures are {@code failures}, its most frequent failure its main one. */
    private Line portBlocked(long hi, long lo, int port, List<Held> failures) {
        Line l = new Line(Kind.PORT_BLOCKED, port) {
            @Override
            Diagnosis build() {
                Held main = failures.get(0);
                for (Held m : failures) {
                    if (m.count > main.count) {
                        main = m;
                    }
                }
                Problem p = view.at(main.entry);
                PortBlocked.Evidence e = new PortBlocked.Evidence(main.kind, count, syn,
                        facts.okPorts(hi, lo, OK_PORTS_LISTED), facts.workingPorts(hi, lo),
                        main.kind == Kind.REFUSED ? Refused.rstOrigin(p, facts) : null,
                        main.kind == Kind.UNREACHABLE ? Unreachable.icmp(p) : null);
                Endpoint server = new Endpoint(IpAddresses.format(hi, lo), port);
                Problem first = view.at(earliest);
                return place(PORT_BLOCKED.verdict(ProblemRule.client(first), server, ProblemRule.time(this.first),
                        ProblemRule.time(last), e), first.clientSide());
            }
        };
        failures.forEach(m -> l.add(m.count, m.syn, m.first, m.last, m.entry));
        return l;
    }

    /** The verdict on a host that failed every attempt. */
    private Line hostUnreachable(long hi, long lo, List<Held> failures, int okHosts) {
        Line l = new Line(Kind.HOST_UNREACHABLE, -1) {
            @Override
            Diagnosis build() {
                long noResponse = 0, unreachable = 0, refused = 0;
                TreeSet<Integer> ports = new TreeSet<>();
                for (Held m : failures) {
                    ports.add(m.port);
                    switch (m.kind) {
                        case NO_RESPONSE -> noResponse += m.count;
                        case UNREACHABLE -> unreachable += m.count;
                        default -> refused += m.count;
                    }
                }
                Map<String, Long> byKind = new LinkedHashMap<>();
                if (noResponse > 0) {
                    byKind.put("no_response", noResponse);
                }
                if (unreachable > 0) {
                    byKind.put("unreachable", unreachable);
                }
                if (refused > 0) {
                    byKind.put("refused_by_middlebox", refused);
                }
                HostUnreachable.Evidence e = new HostUnreachable.Evidence(count, ports.size(),
                        ports.stream().limit(PORT_LIST).toList(), syn, byKind, okHosts);
                Problem first = view.at(earliest);
                return place(HOST_UNREACHABLE.verdict(ProblemRule.client(first), IpAddresses.format(hi, lo),
                        ProblemRule.time(this.first), ProblemRule.time(last), e), first.clientSide());
            }
        };
        failures.forEach(m -> l.add(m.count, m.syn, m.first, m.last, m.entry));
        return l;
    }
}
