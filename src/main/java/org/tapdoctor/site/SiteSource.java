package org.tapdoctor.site;

/**
 * A table that knows part of the site (the switch, DHCP, the gateway, IPv6 routers, 802.1X).
 * The site record is a view over these sources, built off the per-frame path whenever one of
 * them reports a change a person would read.
 */
public interface SiteSource {
    /**
     * A counter that moves whenever this source's part changes in a way a person would read: a
     * switch, server, gateway or router appears, changes or ages out. A TTL refresh or a growing
     * counter is not a change (a switch re-sending the same LLDPDU every 30 s prints nothing).
     */
    long siteChanges();

    /**
     * Adds this source's part to the record being built at {@code now} (packet time in a replay,
     * the monotonic clock live). Called when a change is seen, never per frame: it may allocate.
     */
    void addTo(SiteRecord.Builder record, long now);
}
