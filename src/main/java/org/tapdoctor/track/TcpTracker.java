package org.tapdoctor.track;

import static org.tapdoctor.track.ConnectionTable.CONCLUDED;
import static org.tapdoctor.track.ConnectionTable.ESTABLISHED;
import static org.tapdoctor.track.ConnectionTable.MIDSTREAM;
import static org.tapdoctor.track.ConnectionTable.NONE;
import static org.tapdoctor.track.ConnectionTable.SYN_ACK_SEEN;
import static org.tapdoctor.track.ConnectionTable.SYN_SENT;

import org.tapdoctor.wire.DecodedFrame;

/**
 * The handshake state machine of docs/diagnosis-rules.md section 1: follows each attempt from its
 * SYN to an {@link Outcome}, keeps per-server facts in the {@link ServerTable}, and reports every
 * outcome to the {@link TrackerListener}. Time is a parameter: the frame's timestamp, and the
 * {@code now} given to {@link #expire}; nothing here reads a clock.
 *
 * <p>Caveats: one owner thread; a timeout is noticed when {@link #expire} runs (the service calls it
 * every {@code sweepInterval}), but the times reported are those of the evidence, so they are exact.
 */
public final class TcpTracker {
    /** The minimum retransmission timeout, RFC 6298 section 2.4 (Linux uses 200 ms; 1 s is the conservative bound). */
    public static final long MIN_RTO_NANOS = 1_000_000_000L - 10_000_000L;
    /** A server RST later than this after a handshake with no request from the client is an idle timeout. */
    public static final long RESET_IDLE_MAX_NANOS = 1_000_000_000L;
    /**
     * A SYN whose TTL (hop limit) at the tap is below this is a traceroute probe: no stack sends
     * a connection's SYN with less than 64 (Windows 128), and no path at the tap takes 32 hops.
     */
    public static final int PROBE_TTL = 32;
    private static final int OPT_PRESENT = 1 << 22, OPT_SACK = 1 << 20, OPT_TS = 1 << 21;

    private final TrackerConfig config;
    private final ConnectionTable table;
    private final ServerTable servers;
    private final TrackerStats stats;
    private final TrackerListener listener;
    private final KnownClients knownClients = new KnownClients();
    private final Attempt attempt;
    /** The client's first request of each connection until the server's first answer (reset after a request, tls_failure). */
    private final RequestTable requests;
    private final PathMtu pathMtu;

    public TcpTracker(TrackerConfig config, ConnectionTable table, ServerTable servers, TrackerStats stats,
                      TrackerListener listener) {
        this.config = config;
        this.table = table;
        this.servers = servers;
        this.stats = stats;
        this.listener = listener;
        this.attempt = new Attempt(table);
        this.requests = new RequestTable(RequestTable.capacityFor(table.capacity()));
        this.pathMtu = new PathMtu(table, stats, listener, attempt);
        table.timeouts(config.synTimeoutNanos(), config.synAckTimeoutNanos(), config.idleTimeoutNanos(),
                config.lingerNanos());
    }

    public RequestTable requests() {
        return requests;
    }

    public ConnectionTable table() {
        return table;
    }

    /** Follows one TCP segment. */
    public void onSegment(DecodedFrame f) {
        stats.tcpSegments++;
        final long now = f.timeNanos();
        final int fl = f.tcpFlags();
        final ConnectionTable t = table;
        int i = t.find(f.srcHi(), f.srcLo(), f.srcPort(), f.dstHi(), f.dstLo(), f.dstPort());
        if (i < 0) {
            onUnknown(f, now);
            return;
        }
        boolean fromClient = t.foundSrcIsA() == t.clientIsA(i);
        t.lastSeen(i, now);
        if (!fromClient && (fl & (DecodedFrame.SYN | DecodedFrame.RST)) == 0
                && !t.flag(i, ConnectionTable.F_SERVER_TTL_RECORDED)) {
            recordOtherTtl(i, f, now);
        }
        // Timeouts are exact: a segment arriving after an attempt's timeout first concludes it, even
        // if the periodic sweep has not run yet.
        byte state = t.state(i);
        if (state == SYN_SENT && now - t.lastSyn(i) >= config.synTimeoutNanos()) {
            conclude(i, Outcome.NO_RESPONSE, t.lastSyn(i), null);
        } else if (state == SYN_ACK_SEEN && now - t.lastSynAck(i) >= config.synAckTimeoutNanos()) {
            concludeAnswered(i, now);
        }
        switch (t.state(i)) {
            case SYN_SENT -> synSent(f, i, fromClient, now);
            case SYN_ACK_SEEN -> synAckSeen(f, i, fromClient, now);
            case ESTABLISHED -> established(f, i, fromClient, now);
            case CONCLUDED -> concluded(f, i, fromClient, now);
            case MIDSTREAM -> midstream(f, i, fromClient, now);
            default -> { }
        }
    }

