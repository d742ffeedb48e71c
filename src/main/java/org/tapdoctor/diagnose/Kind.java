package org.tapdoctor.diagnose;

import java.util.Locale;

/**
 * The vocabulary of problems tapdoctor reports, one observational meaning each, in the spirit of
 * Zeek's {@code conn_state}: what was seen on the wire, and what was not. See DESIGN.md and
 * docs/diagnosis-rules.md for the exact rules.
 */
public enum Kind {
    NO_RESPONSE(Severity.CRITICAL, "SYN sent (and retransmitted), nothing came back"),
    REFUSED(Severity.CRITICAL, "SYN answered by a RST: nothing listens there, or a firewall rejects it"),
    UNREACHABLE(Severity.CRITICAL, "SYN answered by an ICMP destination unreachable"),
    NO_FINAL_ACK(Severity.WARNING, "server answered with SYN/ACK (retransmitted), the client never completed the handshake"),
    RESET(Severity.CRITICAL, "handshake completed, then the server side reset before sending any data"),
    HOST_UNREACHABLE(Severity.CRITICAL, "every attempt to this host failed while other hosts worked"),
    PORT_BLOCKED(Severity.CRITICAL, "this port of the host failed while other ports of the same host worked"),
    HOST_DOWN(Severity.CRITICAL, "ARP requests for an on-link address went unanswered"),
    DUPLICATE_IP(Severity.CRITICAL, "two MAC addresses claim one IP address"),
    DNS_FAILURE(Severity.WARNING, "a DNS query failed (NXDOMAIN, SERVFAIL, REFUSED) or got no answer"),
    ZERO_WINDOW(Severity.WARNING, "a receiver advertised a zero window for a long time"),
    TABLE_FULL(Severity.WARNING, "a tracking table was full and dropped entries: diagnoses may be incomplete"),
    CAPTURE_DROPS(Severity.WARNING, "the kernel dropped captured packets: diagnoses may be incomplete"),
    LINK_DOWN(Severity.CRITICAL, "a tap port lost its carrier"),
    LINK_UP(Severity.INFO, "a tap port has carrier again"),
    LINK_SPEED(Severity.WARNING, "the two tap ports run at different speeds or duplex");

    private final Severity severity;
    private final String meaning;

    Kind(Severity severity, String meaning) {
        this.severity = severity;
        this.meaning = meaning;
    }

    public Severity severity() {
        return severity;
    }

    /** One line saying what was observed. */
    public String meaning() {
        return meaning;
    }

    /** The lower snake case name used in JSON and MQTT topics, e.g. {@code no_final_ack}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Kind ofLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
