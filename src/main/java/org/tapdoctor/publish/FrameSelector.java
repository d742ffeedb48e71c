package org.tapdoctor.publish;

import java.time.Instant;
import java.util.Set;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.DnsNames;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.IpAddresses;

/**
 * Which frames are the evidence of one {@link Diagnosis}: a predicate over decoded frames, built
 * from the diagnosis's kind, client, server, count and times (no tracker state).
 *
 * <table>
 * <caption>What each kind selects</caption>
 * <tr><th>kind</th><th>frames</th></tr>
 * <tr><td>{@code no_response}, {@code refused}, {@code unreachable}, {@code no_final_ack},
 *     {@code reset}, {@code zero_window}</td>
 *     <td>TCP between the client and the server's port, both directions; the client's port too when
 *     {@code count} is 1 (the attempt's 4-tuple)</td></tr>
 * <tr><td>{@code port_blocked}, {@code host_unreachable}, folded kinds (server without port)</td>
 *     <td>every IP frame between the client and the server (its port when the diagnosis has one)</td></tr>
 * <tr><td>{@code dns_failure}</td><td>UDP between the client and the server's port 53 (the client's port
 *     when {@code count} is 1), whose first question is the {@code query} when the evidence names one</td></tr>
 * <tr><td>{@code host_down}, {@code duplicate_ip}</td><td>ARP whose sender or target IP is the contested IP</td></tr>
 * <tr><td>folded by client (no server)</td><td>TCP (UDP for {@code dns_failure}) from and to the client</td></tr>
 * </table>
 *
 * Every IP selection also takes the ICMP/ICMPv6 errors whose quoted packet it would have taken. "The
 * client" is the client's IP unless the evidence counts more than one client ({@code clients} > 1):
 * then any peer of the server. Time: from {@code first} (zero windows: any time, the connection began
 * before) to {@code last} plus {@code afterLastNanos} (late retransmissions). Immutable; allocates
 * only for DNS name comparisons.
 */
public final class FrameSelector {
    private static final Set<Kind> TCP_ATTEMPT_KINDS = Set.of(Kind.NO_RESPONSE, Kind.REFUSED, Kind.UNREACHABLE,
            Kind.NO_FINAL_ACK, Kind.RESET, Kind.ZERO_WINDOW);
    private static final int ANY = -1;
    private static final int TCP = 6, UDP = 17;
    /** Slack before {@code first}: diagnosis times are exact, this only absorbs rounding. */
    private static final long BEFORE_FIRST_NANOS = 1_000_000L;

    private final boolean arp;
    private final int arpIp;
    private final boolean anyClient;
    private final long clientHi, clientLo;
    private final int clientPort;
    private final boolean anyServer;
    private final long serverHi, serverLo;
    private final int serverPort;
    private final int protocol;
    private final String dnsQuery;
    private final long fromNanos, untilNanos;

    private FrameSelector(boolean arp, int arpIp, Endpoint client, int clientPort, Endpoint server, int serverPort,
                          int protocol, String dnsQuery, long fromNanos, long untilNanos) {
        this.arp = arp;
        this.arpIp = arpIp;
        this.anyClient = client == null;
        long[] c = client == null ? new long[2] : IpAddresses.parse(client.ip());
        this.clientHi = c[0];
        this.clientLo = c[1];
        this.clientPort = clientPort;
        this.anyServer = server == null;
        long[] s = server == null ? new long[2] : IpAddresses.parse(server.ip());
        this.serverHi = s[0];
        this.serverLo = s[1];
        this.serverPort = serverPort;
        this.protocol = protocol;
        this.dnsQuery = dnsQuery;
        this.fromNanos = fromNanos;
        this.untilNanos = untilNanos;
    }