    private void onUnknown(DecodedFrame f, long now) {
        final ConnectionTable t = table;
        if (f.isSyn() && f.ttl() < PROBE_TTL) {
            // hping3 -T, mtr --tcp, tcptraceroute: a SYN sent to die on the way, not an attempt.
            stats.tracerouteProbes++;
        } else if (f.isSyn()) {
            int i = t.insert(f.srcHi(), f.srcLo(), f.srcPort(), f.dstHi(), f.dstLo(), f.dstPort(), SYN_SENT, now);
            t.clientIsA(i, t.foundSrcIsA());
            startAttempt(i, f, now);
        } else if (f.isSynAck()) {
            // The SYN was not seen (capture started mid-handshake, or asymmetric capture).
            int i = t.insert(f.srcHi(), f.srcLo(), f.srcPort(), f.dstHi(), f.dstLo(), f.dstPort(), SYN_ACK_SEEN, now);
            t.clientIsA(i, !t.foundSrcIsA());
            stats.attempts++;
            stats.synAcks++;
            t.clientIsn(i, f.ack() - 1);
            acceptSynAck(i, f, now);
        } else if (f.window() == 0 && (f.tcpFlags() & (DecodedFrame.RST | DecodedFrame.SYN | DecodedFrame.FIN)) == 0) {
            // A zero window in a connection whose handshake we missed: follow it; the well-known
            // (lower) port is taken for the server's.
            stats.midstreamSegments++;
            int i = t.insert(f.srcHi(), f.srcLo(), f.srcPort(), f.dstHi(), f.dstLo(), f.dstPort(), MIDSTREAM, now);
            boolean srcIsServer = f.srcPort() < f.dstPort();
            t.clientIsA(i, srcIsServer != t.foundSrcIsA());
            trackWindow(i, f, srcIsServer, now);
        } else {
            stats.midstreamSegments++;
        }
    }

    private void startAttempt(int i, DecodedFrame f, long now) {
        final ConnectionTable t = table;
        if (knownClients.contains(f.srcHi(), f.srcLo())) {
            t.setFlag(i, ConnectionTable.F_REAL_CLIENT);
        }
        stats.attempts++;
        stats.syns++;
        t.clientIsn(i, f.seq());
        t.firstSyn(i, now);
        t.lastSyn(i, now);
        t.synCount(i, 1);
        t.clientSide(i, f.side());
        t.clientOptions(i, options(f));
        t.lastTtl(i, f.ttl()); // the SYN's until an answer concludes the attempt (an ICMP error reads it)
        if (f.mss() >= 0) stats.clientMss++;
        if (f.windowScale() >= 0) stats.clientWindowScale++;
        if (f.sackPermitted()) stats.clientSackPermitted++;
        if (f.timestamps()) stats.clientTimestamps++;
    }

    private static int options(DecodedFrame f) {
        int o = OPT_PRESENT | (f.mss() >= 0 ? f.mss() & 0xFFFF : 0);
        if (f.windowScale() >= 0) {
            o |= ((f.windowScale() & 0xF) + 1) << 16;
        }
        if (f.sackPermitted()) {
            o |= OPT_SACK;
        }
        if (f.timestamps()) {
            o |= OPT_TS;
        }
        return o;
    }

    private void acceptSynAck(int i, DecodedFrame f, long now) {
        final ConnectionTable t = table;
        t.serverIsn(i, f.seq());
        if (t.synCount(i) >= 2) {
            // Only SYNs before the answer: one retransmitted after it means the SYN/ACK was lost
            // toward the client, not that the server was slow to answer.
            t.setFlag(i, ConnectionTable.F_SYN_RETRIED);
        }
        t.firstSynAck(i, now);
        t.lastSynAck(i, now);
        t.synAckCount(i, 1);
        t.serverTtl(i, f.ttl());
        t.serverOptions(i, options(f));
        t.state(i, SYN_ACK_SEEN);
        t.outcome(i, null);
        if (f.mss() >= 0) stats.serverMss++;
        if (f.windowScale() >= 0) stats.serverWindowScale++;
        if (f.sackPermitted()) stats.serverSackPermitted++;
        if (f.timestamps()) stats.serverTimestamps++;
        int host = servers.findOrInsert(f.srcHi(), f.srcLo(), ServerTable.HOST, now);
        if (servers.synAckTtl(host, f.ttl())) {
            listener.onHostReference(f.srcHi(), f.srcLo(), now);
        }
        t.setFlag(i, ConnectionTable.F_SERVER_TTL_RECORDED);
        if (t.firstSyn(i) != NONE) {
            long rtt = now - t.firstSyn(i);
            // Time from the SYN that got answered: the last one, if it was retransmitted.
            long fromLast = now - t.lastSyn(i);
            long sample = t.synCount(i) > 1 ? fromLast : rtt;
            int port = servers.findOrInsert(f.srcHi(), f.srcLo(), f.srcPort(), now);
            servers.addSynToSynAck(port, sample);
            stats.synToSynAckNanos += sample;
            stats.synToSynAckCount++;
        }
    }

    private void recordOtherTtl(int i, DecodedFrame f, long now) {
        int host = servers.findOrInsert(f.srcHi(), f.srcLo(), ServerTable.HOST, now);
        if (servers.otherTtl(host) < 0 && servers.otherTtl(host, f.ttl())) {
            listener.onHostReference(f.srcHi(), f.srcLo(), now);
        }
        table.setFlag(i, ConnectionTable.F_SERVER_TTL_RECORDED);
    }

