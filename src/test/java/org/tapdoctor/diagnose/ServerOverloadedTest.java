package org.tapdoctor.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tapdoctor.diagnose.Wire.ACK;
import static org.tapdoctor.diagnose.Wire.FIN;
import static org.tapdoctor.diagnose.Wire.PSH;
import static org.tapdoctor.diagnose.Wire.RST;
import static org.tapdoctor.diagnose.Wire.SYN;
import static org.tapdoctor.diagnose.Wire.summary;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Placement.Fault;

/**
 * {@code server_overloaded} (docs/diagnosis-rules.md section 1, "Overloaded server"): a server
 * that retransmits its SYN/ACK after the client completed the handshake and sent its request,
 * beside the look-alikes that must stay silent (one retransmission then an answer, a bare ACK
 * waiting for a banner, a SYN/ACK lost toward the client). Client 192.0.2.10; server
 * 198.51.100.10:8001; times in ms.
 */
class ServerOverloadedTest {
    static final String C = "192.0.2.10", C2 = "192.0.2.11", S = "198.51.100.10";
    static final int PORT = 8001, REQUEST = 41;

    /**
     * One client whose ACK and 41-byte request the server never takes: SYN, SYN/ACK, ACK, request,
     * then {@code retransmissions} SYN/ACKs 1 s, 3 s, ... later, each answered by a duplicate ACK and
     * the retransmitted request; the client resets 10 s after its SYN.
     */
    static Wire queued(Wire w, long ms, String client, int cport, int retransmissions) {
        int isn = 1000 + cport, srv = 9000 + cport;
        stalled(w, ms, client, cport, retransmissions);
        return w.tcp(ms + 10_000, client, cport, S, PORT, RST | ACK, isn + 1 + REQUEST, srv + 1, 64, 0, 0);
    }

    /** {@link #queued} up to its last retransmitted request, without the client's RST. */
    static Wire stalled(Wire w, long ms, String client, int cport, int retransmissions) {
        int isn = 1000 + cport, srv = 9000 + cport;
        w.tcp(ms, client, cport, S, PORT, SYN, isn, 0);
        w.tcp(ms + 1, S, PORT, client, cport, SYN | ACK, srv, isn + 1, 63, 65535, 0);
        w.tcp(ms + 2, client, cport, S, PORT, ACK, isn + 1, srv + 1);
        w.tcp(ms + 3, client, cport, S, PORT, PSH | ACK, isn + 1, srv + 1, 64, 65535, REQUEST);
        long at = ms + 1;
        for (int k = 0; k < retransmissions; k++) {
            at += 1000L << k;
            w.tcp(at, S, PORT, client, cport, SYN | ACK, srv, isn + 1, 63, 65535, 0);
            w.tcp(at + 1, client, cport, S, PORT, ACK, isn + 1 + REQUEST, srv + 1);
            w.tcp(at + 2, client, cport, S, PORT, PSH | ACK, isn + 1, srv + 1, 64, 65535, REQUEST);
        }
        return w;
    }

