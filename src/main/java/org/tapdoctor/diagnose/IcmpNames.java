package org.tapdoctor.diagnose;

/**
 * Names of ICMP (RFC 792, RFC 1812 section 5.2.7.1) and ICMPv6 (RFC 4443 section 3.1) unreachable
 * codes, and of the two other errors that can answer a SYN (RFC 792 types 11 and 12, RFC 4443 3.3, 3.4).
 */
public final class IcmpNames {
    private static final String[] V4 = {
        "net-unreachable", "host-unreachable", "protocol-unreachable", "port-unreachable", "fragmentation-needed",
        "source-route-failed", "net-unknown", "host-unknown", "source-host-isolated", "net-prohibited",
        "host-prohibited", "net-unreachable-for-tos", "host-unreachable-for-tos", "admin-prohibited",
        "host-precedence-violation", "precedence-cutoff"};
    private static final String[] V6 = {
        "no-route", "admin-prohibited", "beyond-scope", "address-unreachable", "port-unreachable",
        "source-address-failed-policy", "reject-route"};

    private IcmpNames() {
    }

    /**
     * The name of an error that answered a SYN: a destination unreachable's code name, else
     * {@code time-exceeded} (v4 11, v6 3) or {@code parameter-problem} (v4 12, v6 4).
     */
    public static String of(int ipVersion, int type, int code) {
        if (type == (ipVersion == 6 ? 3 : 11)) {
            return TIME_EXCEEDED;
        }
        if (type == (ipVersion == 6 ? 4 : 12)) {
            return PARAMETER_PROBLEM;
        }
        return unreachable(ipVersion, code);
    }

    public static final String TIME_EXCEEDED = "time-exceeded", PARAMETER_PROBLEM = "parameter-problem";

    public static String unreachable(int ipVersion, int code) {
        String[] names = ipVersion == 6 ? V6 : V4;
        return code >= 0 && code < names.length ? names[code] : "code-" + code;
    }
}
