package org.tapdoctor.diagnose.kinds;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.tapdoctor.diagnose.AttemptRule;
import org.tapdoctor.diagnose.Clients;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.EvidenceWriter;
import org.tapdoctor.diagnose.Facts;
import org.tapdoctor.diagnose.FrameSelection;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.Lcd;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.diagnose.Problem;
import org.tapdoctor.diagnose.ProblemTable;
import org.tapdoctor.diagnose.RstOrigin;
import org.tapdoctor.diagnose.Severity;
import org.tapdoctor.track.Attempt;
import org.tapdoctor.track.Outcome;
import org.tapdoctor.track.Request;
import org.tapdoctor.track.RequestTable;
import org.tapdoctor.wire.DecodedFrame;
import org.tapdoctor.wire.TlsAlert;
import org.tapdoctor.wire.TlsVersion;

/**
 * {@code tls_failure}: the TCP handshake completed, the client sent a TLS ClientHello, and the
 * server side answered it with a fatal plaintext alert, plain text, or a RST or FIN before any
 * ServerHello (docs/diagnosis-rules.md section 1): the TLS handshake failed, and the alert says why
 * (protocol_version, unrecognized_name, handshake_failure...). Who answered, by hop distance as for
 * a RST: the server, or a middlebox (an SNI filter resetting the ClientHello). One diagnosis: a
 * ClientHello a middlebox reset is this, not a {@code reset}. Aggregated per (server, port); the
 * first failure's server name and answer are kept.
 */
public final class TlsFailure extends AttemptRule<TlsFailure.Evidence> {
    /**
     * The first failure: its answer (bits 0-7), alert level + 1 (8-15), alert description + 1
     * (16-23), the server name's full length (24-31); the offered version; the answer's TTL; the
     * connection's SYN/ACK TTL; the client's bytes; nanoseconds from the ClientHello to the answer.
     */
    private static final int ANSWER = 0, CLIENT_VERSION = 1, ANSWER_TTL = 2, SYN_ACK_TTL = 3, CLIENT_BYTES = 4, AFTER = 5;

    /**
     * @param sni the ClientHello's server name, null when it sent none (or it was not captured); cut
     *        names end in {@code ...}
     * @param clientVersion the version it offered first (supported_versions, else legacy_version), null when not read
     * @param answer {@code alert}, {@code reset}, {@code closed} or {@code plaintext}
     * @param alert the fatal alert's name, null unless {@code answer} is {@code alert}
     * @param from who answered (the alert's or the RST/FIN's sender), by hop distance
     * @param clientBytes the bytes the client had sent (the ClientHello)
     * @param afterMs milliseconds from the ClientHello to the answer
     * @param clients distinct clients
     */
    public record Evidence(String sni, String clientVersion, String answer, String alert, RstOrigin from,
                           long clientBytes, long afterMs, Clients clients) implements org.tapdoctor.diagnose.Evidence {
        @Override
        public void write(EvidenceWriter w) {
            if (sni != null) {
                w.put("sni", sni);
            }
            if (clientVersion != null) {
                w.put("client_version", clientVersion);
            }
            w.put("answer", answer);
            if (alert != null) {
                w.put("alert", alert);
                w.put("alert_level", "fatal");
                w.put("alert_from", from.from().label());
            } else {
                // A RST, FIN or plain text answering the ClientHello: the request was sent.
                from.writeFrom(w);
                w.put("after_request", true);
            }
            w.put("client_bytes", clientBytes);
            w.put("after_ms", afterMs);
            if (alert != null) {
                w.put("alert_ttl", from.rstTtl());
                if (from.referenceTtl() >= 0) {
                    w.put(RstOrigin.SERVER_TTL, from.referenceTtl());
                }
            } else {
                from.writeTtls(w);
            }
            clients.write(w);
        }

        @Override
        public void writeKeptByHostFold(EvidenceWriter w) {
            w.put("answer", answer);
        }
    }

