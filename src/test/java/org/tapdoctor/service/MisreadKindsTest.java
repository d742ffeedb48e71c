package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tapdoctor.capture.CaptureFilter;
import org.tapdoctor.capture.PcapFileSource;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.engine.Engine;

/**
 * The issue-11 kinds on the scenarios made with the kernel's stacks (src/test/scenarios/
 * make-misread.sh), read whole and through the live capture filter (which drops the client's
 * final ACK): each capture gives its kind, and its healthy traffic beside it stays silent.
 */
class MisreadKindsTest {
    static final Path DIR = MisreadHealthyTest.DIR;

    private static List<Diagnosis> read(String file, boolean throughTheFilter) throws Exception {
        if (!throughTheFilter) {
            return Expectations.replay(DIR.resolve(file));
        }
        Engine engine = new Engine();
        PcapFileSource.replay(DIR.resolve(file), engine, CaptureFilter.expression());
        engine.finish();
        return engine.diagnoses();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldReportTheConnectThatWaitedForASynRetransmission(boolean throughTheFilter) throws Exception {
        // The first SYN to srv2:8082 dropped beyond the tap (nft), its retransmission answered;
        // srv2:80 answered its first SYN and must stay silent.
        List<Diagnosis> ds = read("slow_connect.pcap", throughTheFilter);
        assertEquals(1, ds.size(), Expectations.lines(ds));
        Diagnosis d = ds.get(0);
        assertEquals("slow_connect 198.51.100.20:8082", d.kind().label() + " " + d.server());
        assertEquals(2L, d.evidence().get("syn"));
        long delay = (Long) d.evidence().get("delay_ms");
        // Linux's initial SYN retransmission timeout is 1 s: the connect took it and a LAN round trip.
        assertEquals(true, delay >= 1000 && delay < 1100, "delay_ms " + delay);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldReportTheContentFilterResetAfterTheRequest(boolean throughTheFilter) throws Exception {
        // The router's RST (TTL 64, srv2's 63) right after the 46-byte request for blocked.example.test;
        // the request for ok.example.test beside it is answered and must stay silent.
        List<Diagnosis> ds = read("content_filter_http.pcap", throughTheFilter);
        assertEquals(1, ds.size(), Expectations.lines(ds));
        Diagnosis d = ds.get(0);
        assertEquals("reset 198.51.100.20:8080", d.kind().label() + " " + d.server());
        assertEquals("middlebox", d.evidence().get("rst_from"));
        assertEquals(true, d.evidence().get("after_request"));
        assertEquals(46L, d.evidence().get("client_bytes"));
        assertTrue(d.summary().contains("after the client sent its 46-byte request, before any answer"), d.summary());
    }

    @ParameterizedTest
    @CsvSource({"tls_protocol_version.pcap,4433,protocol_version,srv.example.test,TLS 1.2",
            "tls_unrecognized_name.pcap,4434,unrecognized_name,unknown.example.test,TLS 1.3"})
    void shouldReportTheServersFatalAlertToAClientHello(String file, int port, String alert, String sni, String version)
            throws Exception {
        for (boolean throughTheFilter : new boolean[] {false, true}) {
            // openssl s_server refusing the version / the name; the handshake beside it completes.
            List<Diagnosis> ds = read(file, throughTheFilter);
            assertEquals(1, ds.size(), Expectations.lines(ds));
            Diagnosis d = ds.get(0);
            assertEquals("tls_failure 198.51.100.10:" + port, d.kind().label() + " " + d.server());
            assertEquals("alert", d.evidence().get("answer"));
            assertEquals(alert, d.evidence().get("alert"));
            assertEquals("fatal", d.evidence().get("alert_level"));
            assertEquals("server", d.evidence().get("alert_from"));
            assertEquals(sni, d.evidence().get("sni"));
            assertEquals(version, d.evidence().get("client_version"));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldReportTheSniFilterAsOneTlsFailure(boolean throughTheFilter) throws Exception {
        // The router resets the ClientHello for blocked.example.test; ok.example.test completes.
        List<Diagnosis> ds = read("tls_sni_filter.pcap", throughTheFilter);
        assertEquals(1, ds.size(), Expectations.lines(ds));
        Diagnosis d = ds.get(0);
        assertEquals("tls_failure 198.51.100.20:443", d.kind().label() + " " + d.server());
        assertEquals("blocked.example.test", d.evidence().get("sni"));
        assertEquals("reset", d.evidence().get("answer"));
        assertEquals("middlebox", d.evidence().get("rst_from"));
        assertEquals(true, d.evidence().get("after_request"));
        assertEquals(517L, d.evidence().get("client_bytes"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldTakeTheServersRstAsTheZeroWindowsEnd(boolean throughTheFilter) throws Exception {
        // srv1:9002 stops reading, then resets with the client's 5,792 bytes unread: only zero_window.
        List<Diagnosis> ds = read("zero_window_rst.pcap", throughTheFilter);
        assertEquals(1, ds.size(), Expectations.lines(ds));
        Diagnosis d = ds.get(0);
        assertEquals("zero_window 198.51.100.10:9002", d.kind().label() + " " + d.server());
        assertEquals("server", d.evidence().get("side"));
        assertEquals("rst", d.evidence().get("ended_by"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldNameTheUnansweredQueryTypeBesideTheAnsweredOne(boolean throughTheFilter) throws Exception {
        // glibc asks A and AAAA together; A is answered each time, AAAA never: one line about AAAA.
        List<Diagnosis> ds = read("dns_aaaa_noanswer.pcap", throughTheFilter);
        assertEquals(1, ds.size(), Expectations.lines(ds));
        Diagnosis d = ds.get(0);
        assertEquals("dns_failure 198.51.100.53:53", d.kind().label() + " " + d.server());
        assertEquals("AAAA", d.evidence().get("qtype"));
        assertEquals("no_response", d.evidence().get("rcode"));
        assertEquals(List.of("A"), d.evidence().get("answered_qtypes"));
        assertTrue(d.summary().startsWith("AAAA for ok.example.test got no answer from DNS server 198.51.100.53 while A did"),
                d.summary());
    }

    @ParameterizedTest
    @CsvSource({"healthy_abortive.pcap,false", "healthy_abortive.pcap,true", "healthy_keepalive.pcap,false",
            "healthy_keepalive.pcap,true"})
    void shouldStaySilentOnAbortiveClosesAndIdleConnections(String file, boolean throughTheFilter) throws Exception {
        // A client RST after the reply, a server RST after its reply; keep-alive probes on an idle connection.
        List<Diagnosis> ds = read(file, throughTheFilter);
        assertEquals(List.of(), ds, Expectations.lines(ds));
    }
}
