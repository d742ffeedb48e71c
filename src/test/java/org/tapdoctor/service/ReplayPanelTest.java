package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/**
 * The repo's captures replayed end to end: the text report ends with the panel as the box would
 * show it after the last frame (LEDs, the LCD box, page and backlight), asserted as rendered.
 */
class ReplayPanelTest {
    static final String SCENARIOS = "src/test/resources/scenarios/";

    static String panel(String... args) {
        ReplayCommandTest.Run r = ReplayCommandTest.run(args);
        assertEquals(0, r.exit(), r.err());
        int at = r.out().indexOf("-- panel after the last frame");
        return at < 0 ? "" : r.out().substring(at);
    }

    /**
     * 15 diagnoses, 14 still current: port_blocked 198.51.100.20:81 was last seen 62.7 s before the
     * last frame, beyond the 60 s hold. 17 pages: the summary, 14 problems, links, network.
     */
    @Test
    void shouldEndTheSiteVisitWithEveryLedLitAndTheWorstProblemFirst() {
        assertEquals("""
                -- panel after the last frame (16x2)
                LEDs  green:blink  amber:on  red:on
                +----------------+
                |ok/m 8 fail 11  |
                |NO REPLY [2001:d|
                +----------------+
                page 1/19 summary, backlight on
                """, panel("replay", "src/test/resources/demo/site-visit.pcap"));
        assertEquals("""
                -- panel after the last frame (20x4)
                LEDs  green:blink  amber:on  red:on
                +--------------------+
                |ok/m 8 fail 11      |
                |NO REPLY [2001:db8:b|
                |10 critical 4 warn  |
                |page 1/19 press>    |
                +--------------------+
                page 1/19 summary, backlight on
                """, panel("replay", "--lcd", "20x4", "src/test/resources/demo/site-visit.pcap"));
    }

    @Test
    void shouldShowEachScenariosProblemOnThePanel() {
        assertEquals("""
                -- panel after the last frame (16x2)
                LEDs  green:blink  amber:off  red:on
                +----------------+
                |ok/m 2 fail 1   |
                |RST 198.51.100.1|
                +----------------+
                page 1/4 summary, backlight on
                """, panel("replay", SCENARIOS + "port_blocked.pcap"));
        assertEquals("""
                -- panel after the last frame (16x2)
                LEDs  green:off  amber:off  red:on
                +----------------+
                |ok/m 0 fail 1   |
                |NO REPLY 198.51.|
                +----------------+
                page 1/4 summary, backlight on
                """, panel("replay", SCENARIOS + "no_response.pcap"), "every handshake failed: green off");
        assertEquals("""
                -- panel after the last frame (16x2)
                LEDs  green:blink  amber:on  red:off
                +----------------+
                |ok/m 0 fail 0   |
                |DNS 198.51.100.5|
                +----------------+
                page 1/4 summary, backlight on
                """, panel("replay", SCENARIOS + "dns_nxdomain.pcap"), "a warning: amber only");
        assertEquals("""
                -- panel after the last frame (20x4)
                LEDs  green:blink  amber:off  red:off
                +--------------------+
                |ok/m 25 fail 0      |
                |no problems         |
                |0 critical 0 warn   |
                |page 1/3 press>     |
                +--------------------+
                page 1/3 summary, backlight on
                """, panel("replay", "--lcd", "20x4", SCENARIOS + "healthy.pcap"));
    }

    @Test
    void shouldDrawNothingInJsonlOrWithPanelNone() {
        ReplayCommandTest.Run r = ReplayCommandTest.run("replay", "--format", "jsonl", SCENARIOS + "port_blocked.pcap");
        assertFalse(r.out().contains("LEDs") || r.err().contains("LEDs"), r.out());
        assertEquals("", panel("replay", "--panel", "none", SCENARIOS + "port_blocked.pcap"));
    }
}
