package org.tapdoctor.track;

/** How a TCP handshake attempt ended, as far as the tap could see. See docs/diagnosis-rules.md section 1. */
public enum Outcome {
    /** SYN, SYN/ACK and the client's ACK were seen. */
    OK(true, false),
    /** SYN/ACK seen once and not retransmitted: the server got its ACK even if the tap did not see it. */
    OK_UNCONFIRMED(true, false),
    /** The server's SYN/ACK was retransmitted and the client never acknowledged it. */
    NO_FINAL_ACK(true, false),
    /** The client reset the attempt after the SYN/ACK or right after the handshake (scan, health check). */
    CLIENT_ABORT(true, false),
    /** Handshake completed, then the server side reset before sending any data. */
    RESET(true, false),
    /** Handshake completed, data flowed, then a RST: an ordinary abortive close. */
    ABORTED(true, false),
    /**
     * Handshake completed, the client's TLS ClientHello was answered by a fatal alert, plain text,
     * or a RST or FIN before any ServerHello.
     */
    TLS_FAILURE(true, false),
    /** Handshake completed and the connection ended normally (FINs, idle timeout, end of capture). */
    CLOSED(true, false),
    /** SYN answered by a RST. */
    REFUSED(false, true),
    /** SYN answered by an ICMP/ICMPv6 destination unreachable. */
    UNREACHABLE(false, true),
    /** SYN(s) and nothing back before the timeout. */
    NO_RESPONSE(false, true),
    /** A handshake the rules do not cover (simultaneous open, split handshake): counted only. */
    ODD(false, false);

    /** The outcomes in which the server sent a SYN/ACK (one copy: {@code values()} clones its array). */
    static final Outcome[] ANSWERED = java.util.Arrays.stream(values()).filter(Outcome::serverAnswered).toArray(Outcome[]::new);

    private final boolean serverAnswered;
    private final boolean synFailure;

    Outcome(boolean serverAnswered, boolean synFailure) {
        this.serverAnswered = serverAnswered;
        this.synFailure = synFailure;
    }

    /** The server sent a SYN/ACK: the port works, whatever happened next. */
    public boolean serverAnswered() {
        return serverAnswered;
    }

    /** The SYN itself failed (no SYN/ACK): the outcomes that make host- and port-level verdicts. */
    public boolean synFailure() {
        return synFailure;
    }
}
