package org.tapdoctor.diagnose;

import org.tapdoctor.diagnose.kinds.DhcpFailure;
import org.tapdoctor.diagnose.kinds.DhcpRogueServer;
import org.tapdoctor.diagnose.kinds.DnsFailure;
import org.tapdoctor.diagnose.kinds.Dot1xFailure;
import org.tapdoctor.diagnose.kinds.Dot1xNoSupplicant;
import org.tapdoctor.diagnose.kinds.NoAddress;
import org.tapdoctor.diagnose.kinds.DuplicateIp;
import org.tapdoctor.diagnose.kinds.HostDown;
import org.tapdoctor.diagnose.kinds.ServerOverloaded;
import org.tapdoctor.diagnose.kinds.MtuBlackhole;
import org.tapdoctor.diagnose.kinds.MtuProblem;
import org.tapdoctor.diagnose.kinds.Ipv6RogueRouter;
import org.tapdoctor.diagnose.kinds.ZeroWindow;
import org.tapdoctor.track.ArpClaims;
import org.tapdoctor.track.Attempt;
import org.tapdoctor.track.DnsQuery;
import org.tapdoctor.track.Outcome;
import org.tapdoctor.track.TrackerListener;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.IpAddresses;

/**
 * Turns the tracker's outcomes and events into held problems, on the packet path and without
 * allocating: each occurrence adds to its problem in the {@link ProblemTable}, through the rule of
 * its kind, and queues the problem's group for the {@link Reporter}. A new problem (or a
 * retraction, or a fact that changes a verdict: a port that works, a host's reference TTL, a
 * name that resolved) is urgent: the reporter renders it right after this frame; a problem that
 * recurs is rendered at the next tick.
 */
public final class Diagnoser implements TrackerListener {
    /** The rules each outcome may decide, by {@code Outcome.ordinal()} (most outcomes: none or one). */
    private static final AttemptRule<?>[][] BY_OUTCOME = new AttemptRule<?>[Outcome.values().length][];

    static {
        for (Outcome o : Outcome.values()) {
            BY_OUTCOME[o.ordinal()] = java.util.Arrays.stream(Kind.values())
                    .filter(k -> k.rule() instanceof AttemptRule<?> a && a.outcomes().contains(o))
                    .map(k -> (AttemptRule<?>) k.rule()).toArray(AttemptRule<?>[]::new);
        }
    }

    private static final ZeroWindow ZERO_WINDOW = (ZeroWindow) Kind.ZERO_WINDOW.rule();
    private static final HostDown HOST_DOWN = (HostDown) Kind.HOST_DOWN.rule();
    private static final DuplicateIp DUPLICATE_IP = (DuplicateIp) Kind.DUPLICATE_IP.rule();
    private static final DnsFailure DNS_FAILURE = (DnsFailure) Kind.DNS_FAILURE.rule();
    private static final DhcpFailure DHCP_FAILURE = (DhcpFailure) Kind.DHCP_FAILURE.rule();
    private static final DhcpRogueServer DHCP_ROGUE_SERVER = (DhcpRogueServer) Kind.DHCP_ROGUE_SERVER.rule();
    private static final NoAddress NO_ADDRESS = (NoAddress) Kind.NO_ADDRESS.rule();
    private static final ServerOverloaded SERVER_OVERLOADED = (ServerOverloaded) Kind.SERVER_OVERLOADED.rule();
    private static final MtuProblem MTU_PROBLEM = (MtuProblem) Kind.MTU_PROBLEM.rule();
    private static final MtuBlackhole MTU_BLACKHOLE = (MtuBlackhole) Kind.MTU_BLACKHOLE.rule();
    private static final Ipv6RogueRouter ROGUE_ROUTER = (Ipv6RogueRouter) Kind.IPV6_ROGUE_ROUTER.rule();
    private static final Dot1xFailure DOT1X_FAILURE = (Dot1xFailure) Kind.DOT1X_FAILURE.rule();
    private static final Dot1xNoSupplicant NO_SUPPLICANT = (Dot1xNoSupplicant) Kind.DOT1X_NO_SUPPLICANT.rule();

