package org.tapdoctor.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tapdoctor.diagnose.Clients;
import org.tapdoctor.diagnose.Diagnoses;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Evidence;
import org.tapdoctor.diagnose.PortsFold;
import org.tapdoctor.diagnose.RstOrigin;
import org.tapdoctor.diagnose.kinds.DnsFailure;
import org.tapdoctor.diagnose.kinds.LinkState;
import org.tapdoctor.diagnose.kinds.NoResponse;
import org.tapdoctor.diagnose.kinds.PortBlocked;
import org.tapdoctor.diagnose.Endpoint;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.publish.Stats;

/**
 * The panel model as scripted sequences: diagnoses, counters and button events at given times,
 * then the exact LEDs and LCD rows after each tick. Time is a number; nothing sleeps.
 */
class PanelModelTest {
    static final long S = 1_000_000_000L;
    static final long HOLD = 60 * S;

    static final Instant T = Instant.parse("2026-11-22T01:00:00Z");
    static final Endpoint CLIENT = new Endpoint("192.0.2.10", 40000);

    static Diagnosis diagnosis(Kind kind, Endpoint server, long count, Evidence evidence) {
        return Diagnoses.of(kind, kind.rule() instanceof org.tapdoctor.diagnose.ProblemRule<?> ? CLIENT : null, server, count,
                T, T, evidence);
    }

    static final Diagnosis PORT_BLOCKED = Diagnoses.of(Kind.PORT_BLOCKED, CLIENT, new Endpoint("192.0.2.20", 6036), 1, T, T,
            new PortBlocked.Evidence(Kind.REFUSED, 1, 1, List.of(80), 1, RstOrigin.judge(64, 64), null));
    /** Three ports of one host folded into one line. */
    static final Diagnosis NO_RESPONSE = folded(Diagnoses.of(Kind.NO_RESPONSE, CLIENT, new Endpoint("198.51.100.140", 81),
            1, T, T, new NoResponse.Evidence(1, new Clients(1, false))));
    static final Diagnosis DNS = diagnosis(Kind.DNS_FAILURE, new Endpoint("198.51.100.53", 53), 1,
            new DnsFailure.Evidence("NXDOMAIN", "x.test", "A", 1, java.util.List.of(), 0, new Clients(1, false)));

    static Diagnosis folded(Diagnosis sample) {
        return new Diagnosis("no_response 198.51.100.140 ports", Kind.NO_RESPONSE, T, CLIENT, Endpoint.host("198.51.100.140"),
                3, T, T, new PortsFold(3, List.of(81, 82, 83), 3, sample), "3 ports no response", null, null);
    }

    static String leds(PanelState s) {
        return "green=" + s.green().label() + " amber=" + s.amber().label() + " red=" + s.red().label()
                + (s.backlight() ? "" : " dark");
    }

    static PanelModel model(LcdSize size) {
        PanelModel m = new PanelModel(size, HOLD, 0);
        m.nics(List.of("eth0", "eth1"));
        m.network("10.0.0.5", "td-01");
        return m;
    }

    @Test
    void shouldLightGreenWithTrafficAndBlinkOnlyWhileFramesArrive() {
        PanelModel m = model(LcdSize.LCD_16X2);
        m.tick(0);
        assertEquals("green=off amber=off red=off", leds(m.state()));
        assertEquals(List.of("ok/m 0 fail 0   ", "no traffic yet  "), m.state().lines());
        m.traffic(0, 0, 0, 0);
        m.traffic(1 * S, 100, 5, 0);
        m.tick(1 * S);
        assertEquals("green=blink amber=off red=off", leds(m.state()));
        assertEquals(List.of("ok/m 5 fail 0   ", "no problems     "), m.state().lines());
        m.traffic(2 * S, 100, 5, 0);
        m.tick(2 * S);
        assertEquals("green=on amber=off red=off", leds(m.state()), "no new frame for 1 s: steady");
        m.tick(11 * S - 1);
        assertEquals("green=on amber=off red=off", leds(m.state()));
        m.tick(11 * S);
        assertEquals("green=off amber=off red=off", leds(m.state()), "no traffic for 10 s");
    }

