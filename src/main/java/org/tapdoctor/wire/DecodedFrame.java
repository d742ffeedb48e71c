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
        /** UDP that is not DNS. */
        UDP,
        /** ICMP or ICMPv6 destination unreachable / time exceeded / packet too big, with the quoted header. */
        ICMP_ERROR,
        /** Any other ICMP or ICMPv6 (echo, neighbour discovery, ...). */
        ICMP_OTHER,
        /** ARP over Ethernet for IPv4. */
        ARP,
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
}