    private final ProblemTable problems;
    private final Problem problem;
    /**
     * The names whose answer would dismiss a held NXDOMAIN as a search-list expansion (the hashes
     * of its shorter forms) and the group that holds it: a direct-mapped cache, allocated once (a
     * collision forgets one: that NXDOMAIN is then dismissed at the next render of its group).
     */
    private final long[] shorterNames;
    private final int[] shorterNameGroups;
    private final long[] hashes = new long[DnsFailure.MAX_LABELS];

    public Diagnoser(ProblemTable problems) {
        this.problems = problems;
        this.problem = new Problem(problems);
        int n = Integer.highestOneBit(Math.max(1, problems.capacity() * 4 - 1)) << 1;
        this.shorterNames = new long[n];
        this.shorterNameGroups = new int[n];
    }

    public ProblemTable problems() {
        return problems;
    }

    /** The rule an attempt's outcome decides, or null when it is no problem (a handshake that worked). */
    private static AttemptRule<?> ruleOf(Attempt a, Outcome o) {
        for (AttemptRule<?> r : BY_OUTCOME[o.ordinal()]) {
            if (r.decides(a, o)) {
                return r;
            }
        }
        return null;
    }

    private Problem problem(Kind k, long hi, long lo, int port, long extra, long now) {
        int e = problems.findOrCreate(k, hi, lo, port, extra, now);
        return e < 0 ? null : problem.at(e);
    }

    private void changed(Problem p, boolean urgent, long now) {
        problems.changed(p.entry(), urgent, now);
    }

    @Override
    public void onOutcome(Attempt a, Outcome outcome, long time, DecodedFrame decidingFrame) {
        AttemptRule<?> rule = ruleOf(a, outcome);
        if (rule == null) {
            return;
        }
        Problem p = problem(rule.kind(), a.serverHi(), a.serverLo(), a.serverPort(), 0, time);
        if (p == null) {
            return;
        }
        p.occurrence(a, time);
        rule.record(p, a, time, decidingFrame);
        changed(p, p.count() == 1, time);
    }

    @Override
    public void onRetract(Attempt a, Outcome previous) {
        AttemptRule<?> rule = ruleOf(a, previous);
        if (rule == null) {
            return;
        }
        int e = problems.find(rule.kind(), a.serverHi(), a.serverLo(), a.serverPort(), 0);
        if (e >= 0) {
            Problem p = problem.at(e);
            p.retract(a.synCount());
            changed(p, true, p.last());
        }
    }

    @Override
    public void onLateSyn(Attempt a, long time) {
        AttemptRule<?> rule = a.outcome() == null ? null : ruleOf(a, a.outcome());
        if (rule == null) {
            return;
        }
        int e = problems.find(rule.kind(), a.serverHi(), a.serverLo(), a.serverPort(), 0);
        if (e >= 0) {
            Problem p = problem.at(e);
            p.addSyn(1);
            p.touch(time);
            changed(p, false, time);
        }
    }

    @Override
    public void onZeroWindow(Attempt a, boolean serverSide, long since, long until, int segments, boolean endedByRst) {
        Problem p = problem(Kind.ZERO_WINDOW, a.serverHi(), a.serverLo(), a.serverPort(), ZeroWindow.side(serverSide), since);
        if (p != null) {
            ZERO_WINDOW.record(p, a, since, until, segments, endedByRst);
            changed(p, p.count() == 1, until);
        }
    }

    @Override
    public void onSynAckAfterAck(Attempt a, long time, boolean newAttempt, int retransmissions, long clientBytes) {
        Problem p;
        if (retransmissions == 0) {
            // Only how much the client had sent: for a problem the port already has.
            int e = problems.find(Kind.SERVER_OVERLOADED, a.serverHi(), a.serverLo(), a.serverPort(), 0);
            if (e < 0) {
                return;
            }
            p = problem.at(e);
        } else {
            p = problem(Kind.SERVER_OVERLOADED, a.serverHi(), a.serverLo(), a.serverPort(), 0, a.start(time));
            if (p == null) {
                return;
            }
            ServerOverloaded.occurrence(p, a, time, newAttempt);
        }
        boolean decided = SERVER_OVERLOADED.record(p, time, retransmissions, clientBytes);
        // Decided: the port's no_response (or a no_final_ack just taken back) changes with it.
        changed(p, decided, time);
    }

