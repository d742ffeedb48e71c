package org.tapdoctor.wire;

/**
 * What the engine needs to know about one captured frame, read straight out of its bytes.
 *
 * <p>One instance is reused for every frame (the per-packet path allocates nothing): {@link
 * FrameDecoder#decode} overwrites it, and it is valid until the next call. Fields that a frame does
 * not carry keep their "absent" value ({@code -1} for numbers, {@code false} for flags), reset by
 * {@link #clear()} before each decode.
 *
 * <p>The site protocols (LLDP, CDP, DHCP, IPv6 neighbour discovery, EAPOL) fill fields of their
 * own, reset only after a frame that set them, so that clearing a TCP frame costs one branch more
 * than before. Strings (names, identities, the DHCP server's message) are never copied: they are
 * an offset into {@link #buffer()} and a length, like the DNS question name, and -1 as offset when
 * absent. A value a message did not carry keeps its absent value; {@link #optionsTruncated()}
 * says when the capture ended before the message's TLVs or options did, so an absent value may
 * also be a value that was not captured.
 *
 * <p>Addresses of both IP versions are held as 128 bits in two longs; IPv4 is stored IPv4-mapped
 * ({@code ::ffff:a.b.c.d}, RFC 4291 section 2.5.5.2) so that one table key serves both families.
 * See {@link IpAddresses}. Sequence numbers are the raw unsigned 32-bit values in an {@code int}.
 *
 * <p>Not thread-safe: owned by the capture thread.
 */
public final class DecodedFrame {

    /** What kind of frame this is, as far as the engine cares. */
    public enum Type {
        /** A TCP segment over IPv4 or IPv6. */
        TCP,
        /** A DNS message over UDP port 53 (header and first question decoded). */
        DNS,
        /** UDP that is neither DNS nor DHCP. */
        UDP,
        /** ICMP or ICMPv6 destination unreachable / time exceeded / packet too big, with the quoted header. */
        ICMP_ERROR,
        /** Any other ICMP or ICMPv6 (echo, MLD, neighbour discovery that is not valid: hop limit below 255). */
        ICMP_OTHER,
        /** ARP over Ethernet for IPv4. */
        ARP,
        /** An LLDP data unit (IEEE 802.1AB): the switch port's announcement. */
        LLDP,
        /** A Cisco Discovery Protocol message (802.3, LLC/SNAP OUI 00-00-0C, PID 0x2000). */
        CDP,
        /** A DHCPv4 message over UDP ports 67/68 (RFC 2131): BOOTP header, magic cookie and options. */
        DHCP,
        /** ICMPv6 neighbour discovery (RFC 4861): RS, RA, NS, NA, redirect, with hop limit 255. */
        NEIGHBOR_DISCOVERY,
        /** EAP over LAN (IEEE 802.1X), with the EAP header (RFC 3748) of EAP packets. */
        EAPOL,
        /** Decoded, but nothing the engine tracks (other protocols, non-first fragments). */
        OTHER
    }

    // ---- capture metadata (set by the capture layer, not by the decoder) ----
    long timeNanos;
    int side = -1;
    int wireLength;

    // ---- the bytes (not copied) ----
    byte[] buffer;
    int frameOffset;
    int frameLength;

    Type type = Type.OTHER;

    // ---- link layer ----
    int linkType;
    long srcMac = -1;
    long dstMac = -1;
    int vlanCount;
    int outerVlanId = -1;

    // ---- network layer ----
    int ipVersion;
    long srcHi, srcLo, dstHi, dstLo;
    int ttl = -1;
    int ipProtocol = -1;

    // ---- transport ----
    int srcPort = -1;
    int dstPort = -1;
    int seq;
    int ack;
    int tcpFlags;
    int window = -1;
    int payloadLength;
    int mss = -1;
    int windowScale = -1;
    boolean sackPermitted;
    boolean timestamps;

    // ---- ICMP / ICMPv6 errors ----
    int icmpType = -1;
    int icmpCode = -1;
    int quotedProtocol = -1;
    long quotedSrcHi, quotedSrcLo, quotedDstHi, quotedDstLo;
    int quotedSrcPort = -1;
    int quotedDstPort = -1;
    int quotedSeq;
    boolean quotedSeqPresent;

    // ---- ARP ----
    int arpOperation = -1;
    long arpSenderMac = -1;
    int arpSenderIp;
    long arpTargetMac = -1;
    int arpTargetIp;

