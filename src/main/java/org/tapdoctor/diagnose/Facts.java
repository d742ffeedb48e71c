package org.tapdoctor.diagnose;

import java.util.ArrayList;
import java.util.List;

import org.tapdoctor.track.DnsTable;
import org.tapdoctor.track.ServerTable;
import org.tapdoctor.track.Tracker;

/**
 * What the tracker knows about servers that verdicts and evidence read: which ports of a host work,
 * the TTL its own packets arrive with, how many hosts work at all, which names a DNS server
 * answered. A read-only view over the tracker's tables; one owner thread (the engine's).
 */
public final class Facts {
    private final ServerTable servers;
    private final DnsTable dns;
    private final int[] ports = new int[ServerTable.OK_PORTS_KEPT];

    public Facts(Tracker tracker) {
        this.servers = tracker.servers();
        this.dns = tracker.dns();
    }

    /** The TTL of the host's own packets (its SYN/ACKs, else any other non-RST packet), or -1. */
    public int referenceTtl(long hi, long lo) {
        return servers.referenceTtl(hi, lo);
    }

    /** At least one attempt to (host, port) got a SYN/ACK. */
    public boolean portWorks(long hi, long lo, int port) {
        int i = servers.find(hi, lo, port);
        return i >= 0 && servers.answered(i) > 0;
    }

    /** How many ports of the host work. */
    public int workingPorts(long hi, long lo) {
        int i = servers.find(hi, lo, ServerTable.HOST);
        return i < 0 ? 0 : servers.workingPorts(i);
    }

    /** The lowest working ports of the host, ascending, at most {@code max} (and {@link ServerTable#OK_PORTS_KEPT}). */
    public List<Integer> okPorts(long hi, long lo, int max) {
        int i = servers.find(hi, lo, ServerTable.HOST);
        List<Integer> out = new ArrayList<>();
        if (i >= 0) {
            int n = servers.okPorts(i, ports);
            for (int k = 0; k < Math.min(n, max); k++) {
                out.add(ports[k]);
            }
        }
        return out;
    }

    /** Hosts with at least one working port. */
    public int hostsWorking() {
        return servers.hostsWorking();
    }

    /** A name of this hash was answered with data recently ({@link DnsTable#nameHash}). */
    public boolean nameAnswered(long nameHash) {
        return dns.answered(nameHash);
    }
}
