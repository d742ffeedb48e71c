package org.tapdoctor.track;

/**
 * Whether an address ARP asks for is the asker's gateway (docs/site-notes.md section 1): what
 * makes an unanswered ARP a {@code host_down} with {@code "role":"gateway"}. Asked off the
 * per-frame path, when unanswered requests are reported.
 */
interface GatewayRole {
    int NONE_ROLE = 0;

    /** How {@code ip} is known as the gateway of the device at {@code askerIp} ({@link Gateways#LEARNED_DHCP}, {@link Gateways#LEARNED_TRAFFIC}), or {@link #NONE_ROLE}. */
    int roleOf(int ip, int askerIp, long now);

    /** The asker's MAC found by the last {@link #roleOf} that gave a role, or -1. */
    long askerMac();
}