    private void synSent(DecodedFrame f, int i, boolean fromClient, long now) {
        final ConnectionTable t = table;
        final int fl = f.tcpFlags();
        if (fromClient) {
            if (f.isSyn()) {
                if (f.seq() == t.clientIsn(i)) {
                    retransmittedSyn(i, now);
                } else {
                    // A new ISN on the same 4-tuple: the client gave up and tries again.
                    conclude(i, Outcome.NO_RESPONSE, t.lastSyn(i), null);
                    restart(i, f, now);
                }
            } else if ((fl & DecodedFrame.RST) != 0) {
                // The client abandons its own SYN: nothing to judge.
                table.remove(i);
            } else if ((fl & DecodedFrame.ACK) != 0) {
                // The client acknowledges a SYN/ACK the tap did not see: the server answered.
                t.established(i, now);
                t.state(i, ESTABLISHED);
                countServer(i, Outcome.OK, now);
                stats.handshakesOk++;
                listener.onOutcome(attempt.at(i), Outcome.OK, now, f);
                knownClients.add(t.clientHi(i), t.clientLo(i));
            }
            return;
        }
        if (f.isSynAck()) {
            stats.synAcks++;
            acceptSynAck(i, f, now);
        } else if ((fl & DecodedFrame.RST) != 0 && unacceptableRst(f, i)) {
            stats.unacceptableRsts++;
        } else if ((fl & DecodedFrame.RST) != 0) {
            t.lastTtl(i, f.ttl());
            conclude(i, Outcome.REFUSED, now, f);
        } else if ((fl & DecodedFrame.SYN) != 0 || (fl & DecodedFrame.ACK) != 0) {
            // A bare SYN answering a SYN (simultaneous open, split handshake) or a bare ACK (a
            // challenge ACK for an older connection, RFC 5961): the server is there, but this is
            // not a handshake the rules judge.
            stats.oddHandshakes++;
            conclude(i, Outcome.ODD, now, f);
        }
    }

    /**
     * A RST answering a SYN whose acknowledgment is not the SYN's (RFC 9293 section 3.10.7.3: in
     * SYN-SENT a RST with ACK is acceptable only when it acknowledges the ISN + 1): the client's
     * stack drops it, and the handshake goes on (an injector that guessed the number wrong,
     * zk_tcp_rst-inject-rae). Counted, not a refusal.
     */
    private boolean unacceptableRst(DecodedFrame f, int i) {
        return (f.tcpFlags() & DecodedFrame.ACK) != 0 && f.ack() != table.clientIsn(i) + 1;
    }

    private void retransmittedSyn(int i, long now) {
        // A retransmitted SYN is a real client's (flood SYNs are sent once): keep it over those.
        table.setFlag(i, ConnectionTable.F_REAL_CLIENT);
        table.synCount(i, table.synCount(i) + 1);
        table.lastSyn(i, now);
        stats.syns++;
        stats.synRetransmissions++;
    }

    private void restart(int i, DecodedFrame f, long now) {
        final ConnectionTable t = table;
        boolean clientIsA = t.clientIsA(i);
        t.resetValues(i, now);
        t.clientIsA(i, clientIsA);
        t.state(i, SYN_SENT);
        startAttempt(i, f, now);
    }

    private void synAckSeen(DecodedFrame f, int i, boolean fromClient, long now) {
        final ConnectionTable t = table;
        final int fl = f.tcpFlags();
        if (fromClient) {
            if (f.isSyn()) {
                if (f.seq() == t.clientIsn(i)) {
                    retransmittedSyn(i, now);
                } else {
                    concludeAnswered(i, now);
                    restart(i, f, now);
                }
            } else if ((fl & DecodedFrame.RST) != 0) {
                stats.clientAborts++;
                conclude(i, Outcome.CLIENT_ABORT, now, f);
            } else if ((fl & DecodedFrame.ACK) != 0) {
                t.established(i, now);
                t.state(i, ESTABLISHED);
                long sample = now - t.lastSynAck(i);
                int port = servers.findOrInsert(t.serverHi(i), t.serverLo(i), t.serverPort(i), now);
                servers.addSynAckToAck(port, sample);
                stats.synAckToAckNanos += sample;
                stats.synAckToAckCount++;
                stats.handshakesOk++;
                countServer(i, Outcome.OK, now);
                listener.onOutcome(attempt.at(i), Outcome.OK, now, f);
                knownClients.add(t.clientHi(i), t.clientLo(i));
                established(f, i, true, now); // its data, if any, is the client's first request
            }
            return;
        }
        if (f.isSynAck()) {
            t.synAckCount(i, t.synAckCount(i) + 1);
            t.lastSynAck(i, now);
            stats.synAcks++;
        } else if ((fl & DecodedFrame.RST) != 0 && t.synAckCount(i) == 1 && f.seq() == t.serverIsn(i) + 1) {
            // The client's ACK was not seen (live capture filters pure ACKs) but the server resets
            // from its ISN+1 right after one SYN/ACK: the handshake completed, then it reset.
            establishUnseen(i, now, f);
            established(f, i, false, now);
        } else if ((fl & DecodedFrame.RST) != 0) {
            // The server gives up on its half-open connection after retransmitting (or a middlebox does).
            stats.oddHandshakes++;
            conclude(i, Outcome.ODD, now, f);
        } else if ((fl & DecodedFrame.ACK) != 0) {
            // Any server segment after its SYN/ACK (data, a zero window, a FIN) means the client's
            // ACK arrived: the tap missed or filtered it.
            establishUnseen(i, now, f);
            established(f, i, false, now);
        }
    }

