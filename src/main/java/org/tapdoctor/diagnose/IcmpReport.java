package org.tapdoctor.diagnose;

import org.tapdoctor.wire.IpAddresses;

/**
 * An ICMP or ICMPv6 error that answered an attempt: its type and code, their name
 * ({@link IcmpNames}), who sent it, and a parameter problem's pointer.
 *
 * @param ipVersion 4 or 6
 * @param type the ICMP type
 * @param code the ICMP code
 * @param reportedBy the error's source address, as text
 * @param pointer a parameter problem's pointer (the offending byte), -1 for any other error
 */
public record IcmpReport(int ipVersion, int type, int code, String reportedBy, int pointer) {
    public static final String ICMP = "icmp", ICMP_TYPE = "icmp_type", ICMP_CODE = "icmp_code", REPORTED_BY = "reported_by",
            ICMP_POINTER = "icmp_pointer";

    public IcmpReport(int ipVersion, int type, int code, String reportedBy) {
        this(ipVersion, type, code, reportedBy, -1);
    }

    public static IcmpReport of(int ipVersion, int type, int code, long srcHi, long srcLo, int pointer) {
        return new IcmpReport(ipVersion, type, code, IpAddresses.format(srcHi, srcLo), pointer);
    }

    /** The name of the error, e.g. {@code port-unreachable}, {@code admin-prohibited}, {@code time-exceeded}. */
    public String name() {
        return IcmpNames.of(ipVersion, type, code);
    }

    /** Whether it is a time exceeded: the SYN's TTL (hop limit) ran out on the way. */
    public boolean timeExceeded() {
        return IcmpNames.TIME_EXCEEDED.equals(name());
    }

    /** Whether the server itself sent it (a host's own "port unreachable"), not a router on the way. */
    public boolean fromServer(Endpoint server) {
        return server != null && server.ip().equals(reportedBy);
    }

    /** {@code icmp}, {@code icmp_type}, {@code icmp_code}, {@code icmp_pointer} (a parameter problem's), {@code reported_by}. */
    public void write(EvidenceWriter w) {
        w.put(ICMP, name());
        w.put(ICMP_TYPE, type);
        w.put(ICMP_CODE, code);
        if (pointer >= 0) {
            w.put(ICMP_POINTER, pointer);
        }
        w.put(REPORTED_BY, reportedBy);
    }

    /** What a folded line keeps: {@code icmp} and {@code reported_by}. */
    public void writeNameAndReporter(EvidenceWriter w) {
        w.put(ICMP, name());
        w.put(REPORTED_BY, reportedBy);
    }
}