    @Test
    void shouldTurnGreenOffWhenEveryHandshakeOfTheLastMinuteFailedAndCountPerMinute() {
        PanelModel m = model(LcdSize.LCD_16X2);
        m.traffic(0, 0, 0, 0);
        m.traffic(1 * S, 10, 0, 2);
        m.tick(1 * S);
        assertEquals("green=off amber=off red=off", leds(m.state()));
        assertEquals("ok/m 0 fail 2   ", m.state().lines().get(0));
        for (int t = 2; t <= 70; t++) {
            m.traffic(t * S, 10 + t, t, 2);
        }
        m.tick(70 * S);
        assertEquals("green=blink amber=off red=off", leds(m.state()));
        assertEquals("ok/m 60 fail 0  ", m.state().lines().get(0), "only the last 60 s count");
    }

    @Test
    void shouldShowACriticalProblemUntilTheHoldPassesAfterItsLastOccurrence() {
        PanelModel m = model(LcdSize.LCD_16X2);
        m.traffic(0, 0, 0, 0);
        m.diagnosis(PORT_BLOCKED, 5 * S);
        m.tick(5 * S);
        PanelState s = m.state();
        assertEquals("green=off amber=off red=on", leds(s));
        assertEquals(List.of("ok/m 0 fail 0   ", "RST 192.0.2.20:6"), s.lines());
        assertEquals(4, s.pages(), "summary, the problem, links, network");
        m.diagnosis(PORT_BLOCKED, 30 * S);
        m.tick(89 * S);
        assertEquals("green=off amber=off red=on", leds(m.state()), "60 s after the recurrence at 30 s, not the first");
        m.tick(90 * S);
        assertEquals("green=off amber=off red=off", leds(m.state()));
        assertEquals(3, m.state().pages());
    }

    @Test
    void shouldKeepAmberForAWarningOfTheLastMinute() {
        PanelModel m = model(LcdSize.LCD_16X2);
        m.diagnosis(DNS, 10 * S);
        m.tick(10 * S);
        assertEquals("green=off amber=on red=off", leds(m.state()));
        assertEquals("DNS 198.51.100.5", m.state().lines().get(1));
        m.tick(69 * S);
        assertEquals("green=off amber=on red=off", leds(m.state()));
        m.tick(70 * S);
        assertEquals("green=off amber=off red=off", leds(m.state()));
        assertEquals("no traffic yet  ", m.state().lines().get(1));
    }

    @Test
    void shouldPageWithShortPressesAndComeBackToTheSummaryAfter30sIdle() {
        PanelModel m = model(LcdSize.LCD_16X2);
        m.traffic(0, 0, 0, 0);
        m.traffic(1 * S, 50, 9, 4);
        m.diagnosis(PORT_BLOCKED, 1 * S);
        m.diagnosis(NO_RESPONSE, 2 * S);
        m.diagnosis(DNS, 3 * S);
        m.stats(new Stats(Instant.EPOCH, List.of(new Stats.Nic("eth0", "up 1G full", 1, 0, 0, 0),
                new Stats.Nic("eth1", "up 100M full", 1, 0, 0, 0)), 9, 4, 0, 0, 0, 0, 3));
        m.tick(3 * S);
        assertEquals(List.of("ok/m 9 fail 4   ", "NO REPLY 198.51."), m.state().lines(), "worst: most recent critical");
        List<List<String>> pages = List.of(
                List.of("NO REPLY 198.51.", "3 SYN x3 ports  "),
                List.of("RST 192.0.2.20:6", "port blocked, 80"),
                List.of("DNS 198.51.100.5", "NXDOMAIN x.test "),
                List.of("A 1G up     eth0", "B 100M up   eth1"),
                List.of("IP 10.0.0.5     ", "MQTT off td-01  "),
                List.of("ok/m 9 fail 4   ", "NO REPLY 198.51."));
        long t = 4 * S;
        for (List<String> page : pages) {
            m.button(true, t);
            m.tick(t + 100_000_000L);
            m.button(false, t + 200_000_000L);
            m.tick(t + 200_000_000L);
            assertEquals(page, m.state().lines(), "page " + m.state().page() + " " + m.state().pageName());
            t += S;
        }
        press(m, t);
        assertEquals("problem", m.state().pageName());
        long released = t + 200_000_000L;
        m.tick(released + 30 * S - 1);
        assertEquals("problem", m.state().pageName());
        m.tick(released + 30 * S);
        assertEquals("summary", m.state().pageName(), "30 s without a press");
    }