    /**
     * The selector of {@code d}'s frames, or null when the kind has no frames to show (the box's own
     * health: {@code table_full}, {@code capture_drops}, links; a summary line without addresses).
     */
    public static FrameSelector of(Diagnosis d, long afterLastNanos) {
        Kind kind = d.kind();
        long from = kind == Kind.ZERO_WINDOW ? Long.MIN_VALUE : nanos(d.first()) - BEFORE_FIRST_NANOS;
        long until = saturatedAdd(nanos(d.last()), afterLastNanos);
        Endpoint server = d.server();
        Endpoint client = d.client();
        try {
            if (kind == Kind.HOST_DOWN || kind == Kind.DUPLICATE_IP) {
                if (server == null) {
                    return null;
                }
                int ip = IpAddresses.v4(IpAddresses.parse(server.ip())[1]);
                return new FrameSelector(true, ip, null, ANY, null, ANY, ANY, null, from, until);
            }
            if (server == null && client == null) {
                return null;
            }
            boolean oneAttempt = d.count() == 1;
            Endpoint peer = d.evidence().get("clients") instanceof Number n && n.longValue() > 1 ? null : client;
            int peerPort = peer != null && peer.hasPort() && oneAttempt ? peer.port() : ANY;
            if (server == null) { // folded by client: the client's attempts to many servers
                return new FrameSelector(false, 0, client, ANY, null, ANY, kind == Kind.DNS_FAILURE ? UDP : TCP, null, from,
                        until);
            }
            int serverPort = server.hasPort() ? server.port() : ANY;
            if (kind == Kind.DNS_FAILURE) {
                Object q = d.evidence().get("query");
                String query = q instanceof String s && !s.equals("?") && !s.endsWith("...") ? s : null;
                return new FrameSelector(false, 0, peer, peerPort, server, serverPort, UDP, query, from, until);
            }
            if (TCP_ATTEMPT_KINDS.contains(kind) && server.hasPort()) {
                return new FrameSelector(false, 0, peer, peerPort, server, serverPort, TCP, null, from, until);
            }
            // port_blocked, host_unreachable, kinds folded to the host: everything between the two
            return new FrameSelector(false, 0, peer, peerPort, server, serverPort, ANY, null, from, until);
        } catch (IllegalArgumentException e) {
            return null; // an address that is not a literal: nothing to match
        }
    }

    /** Whether {@code f} (decoded, with its time set) is evidence of the diagnosis. */
    public boolean matches(DecodedFrame f) {
        long t = f.timeNanos();
        if (t < fromNanos || t > untilNanos) {
            return false;
        }
        if (arp) {
            return f.type() == DecodedFrame.Type.ARP && (f.arpSenderIp() == arpIp || f.arpTargetIp() == arpIp);
        }
        if (f.ipVersion() == 0) {
            return false;
        }
        if (f.type() == DecodedFrame.Type.ICMP_ERROR && quoteMatches(f)) {
            return true;
        }
        if (protocol != ANY && f.ipProtocol() != protocol) {
            return false;
        }
        boolean forward = isClient(f.srcHi(), f.srcLo(), f.srcPort()) && isServer(f.dstHi(), f.dstLo(), f.dstPort());
        boolean backward = !forward && isServer(f.srcHi(), f.srcLo(), f.srcPort()) && isClient(f.dstHi(), f.dstLo(), f.dstPort());
        if (!forward && !backward) {
            return false;
        }
        return dnsQuery == null || queryMatches(f);
    }

    private boolean quoteMatches(DecodedFrame f) {
        if (protocol != ANY && f.quotedProtocol() != protocol) {
            return false;
        }
        return isClient(f.quotedSrcHi(), f.quotedSrcLo(), f.quotedSrcPort())
                && isServer(f.quotedDstHi(), f.quotedDstLo(), f.quotedDstPort())
                || isServer(f.quotedSrcHi(), f.quotedSrcLo(), f.quotedSrcPort())
                && isClient(f.quotedDstHi(), f.quotedDstLo(), f.quotedDstPort());
    }

    private boolean isClient(long hi, long lo, int port) {
        return (anyClient || hi == clientHi && lo == clientLo) && (clientPort == ANY || port == clientPort);
    }

    private boolean isServer(long hi, long lo, int port) {
        return (anyServer || hi == serverHi && lo == serverLo) && (serverPort == ANY || port == serverPort);
    }

    private boolean queryMatches(DecodedFrame f) {
        if (f.type() != DecodedFrame.Type.DNS || f.dnsQnameOffset() < 0) {
            return true; // a DNS message whose question was not read: the 5-tuple decides
        }
        return dnsQuery.equalsIgnoreCase(DnsNames.name(f.buffer(), f.dnsQnameOffset(), f.dnsQnameLength()));
    }

    /** Frames before this time are never selected. */
    long fromNanos() {
        return fromNanos;
    }

    /** Frames after this time are never selected. */
    long untilNanos() {
        return untilNanos;
    }

    static long nanos(Instant t) {
        return saturatedAdd(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }
}
