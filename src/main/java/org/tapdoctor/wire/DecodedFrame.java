package org.tapdoctor.wire;

/**
 * What the engine needs to know about one captured frame, read straight out of its bytes.
 *
 * <p>One instance is reused for every frame (the per-packet path allocates nothing): {@link
 * FrameDecoder#decode} overwrites it, and it is valid until the next call. Fields that a frame does
 * not carry keep their "absent" value ({@code -1} for numbers, {@code false} for flags), reset by
 * {@link #clear()} before each decode. The fields added for issue 11 (DF, the payload's place, the
 * ICMP MTU and pointer, the quoted length and flags, TLS) are not stored one by one by {@link
 * #clear()}, which runs for every frame and whose stores were measurable: each is written on the
 * path of the frames that carry it, and its accessor returns the absent value unless the frame is
 * of that kind (IP, TCP/UDP, an ICMP error, a TLS decode of this frame).
 *
 * <p>The site protocols (LLDP, CDP, DHCP, IPv6 neighbour discovery, EAPOL) fill fields of their
 * own, kept in a {@link SiteFields} holder that their decoders reset before they write it, and
 * read only while the frame's type is theirs (else the accessors give the absent values): {@link
 * #clear()} does nothing more than before for them, so a TCP frame pays nothing for the site
 * protocols (even a branch there cost 1.8 % of the decoder's instructions per frame). Strings
 * (names, identities, the DHCP server's message) are never copied: they are an offset into {@link #buffer()} and a length, like the DNS question name, and -1 as offset
 * when absent. A value a message did not carry keeps its absent value; {@link
 * #optionsTruncated()} says when the capture ended before the message's TLVs or options did, so
 * an absent value may also be a value that was not captured.
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
    boolean dontFragment;

    // ---- transport ----
    int srcPort = -1;
    int dstPort = -1;
    int seq;
    int ack;
    int tcpFlags;
    int window = -1;
    int payloadLength;
    int payloadOffset = -1;
    int payloadCaptured;
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
    int quotedLength = -1;
    int quotedTcpFlags = -1;
    int icmpMtu = -1;
    int icmpPointer = -1;

    // ---- TLS (filled only by TlsDecoder#decode, when asked) ----
    boolean tlsDecoded;
    int tlsRecordType = -1;
    int tlsRecordVersion = -1;
    int tlsRecords;
    int tlsHandshakeType = -1;
    int tlsHandshakeLength = -1;
    boolean tlsHandshakeCut;
    int tlsHelloVersion = -1;
    int tlsVersion = -1;
    int tlsSniOffset = -1;
    int tlsSniLength;
    int tlsAlertLevel = -1;
    int tlsAlertDescription = -1;

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

    // ---- site protocols: written by their decoders, read only when the type is theirs ----
    /** Prefix information options kept per router advertisement; more are counted, not kept. */
    public static final int MAX_PREFIXES = 4;
    final SiteFields site = new SiteFields();

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
        tlsDecoded = false; // the other issue-11 fields are guarded by their accessors (see the class comment)
        arpOperation = -1;
        arpSenderMac = arpTargetMac = -1;
        arpSenderIp = arpTargetIp = 0;
        dnsId = -1;
        dnsFlags = 0;
        dnsQuestionCount = dnsAnswerCount = 0;
        dnsQtype = -1;
        dnsQnameOffset = -1;
        dnsQnameLength = 0;
    }

    /** Resets the TLS fields and marks them decoded: {@link TlsDecoder#decode} starts from here. */
    void clearTls() {
        tlsDecoded = true;
        tlsRecordType = tlsRecordVersion = -1;
        tlsRecords = 0;
        tlsHandshakeType = tlsHandshakeLength = -1;
        tlsHandshakeCut = false;
        tlsHelloVersion = tlsVersion = -1;
        tlsSniOffset = -1;
        tlsSniLength = 0;
        tlsAlertLevel = tlsAlertDescription = -1;
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
    /**
     * Whether routers must not fragment this packet: IPv4 with DF set (RFC 791 section 3.1; TCP
     * sets it for path MTU discovery, RFC 1191), and every IPv6 packet (RFC 8200 section 5: only
     * the source fragments). False for frames without IP.
     */
    public boolean dontFragment() { return ipVersion != 0 && dontFragment; }

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
    /**
     * Offset in {@link #buffer()} of the first TCP or UDP payload byte, -1 when the frame has no
     * transport payload header decoded. The bytes from there are {@link #payloadCaptured()} long.
     */
    public int payloadOffset() { return hasTransportPayload() ? payloadOffset : -1; }
    /**
     * Payload bytes present in the buffer: {@link #payloadLength()} cut by the snaplen (never
     * counting link-layer padding); 0 when {@link #payloadOffset()} is -1.
     */
    public int payloadCaptured() { return hasTransportPayload() ? payloadCaptured : 0; }

    private boolean hasTransportPayload() {
        return type == Type.TCP || type == Type.UDP || type == Type.DNS;
    }
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
    /**
     * Length of the invoking packet as its quoted IP header says (IPv4 total length, IPv6 payload
     * length + 40), -1 when not quoted: for fragmentation needed / packet too big, the size that
     * did not fit the next hop.
     */
    public int quotedLength() { return type == Type.ICMP_ERROR ? quotedLength : -1; }
    /** Flags of the quoted TCP segment (byte 13 of its header), -1 when fewer than 14 bytes of it were quoted. */
    public int quotedTcpFlags() { return type == Type.ICMP_ERROR ? quotedTcpFlags : -1; }
    /**
     * The MTU of the next hop from ICMP fragmentation needed (type 3 code 4, RFC 1191 section 4;
     * 0 from a router older than RFC 1191) or ICMPv6 packet too big (type 2, RFC 4443 section
     * 3.2), -1 for other messages or when not captured.
     */
    public int icmpMtu() { return type == Type.ICMP_ERROR ? icmpMtu : -1; }
    /**
     * The offset of the offending byte in the invoking packet, from ICMP parameter problem code 0
     * (type 12, RFC 792) or ICMPv6 parameter problem (type 4, any code, RFC 4443 section 3.4); -1
     * otherwise.
     */
    public int icmpPointer() { return type == Type.ICMP_ERROR ? icmpPointer : -1; }

    // ---- TLS: valid after TlsDecoder#decode on this frame, absent otherwise ----
    /** Content type of the segment's first TLS record (RFC 8446 section 5.1): 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data; -1 when not decoded or not TLS. */
    public int tlsRecordType() { return tlsDecoded ? tlsRecordType : -1; }
    /** legacy_record_version of the first record (0x0301 for most ClientHellos, 0x0303 otherwise), -1 when absent. */
    public int tlsRecordVersion() { return tlsDecoded ? tlsRecordVersion : -1; }
    /** How many record headers were read in the segment's captured payload. */
    public int tlsRecords() { return tlsDecoded ? tlsRecords : 0; }
    /** Type of the first handshake message (1 client_hello, 2 server_hello, ...), -1 when the segment has none. */
    public int tlsHandshakeType() { return tlsDecoded ? tlsHandshakeType : -1; }
    public boolean tlsClientHello() { return tlsHandshakeType() == TlsDecoder.CLIENT_HELLO; }
    public boolean tlsServerHello() { return tlsHandshakeType() == TlsDecoder.SERVER_HELLO; }
    /** Length of that handshake message's body as its header declares (24 bits), -1 when not read. */
    public int tlsHandshakeLength() { return tlsDecoded ? tlsHandshakeLength : -1; }
    /**
     * Whether the first handshake message did not lie whole in this frame's captured bytes (a
     * ClientHello over two segments, or one cut by the snaplen): its extensions past the cut are
     * not known, so an absent SNI or version may simply be further on.
     */
    public boolean tlsHandshakeCut() { return tlsDecoded && tlsHandshakeCut; }
    /** legacy_version of a ClientHello or ServerHello (0x0303 = TLS 1.2, also in TLS 1.3 hellos), -1 when absent. */
    public int tlsHelloVersion() { return tlsDecoded ? tlsHelloVersion : -1; }
    /**
     * The version from the supported_versions extension (RFC 8446 section 4.2.1): in a ClientHello
     * the client's first choice (the first entry that is not GREASE, RFC 8701), in a ServerHello
     * the version the server selected; -1 when the extension was not seen.
     */
    public int tlsVersion() { return tlsDecoded ? tlsVersion : -1; }
    /** Offset in {@link #buffer()} of the ClientHello's server_name host_name (RFC 6066 section 3), -1 when absent. */
    public int tlsSniOffset() { return tlsDecoded ? tlsSniOffset : -1; }
    /** Length in bytes of that host name (no terminator), 0 when absent. */
    public int tlsSniLength() { return tlsDecoded ? tlsSniLength : 0; }
    /** Level of the first plaintext alert in the segment (1 warning, 2 fatal, RFC 8446 section 6), -1 when none. */
    public int tlsAlertLevel() { return tlsDecoded ? tlsAlertLevel : -1; }
    /** Its description (see {@link TlsAlert}), -1 when none. Encrypted alerts (TLS 1.3 after the ServerHello) are not readable. */
    public int tlsAlertDescription() { return tlsDecoded ? tlsAlertDescription : -1; }

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
    public boolean optionsTruncated() { return anySite().optionsTruncated; }

    // ---- LLDP and CDP ----
    /** Seconds the announcement stays valid: LLDP's TTL (0: the port is shutting down), CDP's hold time; -1 absent. */
    public int discoveryTtl() { return discovery().discoveryTtl; }
    /** CDP version, 1 or 2 (other values are kept as sent); -1 for LLDP and other frames. */
    public int cdpVersion() { return discovery().cdpVersion; }
    /** LLDP chassis ID subtype (802.1AB 8.5.2.2: 4 MAC address, 5 network address, 7 locally assigned, ...). */
    public int chassisIdSubtype() { return discovery().chassisIdSubtype; }
    /** Offset of the chassis ID (after its subtype) in {@link #buffer()}, -1 when absent (CDP has none). */
    public int chassisIdOffset() { return discovery().chassisIdOffset; }
    public int chassisIdLength() { return discovery().chassisIdLength; }
    /** LLDP port ID subtype (802.1AB 8.5.3.2: 1 interface alias, 3 MAC address, 5 interface name, 7 locally assigned); -1 for CDP. */
    public int portIdSubtype() { return discovery().portIdSubtype; }
    /** Offset of the port ID (LLDP: after its subtype; CDP: the Port-ID TLV's text), -1 when absent. */
    public int portIdOffset() { return discovery().portIdOffset; }
    public int portIdLength() { return discovery().portIdLength; }
    /** LLDP port description (the switch's ifDescr or the port's configured description), -1 when absent. */
    public int portDescriptionOffset() { return discovery().portDescriptionOffset; }
    public int portDescriptionLength() { return discovery().portDescriptionLength; }
    /** The switch's name: LLDP system name, CDP device ID; -1 when absent. */
    public int systemNameOffset() { return discovery().systemNameOffset; }
    public int systemNameLength() { return discovery().systemNameLength; }
    /** LLDP system description, CDP software version (lldpd sends the same text in both); -1 when absent. */
    public int systemDescriptionOffset() { return discovery().systemDescriptionOffset; }
    public int systemDescriptionLength() { return discovery().systemDescriptionLength; }
    /** The hardware model: CDP platform, LLDP-MED inventory model name; -1 when absent. */
    public int platformOffset() { return discovery().platformOffset; }
    public int platformLength() { return discovery().platformLength; }
    /** 4 or 6: the first IP management address (LLDP) or address (CDP) announced; 0 when none. */
    public int managementIpVersion() { return discovery().managementIpVersion; }
    public long managementHi() { return discovery().managementHi; }
    public long managementLo() { return discovery().managementLo; }
    /** The port's untagged VLAN: LLDP 802.1 port VLAN ID (0: none), CDP native VLAN; -1 absent. */
    public int portVlanId() { return discovery().portVlanId; }
    /** The voice VLAN: LLDP-MED network policy for voice (0: priority tagged), CDP appliance VLAN; -1 absent. */
    public int voiceVlanId() { return discovery().voiceVlanId; }

    // ---- DHCPv4 ----
    /** BOOTP op: 1 BOOTREQUEST, 2 BOOTREPLY; -1 when the frame is not DHCP. */
    public int dhcpOp() { return dhcp().dhcpOp; }
    /** Option 53 (RFC 2132 9.6): 1 DISCOVER, 2 OFFER, 3 REQUEST, 4 DECLINE, 5 ACK, 6 NAK, 7 RELEASE, 8 INFORM; -1 absent. */
    public int dhcpMessageType() { return dhcp().dhcpMessageType; }
    /** Transaction ID, raw 32 bits. */
    public int dhcpXid() { return dhcp().dhcpXid; }
    /** Relay agents the message crossed (RFC 2131 hops); -1 when not DHCP. */
    public int dhcpHops() { return dhcp().dhcpHops; }
    /** The client's hardware address (chaddr) when it is an Ethernet MAC (htype 1, hlen 6), else -1. */
    public long dhcpClientMac() { return dhcp().dhcpClientMac; }
    /** ciaddr: the address the client already has (RENEWING, REBINDING, INFORM), 0 when none. */
    public int dhcpClientIp() { return dhcp().dhcpClientIp; }
    /** yiaddr: the address offered or acknowledged, 0 when none. */
    public int dhcpYourIp() { return dhcp().dhcpYourIp; }
    /** giaddr: the relay agent that forwarded the message, 0 when not relayed. */
    public int dhcpRelayIp() { return dhcp().dhcpRelayIp; }
    /** Option 50, the address a client asks for (INIT-REBOOT, SELECTING); 0 when absent. */
    public int dhcpRequestedIp() { return dhcp().dhcpRequestedIp; }
    /** Option 54, the server identifier; 0 when absent. */
    public int dhcpServerId() { return dhcp().dhcpServerId; }
    /** Option 3, the first router (default gateway) offered; 0 when absent. */
    public int dhcpRouter() { return dhcp().dhcpRouter; }
    /** How many DNS servers option 6 lists; read them with {@link #dhcpDnsServer(int)}. */
    public int dhcpDnsCount() { return dhcp().dhcpDnsCount; }
    /** The {@code index}th DNS server of option 6, read from {@link #buffer()} (0 &lt;= index &lt; {@link #dhcpDnsCount()}). */
    public int dhcpDnsServer(int index) {
        if (index < 0 || index >= dhcp().dhcpDnsCount) {
            throw new IndexOutOfBoundsException("DNS server " + index + " of " + dhcp().dhcpDnsCount);
        }
        return Bytes.i32(buffer, dhcp().dhcpDnsOffset + 4 * index);
    }
    /** Option 51, the lease in seconds (0xFFFFFFFF: infinite); -1 absent. */
    public long dhcpLeaseSeconds() { return dhcp().dhcpLeaseSeconds; }
    /** Option 56, the server's message (a NAK's reason), offset in {@link #buffer()}; -1 absent. */
    public int dhcpMessageOffset() { return dhcp().dhcpMessageOffset; }
    public int dhcpMessageLength() { return dhcp().dhcpMessageLength; }

    // ---- ICMPv6 neighbour discovery ----
    /** Router advertisement (RFC 4861 4.2): M, managed address configuration (DHCPv6 for addresses). */
    public boolean raManaged() { return icmpType == 134 && (nd().ndFlags & 0x80) != 0; }
    /** Router advertisement: O, other configuration (DHCPv6 for DNS and the like). */
    public boolean raOther() { return icmpType == 134 && (nd().ndFlags & 0x40) != 0; }
    /** Router advertisement: seconds the sender is a default router (0: it is not); -1 when not an RA. */
    public int raRouterLifetime() { return nd().raRouterLifetime; }
    /** Neighbour advertisement (RFC 4861 4.4): R, the sender is a router. */
    public boolean naRouter() { return icmpType == 136 && (nd().ndFlags & 0x80) != 0; }
    /** Neighbour advertisement: S, sent in response to a solicitation. */
    public boolean naSolicited() { return icmpType == 136 && (nd().ndFlags & 0x40) != 0; }
    /** Neighbour advertisement: O, override an existing cache entry. */
    public boolean naOverride() { return icmpType == 136 && (nd().ndFlags & 0x20) != 0; }
    /** The target address of a neighbour solicitation, advertisement or redirect (0 otherwise). */
    public long ndTargetHi() { return nd().ndTargetHi; }
    public long ndTargetLo() { return nd().ndTargetLo; }
    /**
     * A neighbour solicitation from the unspecified address: duplicate address detection
     * (RFC 4862 5.4.2), a probe for the target, not a neighbour looked for.
     */
    public boolean isDadProbe() { return type == Type.NEIGHBOR_DISCOVERY && icmpType == 135 && srcHi == 0 && srcLo == 0; }
    /** The source (RS, RA, NS) or target (NA, redirect) link-layer address option as a 48-bit MAC; -1 absent. */
    public long ndLinkAddress() { return nd().ndLinkAddress; }
    /** How many prefix information options the RA carries; the first {@link #MAX_PREFIXES} are kept. */
    public int raPrefixCount() { return nd().raPrefixCount; }
    /** The {@code i}th prefix (high 64 bits), for i below min({@link #raPrefixCount()}, {@link #MAX_PREFIXES}). */
    public long raPrefixHi(int i) { return nd().raPrefixHi[prefix(i)]; }
    public long raPrefixLo(int i) { return nd().raPrefixLo[prefix(i)]; }
    /** Prefix length in bits. */
    public int raPrefixLength(int i) { return nd().raPrefixLength[prefix(i)]; }
    /** The prefix option's flags byte (RFC 4861 4.6.2): L 0x80 on-link, A 0x40 autonomous (SLAAC). */
    public int raPrefixFlags(int i) { return nd().raPrefixFlags[prefix(i)]; }
    /** Valid lifetime in seconds (0xFFFFFFFF: infinite). */
    public long raPrefixValid(int i) { return nd().raPrefixValid[prefix(i)]; }
    /** Preferred lifetime in seconds (0xFFFFFFFF: infinite). */
    public long raPrefixPreferred(int i) { return nd().raPrefixPreferred[prefix(i)]; }

    private int prefix(int i) {
        if (i < 0 || i >= Math.min(nd().raPrefixCount, MAX_PREFIXES)) {
            throw new IndexOutOfBoundsException("prefix " + i + " of " + Math.min(nd().raPrefixCount, MAX_PREFIXES) + " kept");
        }
        return i;
    }

    // ---- EAPOL / EAP ----
    /** EAPOL protocol version (1: 802.1X-2001, 2: -2004, 3: -2010); -1 when not EAPOL. */
    public int eapolVersion() { return eapol().eapolVersion; }
    /** EAPOL packet type (802.1X-2020 11.3.2): 0 EAP packet, 1 Start, 2 Logoff, 3 Key; -1 absent. */
    public int eapolType() { return eapol().eapolType; }
    /** EAP code (RFC 3748 4): 1 Request, 2 Response, 3 Success, 4 Failure; -1 when not an EAP packet. */
    public int eapCode() { return eapol().eapCode; }
    /** EAP identifier, which matches a response to its request; -1 absent. */
    public int eapId() { return eapol().eapId; }
    /** EAP type of a request or response (RFC 3748 5: 1 Identity, 3 Nak, 4 MD5-Challenge, 13 TLS, 25 PEAP, ...); -1 absent. */
    public int eapType() { return eapol().eapType; }
    /** Offset of the type data (an Identity's name, a Notification's text) in {@link #buffer()}; -1 absent. */
    public int eapDataOffset() { return eapol().eapDataOffset; }
    /** Captured length of the type data (cut by the capture when {@link #optionsTruncated()}). */
    public int eapDataLength() { return eapol().eapDataLength; }

    // ---- which site fields the frame's type makes valid ----
    private SiteFields discovery() {
        return type == Type.LLDP || type == Type.CDP ? site : SiteFields.ABSENT;
    }

    private SiteFields dhcp() {
        return type == Type.DHCP ? site : SiteFields.ABSENT;
    }

    private SiteFields nd() {
        return type == Type.NEIGHBOR_DISCOVERY ? site : SiteFields.ABSENT;
    }

    private SiteFields eapol() {
        return type == Type.EAPOL ? site : SiteFields.ABSENT;
    }

    private SiteFields anySite() {
        return type == Type.LLDP || type == Type.CDP || type == Type.DHCP || type == Type.NEIGHBOR_DISCOVERY
                || type == Type.EAPOL ? site : SiteFields.ABSENT;
    }
}
