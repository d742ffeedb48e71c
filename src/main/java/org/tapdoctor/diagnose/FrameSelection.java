package org.tapdoctor.diagnose;

/**
 * Which frames are the evidence of one diagnosis, as its kind says (the {@code publish} layer's
 * {@code FrameSelector} matches frames against it). A frame is selected when any part of the
 * selection takes it: a device's own frames of some protocols, by its MAC (its EAPOL, its DHCP
 * messages by chaddr and the replies to it, its ARP, its neighbour discovery: what the site kinds
 * are about, which carry no IP address or not yet one); ARP about one address; IP frames between a
 * client and a server (either may be any), of one protocol or any, with a DNS question's name.
 * Every IP selection also takes the ICMP errors whose quoted packet it would have taken. All in the
 * diagnosis's time window: from {@code first}, or any time when {@code fromStart} (a stalled
 * connection began before it was diagnosed; a device's 802.1X or DHCP exchange led up to it).
 * Immutable.
 *
 * @param arpIp ARP frames whose sender or target is this address (IPv4, as text), or null
 * @param client the client address, or null for any peer
 * @param clientPort the client's port, or -1 for any
 * @param server the server address, or null for any
 * @param serverPort the server's port, or -1 for any
 * @param protocol 6 (TCP), 17 (UDP), or -1 for any
 * @param dnsQuery the DNS question's name the messages must carry, or null
 * @param fromStart frames from any time before {@code last}, not only from {@code first}
 * @param device the device's MAC ({@code 02:00:00:00:00:10}) whose frames of {@code deviceFrames} are taken, or null
 * @param deviceFrames which of the device's frames: {@link #EAPOL}, {@link #DHCP}, {@link #ARP}, {@link #ND}, or'ed
 */
public record FrameSelection(String arpIp, String client, int clientPort, String server, int serverPort, int protocol,
                             String dnsQuery, boolean fromStart, String device, int deviceFrames) {
    public static final int ANY = -1, TCP = 6, UDP = 17;
    /** The device's EAPOL frames: Ethernet source or destination is its MAC (EtherType 0x888E). */
    public static final int EAPOL = 1;
    /** Its DHCP messages and the servers' replies to it: chaddr is its MAC (RFC 2131 2). */
    public static final int DHCP = 2;
    /** ARP whose sender or target hardware address is its MAC (its probes, announcements, the answers to it). */
    public static final int ARP = 4;
    /** Its neighbour discovery (ICMPv6 RS, RA, NS, NA): Ethernet source is its MAC (a DAD probe comes from ::). */
    public static final int ND = 8;

    public FrameSelection {
        if (device == null ? deviceFrames != 0 : deviceFrames == 0 || (deviceFrames & ~(EAPOL | DHCP | ARP | ND)) != 0) {
            throw new IllegalArgumentException("device frames " + deviceFrames + " for device " + device);
        }
    }

    public FrameSelection(String arpIp, String client, int clientPort, String server, int serverPort, int protocol,
                          String dnsQuery, boolean fromStart) {
        this(arpIp, client, clientPort, server, serverPort, protocol, dnsQuery, fromStart, null, 0);
    }

    /** A device's DHCP messages (its chaddr) and the servers' replies to it. */
    public static FrameSelection dhcp(String mac) {
        return device(mac, DHCP);
    }

    /** A device's own frames of {@code frames} ({@link #EAPOL}, {@link #DHCP}, ...), from its diagnosis's first. */
    public static FrameSelection device(String mac, int frames) {
        return new FrameSelection(null, null, ANY, null, ANY, ANY, null, false, mac, frames);
    }

    /** ARP frames about one address. */
    public static FrameSelection arp(String ip) {
        return new FrameSelection(ip, null, ANY, null, ANY, ANY, null, false);
    }

    /**
     * The frames of a server's attempts: {@code protocol} between the client and the server's port,
     * both directions; the client's port too when the diagnosis is one attempt; any client when
     * the evidence counts more than one.
     */
    public static FrameSelection attempts(Diagnosis d, Clients clients, int protocol) {
        Endpoint peer = clients != null && clients.several() ? null : d.client();
        int peerPort = peer != null && peer.hasPort() && d.count() == 1 ? peer.port() : ANY;
        Endpoint s = d.server();
        return new FrameSelection(null, peer == null ? null : peer.ip(), peerPort, s == null ? null : s.ip(),
                s != null && s.hasPort() ? s.port() : ANY, protocol, null, false);
    }

    /** Every IP frame between the client and the server (its port when the diagnosis has one). */
    public static FrameSelection between(Diagnosis d, Clients clients) {
        return attempts(d, clients, ANY);
    }

    /** The client's own traffic of one protocol, to any server (a client folded over many servers). */
    public static FrameSelection client(Diagnosis d, int protocol) {
        return new FrameSelection(null, d.client().ip(), ANY, null, ANY, protocol, null, false);
    }

    /** Whether any IP frame is selected (a client or a server is named). */
    public boolean selectsIp() {
        return client != null || server != null;
    }

    /** Whether the selection names anything to match: without, its kind has no frames to show. */
    public boolean selectsAny() {
        return arpIp != null || selectsIp() || device != null;
    }

    public FrameSelection withDnsQuery(String query) {
        return new FrameSelection(arpIp, client, clientPort, server, serverPort, protocol, query, fromStart, device,
                deviceFrames);
    }

    public FrameSelection sinceStart() {
        return new FrameSelection(arpIp, client, clientPort, server, serverPort, protocol, dnsQuery, true, device,
                deviceFrames);
    }

    /** Also the device's own frames of {@code frames}. */
    public FrameSelection withDevice(String mac, int frames) {
        return new FrameSelection(arpIp, client, clientPort, server, serverPort, protocol, dnsQuery, fromStart, mac, frames);
    }

    /** Also the ARP frames about {@code ip}. */
    public FrameSelection withArp(String ip) {
        return new FrameSelection(ip, client, clientPort, server, serverPort, protocol, dnsQuery, fromStart, device,
                deviceFrames);
    }
}