    @Override
    public void onPathMtu(Attempt a, DecodedFrame icmp, boolean first) {
        Problem p = problem(Kind.MTU_PROBLEM, a.serverHi(), a.serverLo(), a.serverPort(), 0, icmp.timeNanos());
        if (p != null) {
            MTU_PROBLEM.record(p, a, icmp, first);
            changed(p, p.count() == 1 && first, icmp.timeNanos());
        }
    }

    @Override
    public void onMtuBlackhole(Attempt a, boolean serverSends, int lost, int acked, int retransmissions, long since,
                               long until) {
        Problem p = problem(Kind.MTU_BLACKHOLE, a.serverHi(), a.serverLo(), a.serverPort(), 0, since);
        if (p != null) {
            MTU_BLACKHOLE.record(p, a, serverSends, lost, acked, retransmissions, since, until);
            changed(p, p.count() == 1, until);
        }
    }

    @Override
    public void onHostDown(int ip, int requests, int requesterIp, long first, long last) {
        Problem p = problem(Kind.HOST_DOWN, IpAddresses.V4_HI, IpAddresses.v4Lo(ip), -1, 0, first);
        if (p != null) {
            HOST_DOWN.record(p, requests, requesterIp, first, last);
            changed(p, p.count() == 1, last);
        }
    }

    @Override
    public void onGatewayDown(int ip, int requests, int requesterIp, long requesterMac, int learnedFrom, long first,
                              long last) {
        Problem p = problem(Kind.HOST_DOWN, IpAddresses.V4_HI, IpAddresses.v4Lo(ip), -1, 0, first);
        if (p != null) {
            HOST_DOWN.record(p, requests, requesterIp, first, last);
            HOST_DOWN.gateway(p, learnedFrom, requesterMac);
            changed(p, p.count() == 1, last);
        }
    }

    @Override
    public void onDhcpFailure(long mac, int ip, int server, int relay, int discovers, int requests, int naks, int offers,
                              long first, long last) {
        Problem p = problem(Kind.DHCP_FAILURE, DeviceRule.DEVICE_HI, mac, -1, 0, first);
        if (p != null) {
            long before = p.count();
            DHCP_FAILURE.record(p, ip, server, relay, discovers, requests, naks, offers, first, last);
            changed(p, p.count() > before, last);
        }
    }

    @Override
    public void onDhcpServer(int server, int siteServer, long offers, long bindings, int router, long leaseSeconds,
                             int heardOn, long first, long last) {
        if (server == siteServer) {
            int e = problems.find(Kind.DHCP_ROGUE_SERVER, IpAddresses.V4_HI, IpAddresses.v4Lo(server), -1, 0);
            if (e < 0) {
                return; // the site's server, never reported as a rogue
            }
        }
        Problem p = problem(Kind.DHCP_ROGUE_SERVER, IpAddresses.V4_HI, IpAddresses.v4Lo(server), -1, 0, first);
        if (p != null) {
            boolean fresh = p.count() == 0;
            DHCP_ROGUE_SERVER.record(p, server, siteServer, offers, bindings, router, leaseSeconds, heardOn, first, last);
            changed(p, fresh || server == siteServer, last);
        }
    }

    @Override
    public void onLinkLocalAddress(long mac, int ip, int dhcpDiscovers, long time) {
        Problem p = problem(Kind.NO_ADDRESS, DeviceRule.DEVICE_HI, mac, -1, 0, time);
        if (p != null) {
            boolean fresh = p.count() == 0;
            NO_ADDRESS.record(p, ip, dhcpDiscovers, time);
            changed(p, fresh, time);
        }
    }

    @Override
    public void onDuplicateIp(ArpClaims claims, long time) {
        Problem p = problem(Kind.DUPLICATE_IP, IpAddresses.V4_HI, IpAddresses.v4Lo(claims.ip()), -1, 0, time);
        if (p != null) {
            boolean fresh = p.count() == 0;
            DUPLICATE_IP.record(p, claims, time);
            changed(p, fresh, time);
        }
    }