    private void establishUnseen(int i, long now, DecodedFrame f) {
        final ConnectionTable t = table;
        t.established(i, t.lastSynAck(i));
        t.state(i, ESTABLISHED);
        stats.handshakesOk++;
        countServer(i, Outcome.OK, now);
        listener.onOutcome(attempt.at(i), Outcome.OK, now, f);
        knownClients.add(t.clientHi(i), t.clientLo(i));
    }

    private void established(DecodedFrame f, int i, boolean fromClient, long now) {
        final ConnectionTable t = table;
        final int fl = f.tcpFlags();
        if (!fromClient && f.isSynAck()) {
            if (t.outcome(i) == Outcome.OK_UNCONFIRMED && f.seq() == t.serverIsn(i)) {
                // The SYN/ACK is retransmitted after all (slower than the timeout): the ACK never came.
                t.synAckCount(i, t.synAckCount(i) + 1);
                t.lastSynAck(i, now);
                stats.synAcks++;
                stats.handshakesOk--;
                countServer(i, Outcome.OK_UNCONFIRMED, now, -1);
                t.established(i, NONE);
                conclude(i, Outcome.NO_FINAL_ACK, now, null);
            } else if (f.seq() == t.serverIsn(i)) {
                synAckAfterAck(i, now);
            }
            return;
        }
        if (fromClient && (fl & DecodedFrame.ACK) != 0 && t.lastSynAck(i) > t.established(i)) {
            requestUnacknowledged(i, f, now);
        }
        if (fromClient && f.isSyn()) {
            if (f.seq() != t.clientIsn(i)) {
                // Port reuse: the previous connection is over.
                finishWindows(i, now);
                t.outcome(i, Outcome.CLOSED);
                restart(i, f, now);
            }
            return;
        }
        if ((fl & (DecodedFrame.SYN | DecodedFrame.RST)) == 0) {
            trackWindow(i, f, !fromClient, now);
            pathMtu.onSegment(i, f, fromClient, now);
        }
        if ((fl & DecodedFrame.RST) != 0) {
            // A receiver that closed its window and now resets: the zero window's end, not a refusal.
            boolean closedWindow = t.zeroSince(i, !fromClient) != NONE;
            if (closedWindow) {
                endZeroWindow(i, !fromClient, now, true);
            }
            finishWindows(i, now);
            int isn = fromClient ? t.clientIsn(i) : t.serverIsn(i);
            int dataFlag = fromClient ? ConnectionTable.F_CLIENT_DATA : ConnectionTable.F_SERVER_DATA;
            boolean nothingSent = f.seq() == isn + 1 && !t.flag(i, dataFlag);
            t.lastTtl(i, f.ttl());
            if (!fromClient && !closedWindow && endedBeforeAnswer(f, i, now, nothingSent)) {
                return;
            }
            if (nothingSent && fromClient) {
                stats.clientAborts++;
                conclude(i, Outcome.CLIENT_ABORT, now, f);
            } else {
                stats.abortiveCloses++;
                conclude(i, Outcome.ABORTED, now, f);
            }
            return;
        }
        if (f.payloadLength() > 0) {
            int dataFlag = fromClient ? ConnectionTable.F_CLIENT_DATA : ConnectionTable.F_SERVER_DATA;
            if (!t.flag(i, dataFlag) && firstData(f, i, fromClient, now)) {
                return;
            }
            t.setFlag(i, dataFlag);
        }
        if ((fl & DecodedFrame.FIN) != 0 && !fromClient && endedBeforeAnswer(f, i, now, false)) {
            return;
        }
        if ((fl & DecodedFrame.FIN) != 0) {
            t.setFlag(i, fromClient ? ConnectionTable.F_CLIENT_FIN : ConnectionTable.F_SERVER_FIN);
            if (t.flag(i, ConnectionTable.F_CLIENT_FIN) && t.flag(i, ConnectionTable.F_SERVER_FIN)) {
                finishWindows(i, now);
                t.outcome(i, Outcome.CLOSED);
                t.state(i, CONCLUDED);
            }
        }
    }