    @Test
    void shouldScrollALineLongerThanTheDisplay() {
        PanelModel m = model(LcdSize.LCD_16X2);
        m.diagnosis(PORT_BLOCKED, 0);
        press(m, 0);
        assertEquals(List.of("RST 192.0.2.20:6", "port blocked, 80"), m.state().lines());
        long shown = 200_000_000L;
        m.tick(shown + 4 * PanelModel.SCROLL_STEP_NANOS);
        assertEquals(List.of("RST 192.0.2.20:6", "port blocked, 80"), m.state().lines(), "the start is held 2 s");
        m.tick(shown + 5 * PanelModel.SCROLL_STEP_NANOS);
        assertEquals(List.of("ST 192.0.2.20:60", "ort blocked, 80 "), m.state().lines());
        m.tick(shown + 10 * PanelModel.SCROLL_STEP_NANOS);
        assertEquals(List.of("2.0.2.20:6036   ", "locked, 80 ok   "), m.state().lines());
    }

    @Test
    void shouldAcknowledgeWithALongPressAndLetARecurrenceComeBack() {
        PanelModel m = model(LcdSize.LCD_16X2);
        m.diagnosis(PORT_BLOCKED, 0);
        m.diagnosis(DNS, 0);
        press(m, S);
        assertEquals("problem", m.state().pageName());
        m.button(true, 2 * S);
        m.tick(4 * S - 1);
        assertEquals("green=off amber=on red=on", leds(m.state()), "held 2 s minus 1 ns: nothing yet");
        m.tick(4 * S);
        assertEquals("green=off amber=off red=off", leds(m.state()), "held 2 s: acknowledged while still held");
        assertEquals(List.of("ok/m 0 fail 0   ", "no traffic yet  "), m.state().lines());
        m.button(false, 5 * S);
        m.tick(5 * S);
        assertEquals("summary", m.state().pageName(), "the release after a long press is not a short press");
        m.diagnosis(PORT_BLOCKED, 6 * S);
        m.tick(6 * S);
        assertEquals("green=off amber=off red=on", leds(m.state()));
    }

    @Test
    void shouldAcknowledgeRemotelyExactlyAsTheLongPressDoesWithoutCountingAPress() {
        PanelModel pressed = model(LcdSize.LCD_16X2);
        PanelModel remote = model(LcdSize.LCD_16X2);
        for (PanelModel m : List.of(pressed, remote)) {
            m.diagnosis(PORT_BLOCKED, 0);
            m.diagnosis(DNS, 0);
            press(m, S);
            m.tick(2 * S);
            assertEquals("green=off amber=on red=on", leds(m.state()));
        }
        pressed.button(true, 2 * S);
        pressed.tick(4 * S);
        remote.acknowledge(4 * S);
        remote.tick(4 * S);
        assertEquals(pressed.state(), remote.state(), "the same LEDs, rows, page and backlight");
        assertEquals("green=off amber=off red=off", leds(remote.state()));
        assertEquals(1, pressed.longPresses());
        assertEquals(1, pressed.shortPresses());
        assertEquals(0, remote.longPresses(), "a remote ack is not a press of the button");
        assertEquals(1, remote.shortPresses());
        pressed.button(false, 5 * S);
        assertEquals(1, pressed.shortPresses(), "the release after a long press is not a short press");
    }