    @Test
    @KindTest(Kind.SERVER_OVERLOADED)
    void shouldReportAServerThatRetransmitsItsSynAckAfterTheRequest() {
        Wire w = new Wire();
        w.handshake(0, C, 39000, S, 80, 63); // its other port works
        queued(w, 100, C, 40001, 2);
        queued(w, 150, C2, 40002, 2);
        // the full queue drops a later SYN: retransmitted, never answered
        w.tcp(500, C, 40003, S, PORT, SYN, 77, 0).tcp(1500, C, 40003, S, PORT, SYN, 77, 0)
                .tcp(3500, C, 40003, S, PORT, SYN, 77, 0);
        w.idle(30_000);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("server_overloaded 198.51.100.10:8001"), summary(ds));
        Diagnosis d = ds.get(0);
        assertEquals(2L, d.evidence().get("synack_after_ack"));
        assertEquals(4L, d.evidence().get("synack_retransmissions"));
        assertEquals(1L, d.evidence().get("syn_unanswered"));
        assertEquals(5L, d.evidence().get("syn"), "1 + 1 for the two queued clients, 3 for the dropped SYN");
        assertEquals(41L, d.evidence().get("client_bytes"));
        assertEquals(3, d.count());
        assertEquals(Severity.CRITICAL, d.kind().severity());
        assertEquals(Fault.BEYOND_TAP, new Sides(List.of("tapA", "tapB")).place(d, 0).placement().fault());
        assertEquals("198.51.100.10:8001 is overloaded: it retransmitted its SYN/ACK after 2 clients had completed the "
                + "handshake and sent its 41-byte request, never acknowledged: its accept queue is full (the application "
                + "does not accept connections fast enough); 1 more connect got no SYN/ACK at all", d.summary());
    }

    @Test
    void shouldReportOneAttemptWhoseSynAckCameTwiceAfterItsAck() {
        Wire w = new Wire();
        queued(w, 0, C, 40001, 2);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("server_overloaded 198.51.100.10:8001"), summary(ds));
        assertEquals(1L, ds.get(0).evidence().get("synack_after_ack"));
    }

    @Test
    void shouldReportItThroughTheLiveFilterThatDropsEveryClientSegmentButItsRst() {
        // Live, a request that is not HTTP or TLS does not pass the filter, nor does the bare ACK:
        // the attempt concludes no_final_ack (blaming the client), until the client's RST
        // acknowledges the SYN/ACK and says it had sent 41 bytes: taken back, replaced.
        Wire w = new Wire();
        for (int n = 0; n < 2; n++) {
            int cport = 40001 + n, isn = 1000 + cport, srv = 9000 + cport;
            long ms = n * 50L;
            w.tcp(ms, C, cport, S, PORT, SYN, isn, 0).tcp(ms + 1, S, PORT, C, cport, SYN | ACK, srv, isn + 1, 63, 65535, 0);
            w.tcp(ms + 1001, S, PORT, C, cport, SYN | ACK, srv, isn + 1, 63, 65535, 0);
            w.tcp(ms + 3001, S, PORT, C, cport, SYN | ACK, srv, isn + 1, 63, 65535, 0);
        }
        w.idle(8000);
        assertEquals(List.of("no_final_ack 198.51.100.10:8001"), summary(w.engine.diagnoses()),
                "before the client's RST: what the box can say then");
        w.tcp(10_000, C, 40001, S, PORT, RST | ACK, 1000 + 40001 + 1 + REQUEST, 9000 + 40001 + 1, 64, 0, 0);
        w.tcp(10_050, C, 40002, S, PORT, FIN | ACK, 1000 + 40002 + 1 + REQUEST, 9000 + 40002 + 1, 64, 0, 0);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("server_overloaded 198.51.100.10:8001"), summary(ds));
        assertEquals(2L, ds.get(0).evidence().get("synack_after_ack"));
        assertEquals(4L, ds.get(0).evidence().get("synack_retransmissions"));
        assertEquals(41L, ds.get(0).evidence().get("client_bytes"));
    }

    @Test
    void shouldTakeTheResetOfAConnectionTheFullQueueForgotAsPartOfIt() {
        // CI's live run: the server gives up on a queued handshake after its two SYN/ACK
        // retransmissions (~7 s) and answers the client's next retransmitted request as a segment
        // of no connection: a bare RST from that segment's ACK number. One root cause, one line.
        Wire w = stalled(new Wire(), 0, C, 40001, 2);
        int isn = 1000 + 40001, srv = 9000 + 40001;
        w.tcp(6_850, C, 40001, S, PORT, PSH | ACK, isn + 1, srv + 1, 64, 65535, REQUEST);
        w.tcp(6_851, S, PORT, C, 40001, RST, srv + 1, 0, 63, 0, 0);
        w.idle(30_000);
        List<Diagnosis> ds = w.diagnoses();
        assertEquals(List.of("server_overloaded 198.51.100.10:8001"), summary(ds));
        assertEquals(1L, ds.get(0).evidence().get("synack_after_ack"));
    }

    @Test
    void shouldStillReportTheResetOfAServerThatTookTheConnection() {
        // TCP_DEFER_ACCEPT: the SYN/ACK retransmitted after a bare ACK, then the request; the
        // application accepts it and resets it unanswered (its own RST carries the ACK flag).
        Wire w = new Wire();
        w.tcp(0, C, 40011, S, 9005, SYN, 200, 0).tcp(1, S, 9005, C, 40011, SYN | ACK, 700, 201);
        w.tcp(2, C, 40011, S, 9005, ACK, 201, 701);
        w.tcp(1_001, S, 9005, C, 40011, SYN | ACK, 700, 201).tcp(1_002, C, 40011, S, 9005, ACK, 201, 701);
        w.tcp(1_003, C, 40011, S, 9005, PSH | ACK, 201, 701, 64, 65535, REQUEST);
        w.tcp(1_004, S, 9005, C, 40011, ACK, 701, 201 + REQUEST);
        w.tcp(1_005, S, 9005, C, 40011, RST | ACK, 701, 201 + REQUEST, 63, 0, 0);
        w.idle(30_000);
        assertEquals(List.of("reset 198.51.100.10:9005"), summary(w.diagnoses()));
    }

    @Test
    void shouldStaySilentOnItsLookAlikes() {
        Wire w = new Wire();
        // One retransmission after the ACK and the request, then the server answers (loss, a blip:
        // sv_http-missing-protocol_synack_retx_after_ack in the corpus).
        w.tcp(0, C, 40010, S, PORT, SYN, 100, 0).tcp(1, S, PORT, C, 40010, SYN | ACK, 900, 101);
        w.tcp(2, C, 40010, S, PORT, ACK, 101, 901).tcp(3, C, 40010, S, PORT, PSH | ACK, 101, 901, 64, 65535, 410);
        w.tcp(1450, S, PORT, C, 40010, SYN | ACK, 900, 101).tcp(1451, C, 40010, S, PORT, ACK, 511, 901);
        w.tcp(1560, S, PORT, C, 40010, ACK, 901, 511).tcp(1561, S, PORT, C, 40010, PSH | ACK, 901, 511, 63, 65535, 60);
        w.tcp(1562, S, PORT, C, 40010, FIN | ACK, 961, 511).tcp(1563, C, 40010, S, PORT, FIN | ACK, 511, 962);
        // TCP_DEFER_ACCEPT and a client that waits for a banner: the SYN/ACK is retransmitted after a
        // bare ACK (twice), then the server accepts and greets: no client data left unacknowledged.
        w.tcp(100_000, C, 40011, S, 9005, SYN, 200, 0).tcp(100_001, S, 9005, C, 40011, SYN | ACK, 700, 201);
        w.tcp(100_002, C, 40011, S, 9005, ACK, 201, 701);
        w.tcp(101_001, S, 9005, C, 40011, SYN | ACK, 700, 201).tcp(101_002, C, 40011, S, 9005, ACK, 201, 701);
        w.tcp(103_001, S, 9005, C, 40011, SYN | ACK, 700, 201).tcp(103_002, C, 40011, S, 9005, ACK, 201, 701);
        w.tcp(103_003, S, 9005, C, 40011, PSH | ACK, 701, 201, 63, 65535, 20);
        w.tcp(103_004, C, 40011, S, 9005, FIN | ACK, 201, 721).tcp(103_005, S, 9005, C, 40011, FIN | ACK, 721, 202);
        // The same live (the bare ACKs filtered): no_final_ack taken back by the client's FIN, which
        // acknowledges the SYN/ACK and carries no data: nothing at all.
        w.tcp(200_000, C, 40012, S, 9005, SYN, 300, 0).tcp(200_001, S, 9005, C, 40012, SYN | ACK, 800, 301);
        w.tcp(201_001, S, 9005, C, 40012, SYN | ACK, 800, 301).tcp(203_001, S, 9005, C, 40012, SYN | ACK, 800, 301);
        w.idle(210_000);
        w.tcp(211_000, C, 40012, S, 9005, FIN | ACK, 301, 801);
        // A SYN/ACK lost toward the client, who retransmits its SYN: no_final_ack's case, not this one.
        w.tcp(300_000, C, 40013, S, 8080, SYN, 400, 0).tcp(300_001, S, 8080, C, 40013, SYN | ACK, 600, 401);
        w.tcp(301_000, C, 40013, S, 8080, SYN, 400, 0).tcp(301_001, S, 8080, C, 40013, SYN | ACK, 600, 401);
        w.tcp(303_001, S, 8080, C, 40013, SYN | ACK, 600, 401);
        w.idle(320_000);
        assertEquals(List.of("no_final_ack 198.51.100.10:8080"), summary(w.diagnoses()));
    }

    @Test
    void shouldWithdrawThePublishedNoFinalAckItReplaces() {
        // As the live service streams it: no_final_ack is published when the SYN/ACK timeout
        // passes, withdrawn when the clients' RSTs show they had completed the handshake, and
        // server_overloaded published instead. The SYNs are not seen here (an attempt that starts
        // at its SYN/ACK never retransmitted a SYN either).
        List<String> stream = new java.util.ArrayList<>();
        org.tapdoctor.engine.Engine engine = new org.tapdoctor.engine.Engine(org.tapdoctor.engine.EngineSettings.defaults()
                .withTracker(org.tapdoctor.track.TrackerConfig.defaults().withTables(1024, 1024, 1024, 1024, 1024)), null,
                new DiagnosisListener() {
                    @Override
                    public void diagnosis(Diagnosis d) {
                        stream.add("published " + d.kind().label());
                    }

                    @Override
                    public void withdrawn(Diagnosis d) {
                        stream.add("withdrawn " + d.kind().label());
                    }
                });
        for (int n = 0; n < 2; n++) {
            int cport = 40001 + n, isn = 1000 + cport, srv = 9000 + cport;
            long ms = n * 50L;
            for (long at : new long[] {1, 1001, 3001}) {
                engine.track(org.tapdoctor.wire.TestPackets.tcp(Wire.EPOCH + (ms + at) * Wire.MS, S, PORT, C, cport,
                        SYN | ACK, srv, isn + 1, 63, 65535, 0));
            }
        }
        engine.advance(Wire.EPOCH + 8000 * Wire.MS);
        engine.advance(Wire.EPOCH + 9000 * Wire.MS);
        engine.track(org.tapdoctor.wire.TestPackets.tcp(Wire.EPOCH + 10_000 * Wire.MS, C, 40001, S, PORT, RST | ACK,
                1000 + 40001 + 1 + REQUEST, 9000 + 40001 + 1, 64, 0, 0));
        engine.track(org.tapdoctor.wire.TestPackets.tcp(Wire.EPOCH + 10_050 * Wire.MS, C, 40002, S, PORT, RST | ACK,
                1000 + 40002 + 1 + REQUEST, 9000 + 40002 + 1, 64, 0, 0));
        engine.advance(Wire.EPOCH + 12_000 * Wire.MS);
        engine.finish();
        // The first RST takes back one of the two no_final_ack attempts and decides server_overloaded
        // (its two SYN/ACKs after the ACK); the second takes back the other: no_final_ack goes.
        assertEquals(List.of("published no_final_ack", "published server_overloaded", "withdrawn no_final_ack"),
                stream.stream().distinct().toList());
    }
}