    /**
     * The server retransmits its SYN/ACK (same ISN) although the client acknowledged it: the
     * server never took the client's ACK (a full accept queue drops it, TCP_DEFER_ACCEPT waits for
     * data). Judged only once the client has sent data the server left unacknowledged (a bare ACK
     * waiting for a banner is TCP_DEFER_ACCEPT at work). The attempt's first such SYN/ACK is the one
     * after its ACK: its previous SYN/ACK came before the handshake completed.
     */
    private void synAckAfterAck(int i, long now) {
        final ConnectionTable t = table;
        boolean firstOfAttempt = t.lastSynAck(i) <= t.established(i);
        t.synAckCount(i, t.synAckCount(i) + 1);
        t.lastSynAck(i, now);
        stats.synAcks++;
        stats.synAcksAfterAck++;
        // A server that already sent data had taken the connection: the SYN/ACK is a duplicate
        // (the same flow captured twice, on two VLANs), not a server that never took the ACK.
        if (t.flag(i, ConnectionTable.F_CLIENT_DATA) && !t.flag(i, ConnectionTable.F_SERVER_DATA)) {
            listener.onSynAckAfterAck(attempt.at(i), now, firstOfAttempt, 1, -1);
        }
    }

    /**
     * A client segment still acknowledging only the server's SYN after the server retransmitted
     * its SYN/ACK: what it says the client sent (its request, retransmitted) was never acknowledged.
     */
    private void requestUnacknowledged(int i, DecodedFrame f, long now) {
        final ConnectionTable t = table;
        long sent = clientBytesSent(i, f);
        if (f.ack() == t.serverIsn(i) + 1 && sent > 0) {
            listener.onSynAckAfterAck(attempt.at(i), now, false, 0, sent);
        }
    }

    /** What the client had sent by this segment of its (seq and payload past its ISN + 1). */
    private long clientBytesSent(int i, DecodedFrame f) {
        long sent = (f.seq() - (table.clientIsn(i) + 1)) & 0xFFFF_FFFFL;
        sent += f.payloadLength();
        // a seq below the ISN + 1 (a keep-alive probe) is no data
        return sent > Integer.MAX_VALUE ? 0 : sent;
    }

    /**
     * The live filter keeps no bare ACK: an attempt concluded {@code no_final_ack} whose client,
     * which never retransmitted its SYN, later sends a segment (data, FIN, RST: those pass)
     * acknowledging the server's ISN + 1 had completed the handshake after all. The verdict is
     * taken back; when that segment says the client had sent data, every SYN/ACK after the first
     * was retransmitted after its ACK: the server did not take it ({@code server_overloaded}).
     */
    private void clientAckedAfterAll(int i, DecodedFrame f, long now) {
        final ConnectionTable t = table;
        if (f.isSyn() || (f.tcpFlags() & DecodedFrame.ACK) == 0 || f.ack() != t.serverIsn(i) + 1
                || t.synCount(i) > 1) {
            return;
        }
        listener.onRetract(attempt.at(i), Outcome.NO_FINAL_ACK);
        countServer(i, Outcome.NO_FINAL_ACK, now, -1);
        stats.handshakesFailed--;
        t.outcome(i, null);
        t.established(i, t.firstSynAck(i));
        t.state(i, ESTABLISHED);
        stats.handshakesOk++;
        countServer(i, Outcome.OK, now);
        listener.onOutcome(attempt.at(i), Outcome.OK, now, f);
        knownClients.add(t.clientHi(i), t.clientLo(i));
        long sent = clientBytesSent(i, f);
        if (sent > 0 && t.synAckCount(i) >= 2) {
            stats.synAcksAfterAck += t.synAckCount(i) - 1;
            listener.onSynAckAfterAck(attempt.at(i), now, true, t.synAckCount(i) - 1, sent);
        }
        established(f, i, true, now);
    }

    /**
     * A server RST before any server data is a refusal only if the client was still waiting for
     * the server: it had not closed its side (a RST answering the client's FIN is a close), and it
     * had sent a request (seen, or implied by the RST acknowledging more than the SYN), or the RST
     * came within {@link #RESET_IDLE_MAX_NANOS} of the handshake. A server dropping a connection the
     * client left idle for long (a browser's pre-connection) is an idle timeout, not a failure.
     */
    private boolean serverRefusedAfterAccept(DecodedFrame f, int i, long now) {
        final ConnectionTable t = table;
        if (t.flag(i, ConnectionTable.F_CLIENT_FIN) || forgottenByFullQueue(f, i)) {
            return false;
        }
        boolean clientSentRequest = t.flag(i, ConnectionTable.F_CLIENT_DATA)
                || ((f.tcpFlags() & DecodedFrame.ACK) != 0 && f.ack() != t.clientIsn(i) + 1);
        return clientSentRequest || now - t.established(i) <= RESET_IDLE_MAX_NANOS;
    }

    /**
     * A server whose accept queue was full never took the connection (it retransmitted its
     * SYN/ACK after the client's ACK, the client's request unanswered): once it gives up on the
     * handshake (Linux: {@code tcp_synack_retries}, ~7 s) it answers the client's next segment as
     * one of no connection it knows: a RST from the segment's ACK number, without the ACK flag
     * (RFC 9293 3.10.7.1). That is the full queue's doing, already counted by
     * {@code server_overloaded}, not a refusal of its own: a server's own reset of a connection
     * it accepted carries the ACK flag.
     */
    private boolean forgottenByFullQueue(DecodedFrame f, int i) {
        final ConnectionTable t = table;
        return (f.tcpFlags() & DecodedFrame.ACK) == 0 && t.lastSynAck(i) > t.established(i)
                && t.flag(i, ConnectionTable.F_CLIENT_DATA) && !t.flag(i, ConnectionTable.F_SERVER_DATA);
    }

