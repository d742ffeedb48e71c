package org.tapdoctor.publish;

import java.time.Instant;
import java.util.List;

/**
 * The periodic counters of the live service: what MQTT's {@code .../stats} and the console's
 * stats line carry. Counters are totals since start. Immutable and thread-safe.
 *
 * @param time when the snapshot was taken
 * @param nics one entry per tap port
 * @param handshakesOk handshakes that completed (or whose SYN/ACK was not retransmitted)
 * @param handshakesFailed attempts diagnosed as failed
 * @param connections entries in use in the connection table
 * @param connectionCapacity its capacity
 * @param evictions entries evicted from any table because it was full
 * @param decodeErrors frames skipped as truncated, malformed or of an unknown link type
 * @param diagnoses diagnoses published
 */
public record Stats(Instant time, List<Nic> nics, long handshakesOk, long handshakesFailed, int connections,
                    int connectionCapacity, long evictions, long decodeErrors, long diagnoses) {

    /**
     * @param name the NIC
     * @param link {@code up 1G full}, {@code down}, {@code missing}
     * @param frames frames captured (after the kernel filter)
     * @param kernelDrops frames the kernel dropped (pcap ps_drop), since start (a reopened NIC adds to it)
     * @param interfaceDrops frames the NIC or driver dropped (ps_ifdrop)
     * @param ringDrops frames dropped because the engine fell behind
     */
    public record Nic(String name, String link, long frames, long kernelDrops, long interfaceDrops, long ringDrops) {
    }

    /** One line for the console. */
    public String line() {
        StringBuilder sb = new StringBuilder("stats ").append(DiagnosisJson.time(time)).append(':');
        for (Nic n : nics) {
            sb.append(' ').append(n.name).append(' ').append(n.link).append(" frames ").append(n.frames)
                    .append(" drops ").append(n.kernelDrops + n.interfaceDrops + n.ringDrops).append(" |");
        }
        sb.append(" handshakes ok ").append(handshakesOk).append(" failed ").append(handshakesFailed)
                .append(" | connections ").append(connections).append('/').append(connectionCapacity)
                .append(" evicted ").append(evictions).append(" | decode errors ").append(decodeErrors)
                .append(" | diagnoses ").append(diagnoses);
        return sb.toString();
    }
}