    @Test
    void shouldTurnTheBacklightOffAfter5MinutesAndOnAtANewCriticalProblemOrAPress() {
        PanelModel m = model(LcdSize.LCD_16X2);
        m.tick(300 * S - 1);
        assertEquals("green=off amber=off red=off", leds(m.state()));
        m.tick(300 * S);
        assertEquals("green=off amber=off red=off dark", leds(m.state()));
        m.diagnosis(DNS, 301 * S);
        m.tick(301 * S);
        assertEquals("green=off amber=on red=off dark", leds(m.state()), "a warning does not wake it");
        m.diagnosis(PORT_BLOCKED, 302 * S);
        m.tick(302 * S);
        assertEquals("green=off amber=on red=on", leds(m.state()), "a new critical problem does");
        m.diagnosis(PORT_BLOCKED, 500 * S);
        m.tick(602 * S);
        assertEquals("green=off amber=off red=off dark", leds(m.state()), "a recurrence is not new");
        press(m, 610 * S);
        assertEquals("summary", m.state().pageName(), "the press that wakes it does not turn the page");
        assertEquals(true, m.state().backlight());
        press(m, 611 * S);
        assertEquals("links", m.state().pageName());
    }

    @Test
    void shouldKeepLinkDownUntilTheLinkIsUpAgain() {
        PanelModel m = model(LcdSize.LCD_20X4);
        Diagnosis down = diagnosis(Kind.LINK_DOWN, null, 1, new LinkState("eth1", "down"));
        m.diagnosis(down, 0);
        m.tick(0);
        assertEquals(List.of("ok/m 0 fail 0       ", "LINK DOWN eth1      ", "1 critical 0 warn   ",
                "page 1/4 press>     "), m.state().lines());
        m.tick(600 * S);
        assertEquals("green=off amber=off red=on dark", leds(m.state()), "still down after the hold");
        m.diagnosis(diagnosis(Kind.LINK_UP, null, 1, new LinkState("eth1", "up 1G full")), 601 * S);
        m.tick(601 * S);
        assertEquals("green=off amber=off red=off dark", leds(m.state()));
        press(m, 602 * S);
        press(m, 603 * S);
        assertEquals(List.of("A ?  B 1G up        ", "A=eth0 B=eth1       ", "                    ",
                "                    "), m.state().lines());
    }

    @Test
    void shouldFillFourRowsOnA20x4() {
        PanelModel m = model(LcdSize.LCD_20X4);
        m.mqtt(true);
        m.diagnosis(PORT_BLOCKED, 0);
        press(m, 12 * S);
        assertEquals(List.of("RST 192.0.2.20:6036 ", "port blocked, 80 ok ", "x1 last 12s ago     ",
                "from 192.0.2.10     "), m.state().lines());
        press(m, 13 * S);
        press(m, 14 * S);
        assertEquals(List.of("IP 10.0.0.5         ", "MQTT connected      ", "id td-01            ",
                "                    "), m.state().lines());
    }

    /** A short press at {@code t} (down, 200 ms, up) and a tick. */
    static void press(PanelModel m, long t) {
        m.button(true, t);
        m.button(false, t + 200_000_000L);
        m.tick(t + 200_000_000L);
    }

    @Test
    void shouldDropTheProblemOfAWithdrawnDiagnosis() {
        PanelModel m = new PanelModel(LcdSize.LCD_16X2, HOLD, 0);
        Diagnosis noReply = Diagnoses.of(Kind.NO_RESPONSE, CLIENT, new Endpoint("198.51.100.20", 81), 1, T, T,
                new NoResponse.Evidence(3, new Clients(1, false)));
        m.traffic(S, 100, 5, 1);
        m.diagnosis(noReply, S);
        m.tick(S);
        assertEquals("NO REPLY 198.51.", m.state().lines().get(1), "the worst current problem");
        m.withdrawn(noReply); // replaced by a port_blocked once another port of the host worked
        m.tick(2 * S);
        assertEquals("no problems     ", m.state().lines().get(1));
        assertEquals(Led.OFF, m.state().red());
    }
}