    /**
     * The first data segment of one side. The client's is its request (kept in the request table);
     * the server side's answers it, and ends the connection as a {@code tls_failure} when it shows
     * the ClientHello failed (a fatal alert, plain text).
     * @return whether it concluded the connection
     */
    private boolean firstData(DecodedFrame f, int i, boolean fromClient, long now) {
        if (fromClient) {
            requests.request(table, i, f, now);
            return false;
        }
        int r = requests.answer(table, i, f);
        if (r < 0) {
            return false;
        }
        table.lastTtl(i, f.ttl());
        concludeAfterRequest(i, r, Outcome.TLS_FAILURE, now, f);
        return true;
    }

    /**
     * A RST or FIN from the server side while the client's request waits for its first answer:
     * a ClientHello so ended is a {@code tls_failure}; any request reset or closed by a device
     * whose hop distance is not the server's within {@link #RESET_IDLE_MAX_NANOS} of it (a content
     * filter, an IPS) is a {@code reset}; and, for a RST, the server's own refusal before sending
     * anything (the rule of {@link #serverRefusedAfterAccept}) is one too.
     * @param refusal the segment is a RST from the server's ISN+1 before any server data
     * @return whether it concluded the connection
     */
    private boolean endedBeforeAnswer(DecodedFrame f, int i, long now, boolean refusal) {
        final ConnectionTable t = table;
        boolean rst = (f.tcpFlags() & DecodedFrame.RST) != 0;
        int r = t.flag(i, ConnectionTable.F_CLIENT_DATA) && !t.flag(i, ConnectionTable.F_SERVER_DATA)
                && !t.flag(i, ConnectionTable.F_CLIENT_FIN) ? requests.find(t, i) : -1;
        if (r >= 0 && requests.clientHello(r)) {
            t.lastTtl(i, f.ttl());
            requests.ended(r, rst ? RequestTable.RESET : RequestTable.CLOSED);
            concludeAfterRequest(i, r, Outcome.TLS_FAILURE, now, f);
            return true;
        }
        boolean middlebox = r >= 0 && now - requests.view(r).time() <= RESET_IDLE_MAX_NANOS && t.serverTtl(i) >= 0
                && hopDistance(f.ttl()) != hopDistance(t.serverTtl(i));
        if (middlebox || (rst && refusal && serverRefusedAfterAccept(f, i, now))) {
            t.lastTtl(i, f.ttl());
            concludeAfterRequest(i, r, Outcome.RESET, now, f);
            return true;
        }
        return false;
    }

    /** Concludes with the connection's request (entry {@code r}, or -1) attached to the outcome, then forgets it. */
    private void concludeAfterRequest(int i, int r, Outcome o, long now, DecodedFrame f) {
        if (o == Outcome.TLS_FAILURE) {
            stats.tlsFailures++;
        }
        attempt.request(r >= 0 ? requests.view(r) : null);
        conclude(i, o, now, f);
        attempt.request(null);
        if (r >= 0) {
            requests.remove(r);
        }
    }

    /** Hop distance as docs/diagnosis-rules.md "Who sent the RST" defines it: the nearest initial TTL above, minus the TTL. */
    static int hopDistance(int ttl) {
        int initial = ttl <= 32 ? 32 : ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
        return initial - ttl;
    }

    private void midstream(DecodedFrame f, int i, boolean fromClient, long now) {
        final int fl = f.tcpFlags();
        stats.midstreamSegments++;
        if ((fl & (DecodedFrame.RST | DecodedFrame.FIN)) != 0) {
            finishWindows(i, now);
            table.remove(i);
            return;
        }
        if ((fl & DecodedFrame.SYN) == 0) {
            trackWindow(i, f, !fromClient, now);
        }
    }

    private void concluded(DecodedFrame f, int i, boolean fromClient, long now) {
        final ConnectionTable t = table;
        Outcome previous = t.outcome(i);
        if (fromClient && f.isSyn()) {
            if (f.seq() == t.clientIsn(i)) {
                retransmittedSyn(i, now);
                if (previous != null && previous.synFailure()) {
                    listener.onLateSyn(attempt.at(i), now);
                }
            } else {
                restart(i, f, now);
            }
            return;
        }
        if (fromClient && previous == Outcome.NO_FINAL_ACK) {
            clientAckedAfterAll(i, f, now);
            return;
        }
        if (fromClient || previous != Outcome.NO_RESPONSE) {
            return;
        }
        // A late answer to an attempt already concluded as unanswered: correct the verdict.
        final int fl = f.tcpFlags();
        if (f.isSynAck() || (fl & DecodedFrame.RST) != 0) {
            listener.onRetract(attempt.at(i), previous);
            countServer(i, previous, now, -1);
            stats.handshakesFailed--;
            if (f.isSynAck()) {
                stats.synAcks++;
                acceptSynAck(i, f, now);
            } else {
                t.lastTtl(i, f.ttl());
                conclude(i, Outcome.REFUSED, now, f);
            }
        }
    }

