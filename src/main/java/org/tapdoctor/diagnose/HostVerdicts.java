package org.tapdoctor.diagnose;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.tapdoctor.diagnose.kinds.HostUnreachable;
import org.tapdoctor.diagnose.kinds.PortBlocked;
import org.tapdoctor.diagnose.kinds.Refused;
import org.tapdoctor.diagnose.kinds.Unreachable;
import org.tapdoctor.wire.IpAddresses;

/**
 * What one group of held problems (every problem about one address) says, as diagnoses: the
 * server-level verdicts of docs/diagnosis-rules.md section 2 over its SYN-level failures
 * ({@code port_blocked} for a failing port of a host whose other ports work, {@code
 * host_unreachable} for a host that fails every attempt while other hosts work, else each
 * attempt-level problem as it is), then the foldings by host and by DNS name. A pure function of
 * the group's problems and the facts, so rendering a group again after any change gives what a
 * replay of the whole capture would. Off the packet path; allocates.
 */
final class HostVerdicts {
    private static final PortBlocked PORT_BLOCKED = (PortBlocked) Kind.PORT_BLOCKED.rule();
    private static final HostUnreachable HOST_UNREACHABLE = (HostUnreachable) Kind.HOST_UNREACHABLE.rule();
    private static final int OK_PORTS_LISTED = 5;
    private static final int PORT_LIST = 8;

    /** A held problem of the group, as its rule reads it. */
    private record Member(int entry, Kind kind, int port, long count, long syn, long first, long last, Diagnosis diagnosis,
                          int clientSide) {
    }

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

    /** The diagnoses of group {@code g}, placed on the box's sides when it has them. */
    List<Diagnosis> render(int g) {
        List<Member> synFailures = new ArrayList<>();
        List<Diagnosis> out = new ArrayList<>();
        for (int e = table.firstMember(g); e >= 0; e = table.nextMember(e)) {
            Problem p = view.at(e);
            ProblemRule<?> rule = (ProblemRule<?>) p.kind().rule();
            if (p.count() <= 0 || rule.dismissed(p, facts)) {
                continue;
            }
            Diagnosis d = place(rule.diagnosis(p, facts), p.clientSide());
            if (rule.synFailure()) {
                synFailures.add(new Member(e, p.kind(), p.serverPort(), p.count(), p.syn(), p.first(), p.last(), d,
                        p.clientSide()));
            } else {
                out.add(d);
            }
        }
        if (!synFailures.isEmpty()) {
            serverVerdicts(table.groupHi(g), table.groupLo(g), synFailures, out);
        }
        return Folding.byName(Folding.byHost(out, settings.maxPortsPerHost()), settings.maxNamesPerDnsServer());
    }

    private Diagnosis place(Diagnosis d, int clientSide) {
        return sides == null ? d : sides.place(d, clientSide);
    }

    private void serverVerdicts(long hi, long lo, List<Member> failures, List<Diagnosis> out) {
        if (facts.workingPorts(hi, lo) > 0) {
            Map<Integer, List<Member>> byPort = new LinkedHashMap<>();
            for (Member m : failures) {
                byPort.computeIfAbsent(m.port, k -> new ArrayList<>()).add(m);
            }
            for (Map.Entry<Integer, List<Member>> e : byPort.entrySet()) {
                if (facts.portWorks(hi, lo, e.getKey())) {
                    // The port also worked: intermittent failures keep their own diagnoses.
                    e.getValue().forEach(m -> out.add(m.diagnosis));
                } else {
                    out.add(portBlocked(hi, lo, e.getValue()));
                }
            }
            return;
        }
        long attempts = 0;
        boolean hostSilent = true;
        for (Member m : failures) {
            attempts += m.count;
            if (m.kind == Kind.REFUSED && !Refused.rstOrigin(view.at(m.entry), facts).fromMiddlebox()) {
                hostSilent = false; // a RST from the host itself proves it is up
            }
        }
        int okHosts = facts.hostsWorking();
        if (hostSilent && attempts >= settings.hostMinAttempts() && okHosts > 0) {
            out.add(hostUnreachable(hi, lo, failures, okHosts));
        } else {
            failures.forEach(m -> out.add(m.diagnosis));
        }
    }

    private Diagnosis portBlocked(long hi, long lo, List<Member> failures) {
        Member main = failures.get(0);
        Member earliest = main;
        long attempts = 0, syn = 0, first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        for (Member m : failures) {
            attempts += m.count;
            syn += m.syn;
            if (m.count > main.count) {
                main = m;
            }
            if (m.first < first) {
                first = m.first;
                earliest = m;
            }
            last = Math.max(last, m.last);
        }
        Problem p = view.at(main.entry);
        PortBlocked.Evidence e = new PortBlocked.Evidence(main.kind, attempts, syn, facts.okPorts(hi, lo, OK_PORTS_LISTED),
                facts.workingPorts(hi, lo), main.kind == Kind.REFUSED ? Refused.rstOrigin(p, facts) : null,
                main.kind == Kind.UNREACHABLE ? Unreachable.icmp(p) : null);
        Endpoint server = new Endpoint(IpAddresses.format(hi, lo), main.port);
        Diagnosis d = PORT_BLOCKED.verdict(earliest.diagnosis.client(), server, ProblemRule.time(first), ProblemRule.time(last), e);
        return place(d, earliest.clientSide);
    }

    private Diagnosis hostUnreachable(long hi, long lo, List<Member> failures, int okHosts) {
        long attempts = 0, syn = 0, noResponse = 0, unreachable = 0, refused = 0, first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        Member earliest = failures.get(0);
        TreeSet<Integer> ports = new TreeSet<>();
        for (Member m : failures) {
            attempts += m.count;
            syn += m.syn;
            ports.add(m.port);
            switch (m.kind) {
                case NO_RESPONSE -> noResponse += m.count;
                case UNREACHABLE -> unreachable += m.count;
                default -> refused += m.count;
            }
            if (m.first < first) {
                first = m.first;
                earliest = m;
            }
            last = Math.max(last, m.last);
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
        HostUnreachable.Evidence e = new HostUnreachable.Evidence(attempts, ports.size(),
                ports.stream().limit(PORT_LIST).toList(), syn, byKind, okHosts);
        Instant from = ProblemRule.time(first), to = ProblemRule.time(last);
        return place(HOST_UNREACHABLE.verdict(earliest.diagnosis.client(), IpAddresses.format(hi, lo), from, to, e),
                earliest.clientSide);
    }
}
