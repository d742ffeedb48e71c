package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
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
}