    @Override
    public void onDnsFailure(DnsQuery q, int rcode, long time, boolean repeat) {
        Problem p = problem(Kind.DNS_FAILURE, q.serverHi(), q.serverLo(), DnsFailure.PORT, DnsFailure.key(q, rcode), q.first());
        if (p != null) {
            boolean fresh = p.count() == 0 && !repeat;
            DNS_FAILURE.record(p, q, rcode, time, repeat);
            if (fresh && DnsFailure.nxdomain(p)) {
                int n = DnsFailure.prefixHashes(p.names(), p.nameOffset(), p.nameLength(), hashes);
                for (int k = 0; k < n; k++) {
                    int at = (int) org.tapdoctor.track.Tables.mix(hashes[k]) & (shorterNames.length - 1);
                    shorterNames[at] = hashes[k];
                    shorterNameGroups[at] = problems.groupOf(p.entry());
                }
            }
            changed(p, fresh, time);
        }
    }

    @Override
    public void onNeighborUnanswered(long hi, long lo, long askerHi, long askerLo, int solicitations, long first, long last) {
        Problem p = problem(Kind.HOST_DOWN, hi, lo, -1, 0, first);
        if (p != null) {
            HOST_DOWN.record6(p, solicitations, askerHi, askerLo, first, last);
            changed(p, p.count() == 1, last);
        }
    }

    @Override
    public void onAddressDefended(long hi, long lo, long proberMac, long ownerMac, int probes, int answers, long probeTime,
            long time) {
        Problem p = problem(Kind.DUPLICATE_IP, hi, lo, -1, 0, probeTime);
        if (p != null) {
            boolean fresh = p.count() == 0;
            DUPLICATE_IP.record6(p, hi, lo, proberMac, ownerMac, probes, answers, probeTime, time);
            changed(p, fresh, time);
        }
    }

    @Override
    public void onRogueRouter(long hi, long lo, long mac, int lifetime, long prefixHi, long prefixLo, int prefixLength,
            long siteHi, long siteLo, int heardOn, long first, long time) {
        Problem p = problem(Kind.IPV6_ROGUE_ROUTER, hi, lo, -1, mac, first);
        if (p != null) {
            ROGUE_ROUTER.record(p, mac, lifetime, prefixHi, prefixLo, prefixLength, siteHi, siteLo, heardOn, first, time);
            changed(p, p.count() == 1, time);
        }
    }

    @Override
    public void onDot1xOutcome(long device, boolean success, int failures, int method, long authenticator,
            byte[] identity, int identityOffset, int identityLength, long time) {
        if (success) {
            int e = problems.find(Kind.DOT1X_FAILURE, DeviceRule.DEVICE_HI, device, -1, 0);
            if (e >= 0) {
                Problem p = problem.at(e);
                DOT1X_FAILURE.cleared(p, time);
                changed(p, true, time); // withdrawn: its last outcome is a success
            }
            return;
        }
        Problem p = problem(Kind.DOT1X_FAILURE, DeviceRule.DEVICE_HI, device, -1, 0, time);
        if (p != null) {
            boolean fresh = p.count() == 0 || DOT1X_FAILURE.dismissed(p, null);
            DOT1X_FAILURE.record(p, device, failures, method, authenticator, identity, identityOffset, identityLength, time);
            changed(p, fresh, time);
        }
    }

    @Override
    public void onDot1xUnanswered(long device, int requests, long authenticator, long first, long last) {
        Problem p = problem(Kind.DOT1X_NO_SUPPLICANT, DeviceRule.DEVICE_HI, device, -1, 0, first);
        if (p != null) {
            NO_SUPPLICANT.record(p, device, requests, authenticator, first, last);
            changed(p, p.count() == 1, last);
        }
    }

    @Override
    public void onPortWorks(long hostHi, long hostLo, int port, long time) {
        factChanged(hostHi, hostLo);
    }

    @Override
    public void onHostReference(long hostHi, long hostLo, long time) {
        factChanged(hostHi, hostLo);
    }

    @Override
    public void onNameAnswered(long serverHi, long serverLo, long nameHash) {
        // A search-list NXDOMAIN whose shorter name this is may now be dismissed.
        int at = (int) org.tapdoctor.track.Tables.mix(nameHash) & (shorterNames.length - 1);
        if (shorterNames[at] == nameHash) {
            shorterNames[at] = 0;
            int g = shorterNameGroups[at];
            if (problems.groupInUse(g)) {
                problems.factChanged(g);
            }
        }
    }

    private void factChanged(long hi, long lo) {
        int g = problems.group(hi, lo);
        if (g >= 0) {
            problems.factChanged(g);
        }
    }
}
