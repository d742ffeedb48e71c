package org.tapdoctor.diagnose;

/**
 * Which frames are the evidence of one diagnosis, as its kind says (the {@code publish} layer's
 * {@code FrameSelector} matches frames against it): ARP about one address, or IP frames between a
 * client and a server (either may be any), of one protocol or any, with a DNS question's name, in
 * the diagnosis's time window (from {@code first}, or any time when {@code fromStart}: a stalled
 * connection began before it was diagnosed). Every IP selection also takes the ICMP errors whose
 * quoted packet it would have taken. Immutable.
 *
 * @param arpIp ARP frames whose sender or target is this address (IPv4, as text), or null for IP frames
 * @param client the client address, or null for any peer
 * @param clientPort the client's port, or -1 for any
 * @param server the server address, or null for any
 * @param serverPort the server's port, or -1 for any
 * @param protocol 6 (TCP), 17 (UDP), or -1 for any
 * @param dnsQuery the DNS question's name the messages must carry, or null
 * @param fromStart frames from any time before {@code last}, not only from {@code first}
 * @param dhcpClient DHCP messages of this client MAC (chaddr) and the replies to it, or null for IP or ARP frames
 */
public record FrameSelection(String arpIp, String client, int clientPort, String server, int serverPort, int protocol,
                             String dnsQuery, boolean fromStart, String dhcpClient) {
    public static final int ANY = -1, TCP = 6, UDP = 17;

    public FrameSelection(String arpIp, String client, int clientPort, String server, int serverPort, int protocol,
                          String dnsQuery, boolean fromStart) {
        this(arpIp, client, clientPort, server, serverPort, protocol, dnsQuery, fromStart, null);
    }

    /** A device's DHCP messages (its chaddr) and the servers' replies to it. */
    public static FrameSelection dhcp(String mac) {
        return new FrameSelection(null, null, ANY, null, ANY, UDP, null, false, mac);
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

    public FrameSelection withDnsQuery(String query) {
        return new FrameSelection(arpIp, client, clientPort, server, serverPort, protocol, query, fromStart, dhcpClient);
    }

    public FrameSelection sinceStart() {
        return new FrameSelection(arpIp, client, clientPort, server, serverPort, protocol, dnsQuery, true, dhcpClient);
    }
}