    /** An ICMP fragmentation needed or ICMPv6 packet too big quoting a TCP segment (either side's). */
    public void onTooBig(DecodedFrame f) {
        pathMtu.onTooBig(f);
    }

    /**
     * An ICMP/ICMPv6 error that can answer a SYN (destination unreachable, time exceeded,
     * parameter problem: {@code Tracker.answersSyn}) quoting a TCP segment from a client.
     */
    public void onUnreachable(DecodedFrame f) {
        final ConnectionTable t = table;
        final long now = f.timeNanos();
        int i = t.find(f.quotedSrcHi(), f.quotedSrcLo(), f.quotedSrcPort(),
                f.quotedDstHi(), f.quotedDstLo(), f.quotedDstPort());
        if (i < 0 && timeExceeded(f)) {
            // The tap sees every SYN: one it did not follow was a traceroute probe (or a SYN the
            // table had no room for), and its TTL running out is what a probe is sent for.
            stats.icmpUnmatched++;
            return;
        }
        if (i < 0) {
            // The SYN was not seen, but the ICMP error proves one was sent.
            i = t.insert(f.quotedSrcHi(), f.quotedSrcLo(), f.quotedSrcPort(),
                    f.quotedDstHi(), f.quotedDstLo(), f.quotedDstPort(), SYN_SENT, now);
            t.clientIsA(i, t.foundSrcIsA());
            stats.attempts++;
            t.clientIsn(i, f.quotedSeqPresent() ? f.quotedSeq() : 0);
            conclude(i, Outcome.UNREACHABLE, now, f);
            return;
        }
        boolean quotesClient = t.foundSrcIsA() == t.clientIsA(i);
        if (!quotesClient || (f.quotedSeqPresent() && f.quotedSeq() != t.clientIsn(i))) {
            stats.icmpUnmatched++;
            return;
        }
        byte s = t.state(i);
        if (s == SYN_SENT) {
            conclude(i, Outcome.UNREACHABLE, now, f);
        } else if (s == CONCLUDED && t.outcome(i) == Outcome.NO_RESPONSE) {
            listener.onRetract(attempt.at(i), Outcome.NO_RESPONSE);
            countServer(i, Outcome.NO_RESPONSE, now, -1);
            stats.handshakesFailed--;
            conclude(i, Outcome.UNREACHABLE, now, f);
        } else {
            stats.icmpUnmatched++;
        }
    }

    private static boolean timeExceeded(DecodedFrame f) {
        return f.icmpType() == (f.ipVersion() == 4 ? 11 : 3);
    }

    private void trackWindow(int i, DecodedFrame f, boolean serverSide, long now) {
        final ConnectionTable t = table;
        long since = t.zeroSince(i, serverSide);
        if (f.window() == 0) {
            if (since == NONE) {
                t.zeroSince(i, serverSide, now);
                t.zeroSegments(i, serverSide, 1);
            } else {
                t.zeroSegments(i, serverSide, t.zeroSegments(i, serverSide) + 1);
            }
        } else if (since != NONE) {
            endZeroWindow(i, serverSide, now);
        }
    }

    private void endZeroWindow(int i, boolean serverSide, long until) {
        endZeroWindow(i, serverSide, until, false);
    }

    /** @param byRst the side whose window was closed ended the connection with a RST */
    private void endZeroWindow(int i, boolean serverSide, long until, boolean byRst) {
        final ConnectionTable t = table;
        long since = t.zeroSince(i, serverSide);
        if (until - since >= config.zeroWindowMinNanos()) {
            listener.onZeroWindow(attempt.at(i), serverSide, since, until, t.zeroSegments(i, serverSide), byRst);
        }
        t.zeroSince(i, serverSide, NONE);
        t.zeroSegments(i, serverSide, 0);
    }

    private void finishWindows(int i, long until) {
        if (table.zeroSince(i, true) != NONE) {
            endZeroWindow(i, true, until);
        }
        if (table.zeroSince(i, false) != NONE) {
            endZeroWindow(i, false, until);
        }
    }

    private void concludeAnswered(int i, long now) {
        final ConnectionTable t = table;
        if (t.synAckCount(i) >= 2) {
            conclude(i, Outcome.NO_FINAL_ACK, t.lastSynAck(i), null);
        } else {
            // Followed on as an established connection: its RST, FIN and zero windows still count.
            stats.handshakesOk++;
            countServer(i, Outcome.OK_UNCONFIRMED, t.lastSynAck(i));
            listener.onOutcome(attempt.at(i), Outcome.OK_UNCONFIRMED, t.lastSynAck(i), null);
            knownClients.add(t.clientHi(i), t.clientLo(i));
            t.outcome(i, Outcome.OK_UNCONFIRMED);
            t.established(i, t.lastSynAck(i));
            t.state(i, ESTABLISHED);
        }
    }

