package org.tapdoctor.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tapdoctor.diagnose.Wire.ACK;
import static org.tapdoctor.diagnose.Wire.FIN;
import static org.tapdoctor.diagnose.Wire.PSH;
import static org.tapdoctor.diagnose.Wire.RST;
import static org.tapdoctor.diagnose.Wire.summary;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@code reset} after the client's request (docs/diagnosis-rules.md section 1, "After the
 * request"), and the zero window a RST ends: what data had flowed is said truthfully, and a
 * server's own RST after data stays an abortive close. Servers at TTL 63, a middlebox at 64.
 */
class ResetAfterRequestTest {
    static final String C = "192.0.2.10", S = "198.51.100.20";

    @Test
    @KindTest(Kind.RESET)
    void shouldReportAMiddleboxResetRightAfterTheRequest() {
        Wire w = new Wire();
        w.handshake(0, C, 40000, S, 8080, 63).tcp(12, C, 40000, S, 8080, ACK | PSH, 1001, 5001, 64, 65535, 46);
        w.tcp(12, S, 8080, C, 40000, RST, 5001, 0, 64, 0, 0); // nft's RST: no ACK, its own TTL
        // The allowed request beside it: answered, closed.
        w.handshake(100, C, 40001, S, 8080, 63).tcp(112, C, 40001, S, 8080, ACK | PSH, 1001, 5001, 64, 65535, 41);
        w.tcp(113, S, 8080, C, 40001, ACK | PSH, 5001, 1042, 63, 65535, 200);
        w.tcp(114, C, 40001, S, 8080, FIN | ACK, 1042, 5201).tcp(115, S, 8080, C, 40001, FIN | ACK, 5201, 1043, 63, 65535, 0);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("reset 198.51.100.20:8080"), summary(ds));
        Diagnosis d = ds.get(0);
        assertEquals("middlebox", d.evidence().get("rst_from"));
        assertEquals(true, d.evidence().get("after_request"));
        assertEquals(46L, d.evidence().get("client_bytes"));
        assertEquals("198.51.100.20:8080 accepted the connection, then a middlebox reset it 0 ms after the client sent "
                + "its 46-byte request, before any answer: a content filter or IPS between the tap and the server blocked "
                + "the request", d.summary());
    }

    @Test
    void shouldSayWhetherDataHadFlowed() {
        Wire w = new Wire();
        // The server's own RST, acknowledging 10 bytes of request, before any answer.
        w.handshake(0, C, 40000, S, 8443, 63).tcp(12, C, 40000, S, 8443, ACK | PSH, 1001, 5001, 64, 65535, 10);
        w.tcp(20, S, 8443, C, 40000, RST | ACK, 5001, 1011, 63, 0, 0);
        // The server's RST right after the handshake, before the client sent anything.
        w.handshake(100, C, 40001, S, 8444, 63).tcp(112, S, 8444, C, 40001, RST | ACK, 5001, 1001, 63, 0, 0);
        // A middlebox's FIN right after the request.
        w.handshake(200, C, 40002, S, 8445, 63).tcp(212, C, 40002, S, 8445, ACK | PSH, 1001, 5001, 64, 65535, 30);
        w.tcp(213, S, 8445, C, 40002, FIN | ACK, 5001, 1031, 64, 65535, 0);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("reset 198.51.100.20:8443", "reset 198.51.100.20:8444", "reset 198.51.100.20:8445"), summary(ds));
        assertEquals(true, ds.get(0).evidence().get("after_request"));
        assertEquals(10L, ds.get(0).evidence().get("client_bytes"));
        assertEquals("server", ds.get(0).evidence().get("rst_from"));
        assertEquals(true, ds.get(0).summary().contains("8 ms after the client sent its 10-byte request"), ds.get(0).summary());
        assertEquals(false, ds.get(1).evidence().get("after_request"));
        assertEquals(null, ds.get(1).evidence().get("client_bytes"));
        assertEquals(true, ds.get(1).summary().contains("before any data"), ds.get(1).summary());
        assertEquals("fin", ds.get(2).evidence().get("ended_by"));
        assertEquals("middlebox", ds.get(2).evidence().get("rst_from"));
        assertEquals(30L, ds.get(2).evidence().get("client_bytes"));
    }

    @Test
    void shouldStaySilentOnAbortiveClosesAfterData() {
        Wire w = new Wire();
        // The client's RST after the reply; the server's RST after its reply.
        w.handshake(0, C, 40000, S, 9003, 63).tcp(12, C, 40000, S, 9003, ACK | PSH, 1001, 5001, 64, 65535, 5);
        w.tcp(13, S, 9003, C, 40000, ACK | PSH, 5001, 1006, 63, 65535, 5).tcp(14, C, 40000, S, 9003, RST | ACK, 1006, 5006);
        w.handshake(100, C, 40001, S, 9004, 63).tcp(112, C, 40001, S, 9004, ACK | PSH, 1001, 5001, 64, 65535, 5);
        w.tcp(113, C, 40001, S, 9004, FIN | ACK, 1006, 5001);
        w.tcp(114, S, 9004, C, 40001, ACK | PSH, 5001, 1007, 63, 65535, 64).tcp(314, S, 9004, C, 40001, RST | ACK, 5065, 1007, 63, 0, 0);
        // A middlebox RST after the server's answer (a NAT's idle timeout, say): not a blocked request.
        w.handshake(400, C, 40002, S, 9005, 63).tcp(412, C, 40002, S, 9005, ACK | PSH, 1001, 5001, 64, 65535, 5);
        w.tcp(413, S, 9005, C, 40002, ACK | PSH, 5001, 1006, 63, 65535, 5).tcp(5412, S, 9005, C, 40002, RST, 5006, 0, 64, 0, 0);
        w.idle(30_000);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of(), summary(ds));
    }

    @Test
    @KindTest(Kind.ZERO_WINDOW)
    void shouldTakeTheRstOfAReceiverWithAClosedWindowAsTheZeroWindowsEnd() {
        Wire w = new Wire();
        w.handshake(0, C, 40000, S, 9002, 63).tcp(12, C, 40000, S, 9002, ACK | PSH, 1001, 5001, 64, 65535, 1448);
        w.tcp(90, S, 9002, C, 40000, ACK, 5001, 2449, 63, 0, 0).tcp(1000, S, 9002, C, 40000, ACK, 5001, 2449, 63, 0, 0);
        w.tcp(3000, S, 9002, C, 40000, RST | ACK, 5001, 2449, 63, 2896, 0);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("zero_window 198.51.100.20:9002"), summary(ds));
        assertEquals("rst", ds.get(0).evidence().get("ended_by"));
        assertEquals("server", ds.get(0).evidence().get("side"));
    }
}
