package org.tapdoctor.publish;

import java.time.Instant;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.DnsNames;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.IpAddresses;

/**
 * Matches decoded frames against the {@link FrameSelection} a diagnosis's kind names
 * ({@code KindRule.frames}): a device's own EAPOL, DHCP, ARP or neighbour discovery frames by its
 * MAC, ARP about an address, or IP frames between a client and a server of a protocol, with a DNS
 * question's name; a frame any of them takes is selected. Every IP selection also takes the
 * ICMP/ICMPv6 errors whose quoted packet it would have taken. Time: from the diagnosis's {@code
 * first} (or any time when the selection says so: a stalled connection began before, an 802.1X
 * exchange led up to its failure) to its {@code last} plus {@code afterLastNanos} (late
 * retransmissions). Immutable; {@link #matches} allocates only for DNS name comparisons.
 */
public final class FrameSelector {
    private static final int ANY = FrameSelection.ANY;
    /** Slack before {@code first}: diagnosis times are exact, this only absorbs rounding. */
    private static final long BEFORE_FIRST_NANOS = 1_000_000L;

    private final boolean arp;
    private final int arpIp;
    /** Whether IP frames are selected at all (a client or a server named). */
    private final boolean ip;
    private final boolean anyClient;
    private final long clientHi, clientLo;
    private final int clientPort;
    private final boolean anyServer;
    private final long serverHi, serverLo;
    private final int serverPort;
    private final int protocol;
    private final String dnsQuery;
    private final long fromNanos, untilNanos;
    /** The device whose own frames are selected (48 bits), -1 none; which of its frames ({@code FrameSelection.EAPOL}, ...). */
    private final long device;
    private final int deviceFrames;

    private FrameSelector(FrameSelection s, long fromNanos, long untilNanos) {
        this.arp = s.arpIp() != null;
        this.arpIp = arp ? IpAddresses.v4(IpAddresses.parse(s.arpIp())[1]) : 0;
        this.ip = s.selectsIp();
        this.anyClient = s.client() == null;
        long[] c = anyClient ? new long[2] : IpAddresses.parse(s.client());
        this.clientHi = c[0];
        this.clientLo = c[1];
        this.clientPort = s.clientPort();
        this.anyServer = s.server() == null;
        long[] v = anyServer ? new long[2] : IpAddresses.parse(s.server());
        this.serverHi = v[0];
        this.serverLo = v[1];
        this.serverPort = s.serverPort();
        this.protocol = s.protocol();
        this.dnsQuery = s.dnsQuery();
        this.fromNanos = fromNanos;
        this.untilNanos = untilNanos;
        this.device = s.device() == null ? -1 : mac(s.device());
        this.deviceFrames = s.deviceFrames();
    }

    /** {@code 02:00:00:00:00:10} as 48 bits. */
    private static long mac(String text) {
        String hex = text.replace(":", "").replace("-", "");
        if (hex.length() != 12) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        return Long.parseLong(hex, 16);
    }

    /**
     * The selector of {@code d}'s frames, or null when its kind has no frames to show (the box's
     * own health) or the selection names no address.
     */
    public static FrameSelector of(Diagnosis d, long afterLastNanos) {
        return of(d, d.kind().rule().frames(d), afterLastNanos);
    }

    /** The selector of selection {@code s} over {@code d}'s time window, or null when it names nothing. */
    static FrameSelector of(Diagnosis d, FrameSelection s, long afterLastNanos) {
        if (s == null || !s.selectsAny()) {
            return null;
        }
        long from = s.fromStart() ? Long.MIN_VALUE : nanos(d.first()) - BEFORE_FIRST_NANOS;
        long until = saturatedAdd(nanos(d.last()), afterLastNanos);
        try {
            return new FrameSelector(s, from, until);
        } catch (IllegalArgumentException e) {
            return null; // an address (or MAC) that is not a literal: nothing to match
        }
    }

    /** Whether {@code f} (decoded, with its time set) is evidence of the diagnosis. */
    public boolean matches(DecodedFrame f) {
        long t = f.timeNanos();
        if (t < fromNanos || t > untilNanos) {
            return false;
        }
        if (device != -1 && deviceMatches(f)) {
            return true;
        }
        if (arp && f.type() == DecodedFrame.Type.ARP && (f.arpSenderIp() == arpIp || f.arpTargetIp() == arpIp)) {
            return true;
        }
        if (!ip || f.ipVersion() == 0) {
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

    /** One of the device's own frames of the kinds selected. */
    private boolean deviceMatches(DecodedFrame f) {
        DecodedFrame.Type type = f.type();
        if (type == DecodedFrame.Type.EAPOL) {
            return (deviceFrames & FrameSelection.EAPOL) != 0 && (f.srcMac() == device || f.dstMac() == device);
        }
        if (type == DecodedFrame.Type.DHCP) {
            return (deviceFrames & FrameSelection.DHCP) != 0 && f.dhcpClientMac() == device;
        }
        if (type == DecodedFrame.Type.ARP) {
            return (deviceFrames & FrameSelection.ARP) != 0 && (f.arpSenderMac() == device || f.arpTargetMac() == device);
        }
        if (type == DecodedFrame.Type.NEIGHBOR_DISCOVERY) {
            return (deviceFrames & FrameSelection.ND) != 0 && f.srcMac() == device;
        }
        return false;
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