    public TlsFailure(Kind kind) {
        super(kind, Severity.CRITICAL,
                "the TLS handshake failed: the ClientHello was answered by a fatal alert, plain text, or a RST or FIN",
                Evidence.class);
    }

    @Override
    public Set<Outcome> outcomes() {
        return Set.of(Outcome.TLS_FAILURE);
    }

    @Override
    public boolean decides(Attempt a, Outcome o) {
        return a.request() != null && a.request().clientHello();
    }

    @Override
    public boolean foldsByHost() {
        return true;
    }

    @Override
    protected void record(Problem p, Attempt a, long time, DecodedFrame answer) {
        if (p.value(ANSWER) >= 0) {
            return;
        }
        Request r = a.request();
        p.value(ANSWER, r.answer() | (long) (r.alertLevel() + 1) << 8 | (long) (r.alertDescription() + 1) << 16
                | (long) r.sniLength() << 24);
        p.value(CLIENT_VERSION, r.clientVersion());
        p.value(ANSWER_TTL, answer != null ? answer.ttl() : -1);
        p.value(SYN_ACK_TTL, a.serverTtl());
        p.value(CLIENT_BYTES, r.clientBytes());
        p.value(AFTER, time - r.time());
        p.name(r.sniBytes(), r.sniOffset(), r.sniLength());
    }

    @Override
    protected Evidence evidence(Problem p, Facts facts) {
        long v = p.value(ANSWER);
        int answer = (int) (v & 0xFF);
        int description = (int) ((v >>> 16) & 0xFF) - 1;
        int sniLength = (int) ((v >>> 24) & 0xFF);
        String sni = sniLength == 0 ? null
                : new String(p.names(), p.nameOffset(), p.nameLength(), StandardCharsets.US_ASCII)
                        + (sniLength > ProblemTable.MAX_NAME ? "..." : "");
        int version = (int) p.value(CLIENT_VERSION);
        RstOrigin from = RstOrigin.judge((int) p.value(ANSWER_TTL), (int) p.value(SYN_ACK_TTL));
        return new Evidence(sni, version >= 0 ? TlsVersion.label(version) : null, RequestTable.answerLabel(answer),
                answer == RequestTable.ALERT ? TlsAlert.label(description) : null, from,
                Math.max(0, p.value(CLIENT_BYTES)), Math.max(0, p.value(AFTER)) / 1_000_000, p.clients());
    }

    @Override
    protected String summary(Endpoint client, Endpoint server, long count, Evidence e) {
        String who = e.from.fromMiddlebox() ? "a middlebox" : "the server";
        String hello = "the TLS ClientHello" + (e.sni != null ? " for " + e.sni : "");
        String answered = switch (e.answer) {
            case "alert" -> who + " answered " + hello + " with a fatal " + e.alert + " alert";
            case "reset" -> who + " reset " + hello + " " + e.afterMs + " ms after the client sent it, before any ServerHello";
            case "closed" -> who + " closed the connection after " + hello + ", before any ServerHello";
            default -> "the server answered " + hello + " in plain text: it does not speak TLS on this port";
        };
        String why = e.from.fromMiddlebox() && !e.answer.equals("plaintext")
                ? ": a filter between the tap and the server blocks this TLS connection"
                : e.answer.equals("alert") ? ": the server refuses the handshake" : ": the TLS handshake failed";
        return server + ": " + answered + why;
    }

    @Override
    protected String lcdTag(Evidence e) {
        return "TLS";
    }

    @Override
    protected String lcdDetail(Diagnosis d, Evidence e) {
        return e.alert != null ? e.alert : e.answer + " by " + Lcd.from(e.from);
    }

    @Override
    protected Fault fault(Diagnosis d, Evidence e) {
        return e.from.fromMiddlebox() ? Fault.MIDDLEBOX : Fault.BEYOND_TAP;
    }

    @Override
    protected FrameSelection frames(Diagnosis d, Evidence e) {
        return FrameSelection.attempts(d, e.clients, FrameSelection.TCP);
    }
}
