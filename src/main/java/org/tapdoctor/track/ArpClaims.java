package org.tapdoctor.track;

/**
 * A read-only view of the ARP claims on one IPv4 address, handed to the {@link TrackerListener}
 * when a second MAC claims it: valid only during the call (the view is reused, nothing is allocated).
 */
public final class ArpClaims {
    private final ArpTable table;
    private int slot;

    ArpClaims(ArpTable table) {
        this.table = table;
    }

    ArpClaims at(int slot) {
        this.slot = slot;
        return this;
    }

    /** The contested address. */
    public int ip() { return table.ip(slot); }
    /** The first MAC that claimed it (48 bits). */
    public long firstMac() { return table.mac1(slot); }
    /** The second MAC that claimed it (48 bits). */
    public long secondMac() { return table.mac2(slot); }
    /** ARP packets from the first MAC. */
    public int firstMacClaims() { return table.claims1(slot); }
    /** ARP packets from the second MAC (and any later one). */
    public int secondMacClaims() { return table.claims2(slot); }
    /** When the address was first claimed. */
    public long firstClaim() { return table.firstClaim(slot); }
}