    // ---- DNS ----
    int dnsId = -1;
    int dnsFlags;
    int dnsQuestionCount;
    int dnsAnswerCount;
    int dnsQtype = -1;
    int dnsQnameOffset = -1;
    int dnsQnameLength;

    // ---- site protocols: reset by clear() only when a site decoder set them ----
    boolean siteFields;
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
    /** Prefix information options kept per router advertisement; more are counted, not kept. */
    public static final int MAX_PREFIXES = 4;
    int ndFlags;
    long ndTargetHi, ndTargetLo;
    long ndLinkAddress = -1;
    int raRouterLifetime = -1;
    int raPrefixCount;
    final long[] raPrefixHi = new long[MAX_PREFIXES];
    final long[] raPrefixLo = new long[MAX_PREFIXES];
    final int[] raPrefixLength = new int[MAX_PREFIXES];
    final int[] raPrefixFlags = new int[MAX_PREFIXES];
    final long[] raPrefixValid = new long[MAX_PREFIXES];
    final long[] raPrefixPreferred = new long[MAX_PREFIXES];

    // ---- EAPOL / EAP ----
    int eapolVersion = -1;
    int eapolType = -1;
    int eapCode = -1;
    int eapId = -1;
    int eapType = -1;
    int eapDataOffset = -1;
    int eapDataLength;

    /** TCP flag bits as on the wire (RFC 9293 section 3.1). */
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, ECE = 0x40, CWR = 0x80;

    /** Resets every field to its absent value; called by the decoder before each frame. */
    public void clear() {
        buffer = null;
        frameOffset = 0;
        frameLength = 0;
        type = Type.OTHER;
        linkType = 0;
        srcMac = -1;
        dstMac = -1;
        vlanCount = 0;
        outerVlanId = -1;
        ipVersion = 0;
        srcHi = srcLo = dstHi = dstLo = 0;
        ttl = -1;
        ipProtocol = -1;
        srcPort = dstPort = -1;
        seq = ack = 0;
        tcpFlags = 0;
        window = -1;
        payloadLength = 0;
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        timestamps = false;
        icmpType = icmpCode = -1;
        quotedProtocol = -1;
        quotedSrcHi = quotedSrcLo = quotedDstHi = quotedDstLo = 0;
        quotedSrcPort = quotedDstPort = -1;
        quotedSeq = 0;
        quotedSeqPresent = false;
        arpOperation = -1;
        arpSenderMac = arpTargetMac = -1;
        arpSenderIp = arpTargetIp = 0;
        dnsId = -1;
        dnsFlags = 0;
        dnsQuestionCount = dnsAnswerCount = 0;
        dnsQtype = -1;
        dnsQnameOffset = -1;
        dnsQnameLength = 0;
        if (siteFields) {
            clearSiteFields();
        }
    }

