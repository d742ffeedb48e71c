package org.tapdoctor.track;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tapdoctor.wire.DecodedFrame;

/**
 * A {@link TrackerListener} for tests that writes down every call, copying what the table slots
 * held at the time (slots are valid only during the call).
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
    public void onOutcome(ConnectionTable t, int slot, Outcome outcome, long timeNanos, DecodedFrame evidence) {
        outcomes.add(new Outcomes(t.clientLo(slot), t.clientPort(slot), t.serverLo(slot), t.serverPort(slot),
                outcome, timeNanos));
    }

    @Override
    public void onRetract(ConnectionTable table, int slot, Outcome previous) {
        retractions++;
    }

    @Override
    public void onLateSyn(ConnectionTable table, int slot, long timeNanos) {
        lateSyns++;
    }

    @Override
    public void onZeroWindow(ConnectionTable table, int slot, boolean serverSide, long since, long until, int segments) {
        zeroWindows++;
    }

    @Override
    public void onHostDown(int ip, int requests, int requesterIp, long first, long last) {
        hostsDown.add(new HostDown(ip, requests, requesterIp, first, last));
    }

    @Override
    public void onDuplicateIp(ArpTable t, int slot, long timeNanos) {
        duplicates.add(new DuplicateIp(t.ip(slot), t.mac1(slot), t.mac2(slot), t.claims1(slot), t.claims2(slot),
                timeNanos));
    }

    @Override
    public void onDnsFailure(DnsTable t, int slot, int rcode, long timeNanos, boolean repeat) {
        if (repeat) {
            dnsRepeats++;
            return;
        }
        byte[] qname = Arrays.copyOfRange(t.names(), slot * DnsTable.MAX_NAME,
                slot * DnsTable.MAX_NAME + t.nameLength(slot));
        dnsFailures.add(new DnsFailure(t.clientHi(slot), t.clientLo(slot), t.clientPort(slot), t.serverHi(slot),
                t.serverLo(slot), qname, t.qtype(slot), t.queries(slot), rcode, timeNanos));
    }
}
