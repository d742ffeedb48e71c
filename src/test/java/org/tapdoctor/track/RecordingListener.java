package org.tapdoctor.track;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tapdoctor.wire.DecodedFrame;

/**
 * A {@link TrackerListener} for tests that writes down every call, copying what the views showed
 * at the time (views are valid only during the call).
 */
final class RecordingListener implements TrackerListener {

    record Outcomes(long clientLo, int clientPort, long serverLo, int serverPort, Outcome outcome, long time) { }

    record HostDown(int ip, int requests, int requesterIp, long first, long last) { }

    record DuplicateIp(int ip, long mac1, long mac2, int claims1, int claims2, long time) { }

    record DnsFailure(long clientHi, long clientLo, int clientPort, long serverHi, long serverLo, byte[] qname,
                      int qtype, int queries, int rcode, long time) {
        @Override
        public boolean equals(Object o) {
            return o instanceof DnsFailure d && clientHi == d.clientHi && clientLo == d.clientLo
                    && clientPort == d.clientPort && serverHi == d.serverHi && serverLo == d.serverLo
                    && Arrays.equals(qname, d.qname) && qtype == d.qtype && queries == d.queries && rcode == d.rcode
                    && time == d.time;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(clientLo) * 31 + Arrays.hashCode(qname);
        }

        @Override
        public String toString() {
            return "DnsFailure[client=" + clientLo + ":" + clientPort + ", server=" + serverLo + ", qname="
                    + Arrays.toString(qname) + ", qtype=" + qtype + ", queries=" + queries + ", rcode=" + rcode
                    + ", time=" + time + "]";
        }
    }

    final List<Outcomes> outcomes = new ArrayList<>();
    final List<HostDown> hostsDown = new ArrayList<>();
    final List<DuplicateIp> duplicates = new ArrayList<>();
    final List<DnsFailure> dnsFailures = new ArrayList<>();
    /** Retransmissions of queries that had already failed (joined to that failure). */
    int dnsRepeats;
    int retractions;
    int lateSyns;
    int zeroWindows;

    @Override
    public void onOutcome(Attempt a, Outcome outcome, long timeNanos, DecodedFrame evidence) {
        outcomes.add(new Outcomes(a.clientLo(), a.clientPort(), a.serverLo(), a.serverPort(), outcome, timeNanos));
    }

    @Override
    public void onRetract(Attempt a, Outcome previous) {
        retractions++;
    }

    @Override
    public void onLateSyn(Attempt a, long timeNanos) {
        lateSyns++;
    }

    @Override
    public void onZeroWindow(Attempt a, boolean serverSide, long since, long until, int segments, boolean endedByRst) {
        zeroWindows++;
    }

    @Override
    public void onHostDown(int ip, int requests, int requesterIp, long first, long last) {
        hostsDown.add(new HostDown(ip, requests, requesterIp, first, last));
    }

    @Override
    public void onDuplicateIp(ArpClaims c, long timeNanos) {
        duplicates.add(new DuplicateIp(c.ip(), c.firstMac(), c.secondMac(), c.firstMacClaims(), c.secondMacClaims(),
                timeNanos));
    }

    @Override
    public void onDnsFailure(DnsQuery q, int rcode, long timeNanos, boolean repeat) {
        if (repeat) {
            dnsRepeats++;
            return;
        }
        byte[] qname = Arrays.copyOfRange(q.nameBytes(), q.nameOffset(), q.nameOffset() + q.nameLength());
        dnsFailures.add(new DnsFailure(q.clientHi(), q.clientLo(), q.clientPort(), q.serverHi(), q.serverLo(), qname,
                q.qtype(), q.queries(), rcode, timeNanos));
    }
}