    /** The fields of the site protocols, which most frames never touch. */
    private void clearSiteFields() {
        siteFields = false;
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

    // ---- capture metadata ----
    /** Capture time in nanoseconds since the epoch (replay) or of the monotonic clock (live). */
    public long timeNanos() { return timeNanos; }
    public void timeNanos(long timeNanos) { this.timeNanos = timeNanos; }
    /** Index of the NIC the frame came in on, or -1 when unknown (files). */
    public int side() { return side; }
    public void side(int side) { this.side = side; }
    /** Length of the frame on the wire (may exceed the captured length). */
    public int wireLength() { return wireLength; }
    public void wireLength(int wireLength) { this.wireLength = wireLength; }

    public Type type() { return type; }
    public byte[] buffer() { return buffer; }
    public int frameOffset() { return frameOffset; }
    public int frameLength() { return frameLength; }

    // ---- link ----
    public int linkType() { return linkType; }
    /** Source MAC as 48 bits, or -1 when the link type has none. */
    public long srcMac() { return srcMac; }
    public long dstMac() { return dstMac; }
    public int vlanCount() { return vlanCount; }
    public int outerVlanId() { return outerVlanId; }

    // ---- network ----
    /** 4, 6, or 0 when the frame carries no IP. */
    public int ipVersion() { return ipVersion; }
    public long srcHi() { return srcHi; }
    public long srcLo() { return srcLo; }
    public long dstHi() { return dstHi; }
    public long dstLo() { return dstLo; }
    /** IPv4 TTL or IPv6 hop limit, -1 when absent. */
    public int ttl() { return ttl; }
    /** Upper-layer protocol after IPv6 extension headers (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6). */
    public int ipProtocol() { return ipProtocol; }

    // ---- transport ----
    public int srcPort() { return srcPort; }
    public int dstPort() { return dstPort; }
    public int seq() { return seq; }
    public int ack() { return ack; }
    public int tcpFlags() { return tcpFlags; }
    public boolean hasFlags(int mask) { return (tcpFlags & mask) == mask; }
    public boolean isSyn() { return (tcpFlags & (SYN | ACK)) == SYN; }
    public boolean isSynAck() { return (tcpFlags & (SYN | ACK | RST)) == (SYN | ACK); }
    public boolean isRst() { return (tcpFlags & RST) != 0; }
    /** Raw (unscaled) TCP window. */
    public int window() { return window; }
    /** Bytes of TCP or UDP payload present on the wire (from the IP lengths, not the snaplen). */
    public int payloadLength() { return payloadLength; }
    /** MSS option of a SYN or SYN/ACK, -1 when absent; options of other segments are not read. */
    public int mss() { return mss; }
    public int windowScale() { return windowScale; }
    public boolean sackPermitted() { return sackPermitted; }
    public boolean timestamps() { return timestamps; }

    // ---- ICMP errors ----
    public int icmpType() { return icmpType; }
    public int icmpCode() { return icmpCode; }
    public int quotedProtocol() { return quotedProtocol; }
    public long quotedSrcHi() { return quotedSrcHi; }
    public long quotedSrcLo() { return quotedSrcLo; }
    public long quotedDstHi() { return quotedDstHi; }
    public long quotedDstLo() { return quotedDstLo; }
    public int quotedSrcPort() { return quotedSrcPort; }
    public int quotedDstPort() { return quotedDstPort; }
    /** The quoted TCP sequence number; valid when {@link #quotedSeqPresent()}. */
    public int quotedSeq() { return quotedSeq; }
    public boolean quotedSeqPresent() { return quotedSeqPresent; }

    // ---- ARP ----
    /** 1 request, 2 reply, -1 absent. */
    public int arpOperation() { return arpOperation; }
    public long arpSenderMac() { return arpSenderMac; }
    public int arpSenderIp() { return arpSenderIp; }
    public long arpTargetMac() { return arpTargetMac; }
    public int arpTargetIp() { return arpTargetIp; }

    // ---- DNS ----
    public int dnsId() { return dnsId; }
    public int dnsFlags() { return dnsFlags; }
    public boolean dnsIsResponse() { return (dnsFlags & 0x8000) != 0; }
    /** RCODE (RFC 1035 section 4.1.1): 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED. */
    public int dnsRcode() { return dnsFlags & 0x000F; }
    public int dnsQuestionCount() { return dnsQuestionCount; }
    public int dnsAnswerCount() { return dnsAnswerCount; }
    public int dnsQtype() { return dnsQtype; }
    /** Offset in {@link #buffer()} of the first question's name in wire form (labels), -1 if none. */
    public int dnsQnameOffset() { return dnsQnameOffset; }
    /** Length in bytes of that wire-form name, including the final zero label. */
    public int dnsQnameLength() { return dnsQnameLength; }

    // ---- site protocols ----
    /**
     * Whether the capture ended before the TLVs or options of an LLDP, CDP, DHCP, neighbour
     * discovery or EAP message did: values after the cut are absent although the message may
     * carry them (a snaplen too small for the site protocols).
     */
    public boolean optionsTruncated() { return optionsTruncated; }

    // ---- LLDP and CDP ----
    /** Seconds the announcement stays valid: LLDP's TTL (0: the port is shutting down), CDP's hold time; -1 absent. */
    public int discoveryTtl() { return discoveryTtl; }
    /** CDP version, 1 or 2 (other values are kept as sent); -1 for LLDP and other frames. */
    public int cdpVersion() { return cdpVersion; }
    /** LLDP chassis ID subtype (802.1AB 8.5.2.2: 4 MAC address, 5 network address, 7 locally assigned, ...). */
    public int chassisIdSubtype() { return chassisIdSubtype; }
    /** Offset of the chassis ID (after its subtype) in {@link #buffer()}, -1 when absent (CDP has none). */
    public int chassisIdOffset() { return chassisIdOffset; }
    public int chassisIdLength() { return chassisIdLength; }
    /** LLDP port ID subtype (802.1AB 8.5.3.2: 1 interface alias, 3 MAC address, 5 interface name, 7 locally assigned); -1 for CDP. */
    public int portIdSubtype() { return portIdSubtype; }
    /** Offset of the port ID (LLDP: after its subtype; CDP: the Port-ID TLV's text), -1 when absent. */
    public int portIdOffset() { return portIdOffset; }
    public int portIdLength() { return portIdLength; }
    /** LLDP port description (the switch's ifDescr or the port's configured description), -1 when absent. */
    public int portDescriptionOffset() { return portDescriptionOffset; }
    public int portDescriptionLength() { return portDescriptionLength; }
    /** The switch's name: LLDP system name, CDP device ID; -1 when absent. */
    public int systemNameOffset() { return systemNameOffset; }
    public int systemNameLength() { return systemNameLength; }
    /** LLDP system description, CDP software version (lldpd sends the same text in both); -1 when absent. */
    public int systemDescriptionOffset() { return systemDescriptionOffset; }
    public int systemDescriptionLength() { return systemDescriptionLength; }
    /** The hardware model: CDP platform, LLDP-MED inventory model name; -1 when absent. */
    public int platformOffset() { return platformOffset; }
    public int platformLength() { return platformLength; }
    /** 4 or 6: the first IP management address (LLDP) or address (CDP) announced; 0 when none. */
    public int managementIpVersion() { return managementIpVersion; }
    public long managementHi() { return managementHi; }
    public long managementLo() { return managementLo; }
    /** The port's untagged VLAN: LLDP 802.1 port VLAN ID (0: none), CDP native VLAN; -1 absent. */
    public int portVlanId() { return portVlanId; }
    /** The voice VLAN: LLDP-MED network policy for voice (0: priority tagged), CDP appliance VLAN; -1 absent. */
    public int voiceVlanId() { return voiceVlanId; }

    // ---- DHCPv4 ----
    /** BOOTP op: 1 BOOTREQUEST, 2 BOOTREPLY; -1 when the frame is not DHCP. */
    public int dhcpOp() { return dhcpOp; }
    /** Option 53 (RFC 2132 9.6): 1 DISCOVER, 2 OFFER, 3 REQUEST, 4 DECLINE, 5 ACK, 6 NAK, 7 RELEASE, 8 INFORM; -1 absent. */
    public int dhcpMessageType() { return dhcpMessageType; }
    /** Transaction ID, raw 32 bits. */
    public int dhcpXid() { return dhcpXid; }
    /** Relay agents the message crossed (RFC 2131 hops); -1 when not DHCP. */
    public int dhcpHops() { return dhcpHops; }
    /** The client's hardware address (chaddr) when it is an Ethernet MAC (htype 1, hlen 6), else -1. */
    public long dhcpClientMac() { return dhcpClientMac; }
    /** ciaddr: the address the client already has (RENEWING, REBINDING, INFORM), 0 when none. */
    public int dhcpClientIp() { return dhcpClientIp; }
    /** yiaddr: the address offered or acknowledged, 0 when none. */
    public int dhcpYourIp() { return dhcpYourIp; }
    /** giaddr: the relay agent that forwarded the message, 0 when not relayed. */
    public int dhcpRelayIp() { return dhcpRelayIp; }
    /** Option 50, the address a client asks for (INIT-REBOOT, SELECTING); 0 when absent. */
    public int dhcpRequestedIp() { return dhcpRequestedIp; }
    /** Option 54, the server identifier; 0 when absent. */
    public int dhcpServerId() { return dhcpServerId; }
    /** Option 3, the first router (default gateway) offered; 0 when absent. */
    public int dhcpRouter() { return dhcpRouter; }
    /** How many DNS servers option 6 lists; read them with {@link #dhcpDnsServer(int)}. */
    public int dhcpDnsCount() { return dhcpDnsCount; }
    /** The {@code index}th DNS server of option 6, read from {@link #buffer()} (0 &lt;= index &lt; {@link #dhcpDnsCount()}). */
    public int dhcpDnsServer(int index) {
        if (index < 0 || index >= dhcpDnsCount) {
            throw new IndexOutOfBoundsException("DNS server " + index + " of " + dhcpDnsCount);
        }
        return Bytes.i32(buffer, dhcpDnsOffset + 4 * index);
    }
    /** Option 51, the lease in seconds (0xFFFFFFFF: infinite); -1 absent. */
    public long dhcpLeaseSeconds() { return dhcpLeaseSeconds; }
    /** Option 56, the server's message (a NAK's reason), offset in {@link #buffer()}; -1 absent. */
    public int dhcpMessageOffset() { return dhcpMessageOffset; }
    public int dhcpMessageLength() { return dhcpMessageLength; }

    // ---- ICMPv6 neighbour discovery ----
    /** Router advertisement (RFC 4861 4.2): M, managed address configuration (DHCPv6 for addresses). */
    public boolean raManaged() { return icmpType == 134 && (ndFlags & 0x80) != 0; }
    /** Router advertisement: O, other configuration (DHCPv6 for DNS and the like). */
    public boolean raOther() { return icmpType == 134 && (ndFlags & 0x40) != 0; }
    /** Router advertisement: seconds the sender is a default router (0: it is not); -1 when not an RA. */
    public int raRouterLifetime() { return raRouterLifetime; }
    /** Neighbour advertisement (RFC 4861 4.4): R, the sender is a router. */
    public boolean naRouter() { return icmpType == 136 && (ndFlags & 0x80) != 0; }
    /** Neighbour advertisement: S, sent in response to a solicitation. */
    public boolean naSolicited() { return icmpType == 136 && (ndFlags & 0x40) != 0; }
    /** Neighbour advertisement: O, override an existing cache entry. */
    public boolean naOverride() { return icmpType == 136 && (ndFlags & 0x20) != 0; }
    /** The target address of a neighbour solicitation, advertisement or redirect (0 otherwise). */
    public long ndTargetHi() { return ndTargetHi; }
    public long ndTargetLo() { return ndTargetLo; }
    /**
     * A neighbour solicitation from the unspecified address: duplicate address detection
     * (RFC 4862 5.4.2), a probe for the target, not a neighbour looked for.
     */
    public boolean isDadProbe() { return type == Type.NEIGHBOR_DISCOVERY && icmpType == 135 && srcHi == 0 && srcLo == 0; }
    /** The source (RS, RA, NS) or target (NA, redirect) link-layer address option as a 48-bit MAC; -1 absent. */
    public long ndLinkAddress() { return ndLinkAddress; }
    /** How many prefix information options the RA carries; the first {@link #MAX_PREFIXES} are kept. */
    public int raPrefixCount() { return raPrefixCount; }
    /** The {@code i}th prefix (high 64 bits), for i below min({@link #raPrefixCount()}, {@link #MAX_PREFIXES}). */
    public long raPrefixHi(int i) { return raPrefixHi[prefix(i)]; }
    public long raPrefixLo(int i) { return raPrefixLo[prefix(i)]; }
    /** Prefix length in bits. */
    public int raPrefixLength(int i) { return raPrefixLength[prefix(i)]; }
    /** The prefix option's flags byte (RFC 4861 4.6.2): L 0x80 on-link, A 0x40 autonomous (SLAAC). */
    public int raPrefixFlags(int i) { return raPrefixFlags[prefix(i)]; }
    /** Valid lifetime in seconds (0xFFFFFFFF: infinite). */
    public long raPrefixValid(int i) { return raPrefixValid[prefix(i)]; }
    /** Preferred lifetime in seconds (0xFFFFFFFF: infinite). */
    public long raPrefixPreferred(int i) { return raPrefixPreferred[prefix(i)]; }

    private int prefix(int i) {
        if (i < 0 || i >= Math.min(raPrefixCount, MAX_PREFIXES)) {
            throw new IndexOutOfBoundsException("prefix " + i + " of " + Math.min(raPrefixCount, MAX_PREFIXES) + " kept");
        }
        return i;
    }

    // ---- EAPOL / EAP ----
    /** EAPOL protocol version (1: 802.1X-2001, 2: -2004, 3: -2010); -1 when not EAPOL. */
    public int eapolVersion() { return eapolVersion; }
    /** EAPOL packet type (802.1X-2020 11.3.2): 0 EAP packet, 1 Start, 2 Logoff, 3 Key; -1 absent. */
    public int eapolType() { return eapolType; }
    /** EAP code (RFC 3748 4): 1 Request, 2 Response, 3 Success, 4 Failure; -1 when not an EAP packet. */
    public int eapCode() { return eapCode; }
    /** EAP identifier, which matches a response to its request; -1 absent. */
    public int eapId() { return eapId; }
    /** EAP type of a request or response (RFC 3748 5: 1 Identity, 3 Nak, 4 MD5-Challenge, 13 TLS, 25 PEAP, ...); -1 absent. */
    public int eapType() { return eapType; }
    /** Offset of the type data (an Identity's name, a Notification's text) in {@link #buffer()}; -1 absent. */
    public int eapDataOffset() { return eapDataOffset; }
    /** Captured length of the type data (cut by the capture when {@link #optionsTruncated()}). */
    public int eapDataLength() { return eapDataLength; }
}
