package org.tapdoctor.wire;

/**
 * The fields of the site protocols (LLDP, CDP, DHCP, neighbour discovery, EAPOL) of a {@link
 * DecodedFrame}, apart from its IP and TCP fields: each site decoder {@link #clear()}s them before
 * it writes them, and {@link DecodedFrame}'s accessors read them only while the frame's type is
 * that protocol's, else those of {@link #ABSENT}. {@link DecodedFrame#clear()} never touches them,
 * so the per-frame path of every other frame does no work for them. Not thread-safe.
 */
final class SiteFields {
    /** Never written: the absent value of every field, for frames of other types. */
    static final SiteFields ABSENT = new SiteFields();

    boolean optionsTruncated;

    // ---- LLDP and CDP: the switch port's announcement ----
    int discoveryTtl = -1;
    int cdpVersion = -1;
    int chassisIdSubtype = -1;
    int chassisIdOffset = -1;
    int chassisIdLength;
    int portIdSubtype = -1;
    int portIdOffset = -1;
    int portIdLength;
    int portDescriptionOffset = -1;
    int portDescriptionLength;
    int systemNameOffset = -1;
    int systemNameLength;
    int systemDescriptionOffset = -1;
    int systemDescriptionLength;
    int platformOffset = -1;
    int platformLength;
    int managementIpVersion;
    long managementHi, managementLo;
    int portVlanId = -1;
    int voiceVlanId = -1;

    // ---- DHCPv4 ----
    int dhcpOp = -1;
    int dhcpMessageType = -1;
    int dhcpXid;
    int dhcpHops = -1;
    long dhcpClientMac = -1;
    int dhcpClientIp;
    int dhcpYourIp;
    int dhcpRelayIp;
    int dhcpRequestedIp;
    int dhcpServerId;
    int dhcpRouter;
    int dhcpDnsOffset = -1;
    int dhcpDnsCount;
    long dhcpLeaseSeconds = -1;
    int dhcpMessageOffset = -1;
    int dhcpMessageLength;

    // ---- ICMPv6 neighbour discovery (the message type is icmpType) ----
    int ndFlags;
    long ndTargetHi, ndTargetLo;
    long ndLinkAddress = -1;
    int raRouterLifetime = -1;
    int raPrefixCount;
    final long[] raPrefixHi = new long[DecodedFrame.MAX_PREFIXES];
    final long[] raPrefixLo = new long[DecodedFrame.MAX_PREFIXES];
    final int[] raPrefixLength = new int[DecodedFrame.MAX_PREFIXES];
    final int[] raPrefixFlags = new int[DecodedFrame.MAX_PREFIXES];
    final long[] raPrefixValid = new long[DecodedFrame.MAX_PREFIXES];
    final long[] raPrefixPreferred = new long[DecodedFrame.MAX_PREFIXES];

    // ---- EAPOL / EAP ----
    int eapolVersion = -1;
    int eapolType = -1;
    int eapCode = -1;
    int eapId = -1;
    int eapType = -1;
    int eapDataOffset = -1;
    int eapDataLength;

    /** Every field to its absent value. */
    void clear() {
        optionsTruncated = false;
        discoveryTtl = cdpVersion = -1;
        chassisIdSubtype = chassisIdOffset = -1;
        chassisIdLength = 0;
        portIdSubtype = portIdOffset = -1;
        portIdLength = 0;
        portDescriptionOffset = -1;
        portDescriptionLength = 0;
        systemNameOffset = -1;
        systemNameLength = 0;
        systemDescriptionOffset = -1;
        systemDescriptionLength = 0;
        platformOffset = -1;
        platformLength = 0;
        managementIpVersion = 0;
        managementHi = managementLo = 0;
        portVlanId = voiceVlanId = -1;
        dhcpOp = dhcpMessageType = dhcpHops = -1;
        dhcpXid = 0;
        dhcpClientMac = -1;
        dhcpClientIp = dhcpYourIp = dhcpRelayIp = dhcpRequestedIp = dhcpServerId = dhcpRouter = 0;
        dhcpDnsOffset = -1;
        dhcpDnsCount = 0;
        dhcpLeaseSeconds = -1;
        dhcpMessageOffset = -1;
        dhcpMessageLength = 0;
        ndFlags = 0;
        ndTargetHi = ndTargetLo = 0;
        ndLinkAddress = -1;
        raRouterLifetime = -1;
        raPrefixCount = 0; // the prefix arrays are read only below raPrefixCount
        eapolVersion = eapolType = eapCode = eapId = eapType = -1;
        eapDataOffset = -1;
        eapDataLength = 0;
    }
}