    private void conclude(int i, Outcome o, long time, DecodedFrame evidence) {
        final ConnectionTable t = table;
        Outcome answered = t.outcome(i) == Outcome.OK_UNCONFIRMED ? Outcome.OK_UNCONFIRMED : Outcome.OK;
        t.outcome(i, o);
        t.state(i, CONCLUDED);
        if (o.synFailure() || o == Outcome.NO_FINAL_ACK || o == Outcome.RESET) {
            stats.handshakesFailed++;
        }
        if (t.established(i) == NONE) {
            countServer(i, o, time);
        } else if (o == Outcome.RESET) {
            // Counted as OK when the handshake completed; a reset before any data makes it a failure.
            countServer(i, answered, time, -1);
            countServer(i, Outcome.RESET, time, 1);
            stats.handshakesOk--;
        }
        listener.onOutcome(attempt.at(i), o, time, evidence);
    }

    private void countServer(int i, Outcome o, long now) {
        countServer(i, o, now, 1);
    }

    private void countServer(int i, Outcome o, long now, int delta) {
        final ConnectionTable t = table;
        long h = t.serverHi(i), l = t.serverLo(i);
        int p = t.serverPort(i);
        int port = servers.findOrInsert(h, l, p, now);
        if (servers.countOutcome(port, o, delta)) {
            // The port's first answered attempt: the host's other ports may now be port_blocked.
            servers.addWorkingPort(h, l, p, now);
            listener.onPortWorks(h, l, p, now);
        }
    }

    /**
     * Concludes every attempt whose timeout has passed at {@code now} and drops entries that have
     * lingered or idled long enough. Call it as time advances (every sweep interval) and once at
     * the end of a capture.
     */
    public void expire(long now) {
        final ConnectionTable t = table;
        final int n = t.slots();
        // Empty slots are skipped through the table's bitmap, and blocks of 64 slots none of whose
        // entries is due yet through the table's bound per block: nothing changes while they are.
        for (int i = t.nextInUse(0); i < n; ) {
            if (now < t.dueBound(i)) {
                i = t.nextInUse((i | 63) + 1);
                continue;
            }
            int block = i;
            int blockEnd = Math.min((i | 63) + 1, n);
            for (; i < blockEnd; i = t.nextInUse(i + 1)) {
                expireSlot(i, now);
            }
            t.recomputeDue(block);
        }
        requests.expire(now);
    }

    /** The sweep's work on one slot: conclude or drop its entry when due. */
    private void expireSlot(int i, long now) {
        final ConnectionTable t = table;
        final TrackerConfig c = config;
        final int n = t.slots();
        // Re-examine slot i after a removal: backward shift may have moved an entry into it.
        for (int guard = 0; guard < n; guard++) {
            byte s = t.state(i);
            if (s == ConnectionTable.EMPTY) {
                break;
            }
            boolean removed = false;
            if (s == SYN_SENT) {
                if (now - t.lastSyn(i) >= c.synTimeoutNanos()) {
                    conclude(i, Outcome.NO_RESPONSE, t.lastSyn(i), null);
                }
            } else if (s == SYN_ACK_SEEN) {
                if (now - t.lastSynAck(i) >= c.synAckTimeoutNanos()) {
                    concludeAnswered(i, now);
                }
            } else if (s == ESTABLISHED || s == MIDSTREAM) {
                if (now - t.lastSeen(i) >= c.idleTimeoutNanos()) {
                    finishWindows(i, t.lastSeen(i));
                    t.remove(i);
                    removed = true;
                }
            } else if (s == CONCLUDED) {
                long end = Math.max(t.lastSeen(i), t.lastSyn(i));
                if (now - end >= c.lingerNanos()) {
                    t.remove(i);
                    removed = true;
                }
            }
            if (!removed) {
                break;
            }
        }
    }

    /**
     * End of a capture: conclude what the timeouts allow at {@code end}, and close open zero
     * windows. An attempt cut short by the end of the capture is still judged when its own side
     * already gave up waiting once: a SYN (or SYN/ACK) retransmitted at least {@link #MIN_RTO_NANOS}
     * after the first means the sender waited a full retransmission timeout for nothing.
     */
    public void finish(long end) {
        expire(end);
        final ConnectionTable t = table;
        for (int i = t.nextInUse(0); i < t.slots(); i = t.nextInUse(i + 1)) {
            byte s = t.state(i);
            if (s == SYN_SENT && t.synCount(i) >= 2 && t.lastSyn(i) - t.firstSyn(i) >= MIN_RTO_NANOS) {
                conclude(i, Outcome.NO_RESPONSE, t.lastSyn(i), null);
            } else if (s == SYN_ACK_SEEN && t.synAckCount(i) >= 2
                    && t.lastSynAck(i) - t.firstSynAck(i) >= MIN_RTO_NANOS) {
                conclude(i, Outcome.NO_FINAL_ACK, t.lastSynAck(i), null);
            }
            if (s == ESTABLISHED || s == MIDSTREAM) {
                // A window still closed at the end lasted at least until the connection's last segment.
                finishWindows(i, t.lastSeen(i));
            }
        }
    }
}
