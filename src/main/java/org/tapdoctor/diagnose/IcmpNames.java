package org.tapdoctor.diagnose;

/** Names of ICMP (RFC 792, RFC 1812 section 5.2.7.1) and ICMPv6 (RFC 4443 section 3.1) unreachable codes. */
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

    public static String unreachable(int ipVersion, int code) {
        String[] names = ipVersion == 6 ? V6 : V4;
        return code >= 0 && code < names.length ? names[code] : "code-" + code;
    }
}
