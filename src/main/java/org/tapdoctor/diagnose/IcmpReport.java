package org.tapdoctor.diagnose;

import org.tapdoctor.wire.IpAddresses;

/**
 * An ICMP or ICMPv6 error that answered an attempt: its type and code, their name
 * ({@link IcmpNames}) and who sent it.
 *
 * @param ipVersion 4 or 6
 * @param type the ICMP type
 * @param code the ICMP code
 * @param reportedBy the error's source address, as text
 */
public record IcmpReport(int ipVersion, int type, int code, String reportedBy) {
    public static final String ICMP = "icmp", ICMP_TYPE = "icmp_type", ICMP_CODE = "icmp_code", REPORTED_BY = "reported_by";

    public static IcmpReport of(int ipVersion, int type, int code, long srcHi, long srcLo) {
        return new IcmpReport(ipVersion, type, code, IpAddresses.format(srcHi, srcLo));
    }

    /** The name of the error, e.g. {@code port-unreachable}, {@code admin-prohibited}. */
    public String name() {
        return IcmpNames.unreachable(ipVersion, code);
    }

    /** Whether the server itself sent it (a host's own "port unreachable"), not a router on the way. */
    public boolean fromServer(Endpoint server) {
        return server != null && server.ip().equals(reportedBy);
    }

    /** {@code icmp}, {@code icmp_type}, {@code icmp_code}, {@code reported_by}. */
    public void write(EvidenceWriter w) {
        w.put(ICMP, name());
        w.put(ICMP_TYPE, type);
        w.put(ICMP_CODE, code);
        w.put(REPORTED_BY, reportedBy);
    }

    /** What a folded line keeps: {@code icmp} and {@code reported_by}. */
    public void writeNameAndReporter(EvidenceWriter w) {
        w.put(ICMP, name());
        w.put(REPORTED_BY, reportedBy);
    }
}
