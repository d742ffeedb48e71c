package org.tapdoctor.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tapdoctor.diagnose.Wire.ACK;
import static org.tapdoctor.diagnose.Wire.EPOCH;
import static org.tapdoctor.diagnose.Wire.FIN;
import static org.tapdoctor.diagnose.Wire.MS;
import static org.tapdoctor.diagnose.Wire.PSH;
import static org.tapdoctor.diagnose.Wire.RST;
import static org.tapdoctor.diagnose.Wire.summary;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Placement.Fault;
import org.tapdoctor.wire.TestPackets;

/**
 * {@code tls_failure} (docs/diagnosis-rules.md section 1, "After the request"): a ClientHello
 * answered by a fatal alert, plain text, or a RST or FIN before any ServerHello, beside the
 * handshakes that complete and the alerts that are no failure. Client 192.0.2.10; servers in
 * 198.51.100.0/24 at TTL 63 (one hop), a middlebox at 64; times in ms.
 */
class TlsFailureTest {
    static final String C = "192.0.2.10", S = "198.51.100.10";

    private static Wire hello(Wire w, long ms, int cport, int sport, String sni) {
        w.handshake(ms, C, cport, S, sport, 63);
        return w.frame(TestPackets.tcp(EPOCH + (ms + 20) * MS, C, cport, S, sport, ACK | PSH, 1001, 5001, 64,
                TestPackets.tlsClientHello(sni)));
    }

    private static Wire answer(Wire w, long ms, int cport, int sport, int ttl, byte[] payload) {
        return w.frame(TestPackets.tcp(EPOCH + ms * MS, S, sport, C, cport, ACK | PSH, 5001, 1001 + 130, ttl, payload));
    }

    /** The ServerHello, then the client's FIN and the server's: a handshake that worked. */
    private static Wire completed(Wire w, long ms, int cport, int sport) {
        hello(w, ms, cport, sport, "good.example.test");
        answer(w, ms + 22, cport, sport, 63, TestPackets.tlsServerHello());
        w.tcp(ms + 30, C, cport, S, sport, FIN | ACK, 1200, 6000);
        return w.tcp(ms + 31, S, sport, C, cport, FIN | ACK, 6000, 1201, 63, 65535, 0);
    }

    @Test
    @KindTest(Kind.TLS_FAILURE)
    void shouldReportAClientHelloAnsweredByAFatalAlert() {
        Wire w = new Wire();
        completed(w, 0, 40000, 4433);
        hello(w, 100, 40001, 4433, "srv.example.test");
        answer(w, 122, 40001, 4433, 63, TestPackets.tlsAlert(2, 70));
        completed(w, 200, 40002, 4433);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("tls_failure 198.51.100.10:4433"), summary(ds));
        Diagnosis d = ds.get(0);
        assertEquals("srv.example.test", d.evidence().get("sni"));
        assertEquals("TLS 1.3", d.evidence().get("client_version"));
        assertEquals("alert", d.evidence().get("answer"));
        assertEquals("protocol_version", d.evidence().get("alert"));
        assertEquals("fatal", d.evidence().get("alert_level"));
        assertEquals("server", d.evidence().get("alert_from"));
        assertEquals(Severity.CRITICAL, d.kind().severity());
        assertEquals(Fault.BEYOND_TAP, new Sides(List.of("tapA", "tapB")).place(d, 0).placement().fault());
        assertEquals("198.51.100.10:4433: the server answered the TLS ClientHello for srv.example.test with a fatal "
                + "protocol_version alert: the server refuses the handshake", d.summary());
    }

    @Test
    void shouldReportAMiddleboxResettingTheClientHelloAsOneTlsFailure() {
        Wire w = new Wire();
        completed(w, 0, 40000, 443);
        hello(w, 100, 40001, 443, "blocked.example.test");
        w.tcp(121, S, 443, C, 40001, RST, 5001, 0, 64, 0, 0); // nft's reset: no ACK, the router's TTL
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("tls_failure 198.51.100.10:443"), summary(ds));
        Diagnosis d = ds.get(0);
        assertEquals("blocked.example.test", d.evidence().get("sni"));
        assertEquals("reset", d.evidence().get("answer"));
        assertEquals("middlebox", d.evidence().get("rst_from"));
        assertEquals(true, d.evidence().get("after_request"));
        assertEquals((long) TestPackets.tlsClientHello("blocked.example.test").length, d.evidence().get("client_bytes"));
        assertEquals(Fault.MIDDLEBOX, new Sides(List.of("tapA", "tapB")).place(d, 0).placement().fault());
    }

    @Test
    void shouldReportPlainTextAndAServerFinAnsweringAClientHello() {
        Wire w = new Wire();
        hello(w, 0, 40000, 465, null);
        answer(w, 22, 40000, 465, 63, "220 mail.example.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
        hello(w, 100, 40001, 8443, "srv.example.test");
        w.tcp(122, S, 8443, C, 40001, FIN | ACK, 5001, 1131, 63, 65535, 0);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("tls_failure 198.51.100.10:465", "tls_failure 198.51.100.10:8443"), summary(ds));
        assertEquals("plaintext", ds.get(0).evidence().get("answer"));
        assertEquals(null, ds.get(0).evidence().get("sni"));
        assertEquals("closed", ds.get(1).evidence().get("answer"));
        assertEquals("server", ds.get(1).evidence().get("rst_from"));
    }

    @Test
    void shouldStaySilentOnHandshakesThatWorkAndAlertsThatAreNoFailure() {
        Wire w = new Wire();
        for (int i = 0; i < 10; i++) {
            completed(w, i * 100, 41000 + i, 443);
        }
        // A warning alert alone (an unrecognized_name some servers send), then nothing more.
        hello(w, 2000, 42000, 443, "other.example.test");
        answer(w, 2022, 42000, 443, 63, TestPackets.tlsAlert(1, 112));
        // A warning alert after the ServerHello in the same segment.
        hello(w, 2100, 42001, 443, "other.example.test");
        byte[] sh = TestPackets.tlsServerHello();
        byte[] alert = TestPackets.tlsAlert(1, 112);
        byte[] both = java.util.Arrays.copyOf(sh, sh.length + alert.length);
        System.arraycopy(alert, 0, both, sh.length, alert.length);
        answer(w, 2122, 42001, 443, 63, both);
        // The client's own RST after the ClientHello, and a server RST after its ServerHello.
        hello(w, 2200, 42002, 443, "srv.example.test");
        w.tcp(2225, C, 42002, S, 443, RST | ACK, 1131, 5001);
        hello(w, 2300, 42003, 443, "srv.example.test");
        answer(w, 2322, 42003, 443, 63, TestPackets.tlsServerHello());
        w.tcp(2400, S, 443, C, 42003, RST | ACK, 7000, 1131, 63, 0, 0);
        w.idle(30_000);
        assertEquals(List.of(), w.diagnoses());
    }
}
