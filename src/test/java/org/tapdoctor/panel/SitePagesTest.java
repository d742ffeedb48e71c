package org.tapdoctor.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tapdoctor.site.SiteRecord;

/**
 * The site's LCD pages (switch port, DHCP and gateway, the checklist) as the HD44780 shows them:
 * the model's rows written by the driver to Pi4J's mock I2C and replayed into the emulator, exact
 * rows for 16x2 and 20x4, a long row scrolling, and a current problem failing its check.
 */
class SitePagesTest {
    private static final long S = 1_000_000_000L, HOLD = 60 * S;
    private final Context pi4j = Hd44780Test.mockContext();
    private int devices;

    @AfterEach
    void shutdown() {
        pi4j.shutdown();
    }

    static SiteRecord site() {
        SiteRecord.Switch sw = new SiteRecord.Switch("sw-3f-access-01", "02:00:00:00:bb:01", "Gi1/0/12",
                "GigabitEthernet1/0/12", 10, 20, "192.0.2.3", "WS-C3560CX-12PC", "lldp", 0);
        return new SiteRecord.Builder(S).switchPort(sw).addSwitch(sw)
                .dhcp(new SiteRecord.Dhcp("192.0.2.2", 4, 1, "192.0.2.1", List.of("192.0.2.53"), 3600))
                .gateway(new SiteRecord.Gateway("192.0.2.1", "02:00:00:00:bb:01", "dhcp", true))
                .dnsAnswered(false).build();
    }

    /** Every page's rows by name, pressing through them; each page read right after the press and 3 s later. */
    private static Map<String, List<List<String>>> pages(PanelModel m, long t0) {
        Map<String, List<List<String>>> out = new LinkedHashMap<>();
        long t = t0;
        for (int i = 0; i < m.state().pages(); i++) {
            m.tick(t);
            out.put(m.state().pageName(), List.of(m.state().lines(), later(m, t + 3 * S)));
            m.button(true, t + 4 * S);
            m.button(false, t + 4 * S + 100_000_000L);
            t += 5 * S;
        }
        return out;
    }

    private static List<String> later(PanelModel m, long t) {
        m.tick(t);
        return m.state().lines();
    }

    private List<String> shown(List<String> rows, LcdSize size) {
        I2C i2c = pi4j.create(I2C.newConfigBuilder(pi4j).id("lcd" + (devices++)).bus(1).device(0x27).provider(MockI2CProvider.ID));
        Hd44780 lcd = new Hd44780(i2c, size, us -> { });
        Hd44780Emulator emu = new Hd44780Emulator(size.columns(), size.rows());
        lcd.init();
        lcd.show(rows);
        emu.feed(Hd44780Emulator.written(i2c));
        return emu.screen();
    }

    @Test
    void shouldShowTheSitePagesOnA16x2() {
        PanelModel m = new PanelModel(LcdSize.LCD_16X2, HOLD, 0);
        m.site(site());
        Map<String, List<List<String>>> p = pages(m, 0);
        assertEquals(List.of("summary", "switch", "dhcp", "checks", "links", "network"), new ArrayList<>(p.keySet()));
        assertEquals(List.of("SW sw-3f-access-", "Gi1/0/12 V10 VV2"), shown(p.get("switch").get(0), LcdSize.LCD_16X2));
        // the start held 2 s, then one character per 500 ms: 3 s later, 2 characters on
        assertEquals(List.of(" sw-3f-access-01", "1/0/12 V10 VV20 "), shown(p.get("switch").get(1), LcdSize.LCD_16X2));
        assertEquals(List.of("DHCP 192.0.2.2 4", "GW 192.0.2.1 ok "), shown(p.get("dhcp").get(0), LcdSize.LCD_16X2));
        assertEquals(List.of("LNK? SW+ DHCP+  ", "GW+ DNS?        "), shown(p.get("checks").get(0), LcdSize.LCD_16X2));
    }

    @Test
    void shouldShowTheSitePagesOnA20x4() {
        PanelModel m = new PanelModel(LcdSize.LCD_20X4, HOLD, 0);
        m.site(site());
        Map<String, List<List<String>>> p = pages(m, 0);
        assertEquals(List.of("SW sw-3f-access-01  ", "Gi1/0/12 V10 VV20   ", "IP 192.0.2.3        ",
                "WS-C3560CX-12PC     "), shown(p.get("switch").get(0), LcdSize.LCD_20X4));
        assertEquals(List.of("DHCP 192.0.2.2 4ms  ", "GW 192.0.2.1 ok     ", "DNS 192.0.2.53      ",
                "1 lease 3600s       "), shown(p.get("dhcp").get(0), LcdSize.LCD_20X4));
        assertEquals(List.of("LNK ?   SW ok       ", "DHCP ok GW ok       ", "DNS ?               ",
                "                    "), shown(p.get("checks").get(0), LcdSize.LCD_20X4));
    }

    @Test
    void shouldFailACheckWhileItsProblemIsCurrent() {
        PanelModel m = new PanelModel(LcdSize.LCD_20X4, HOLD, 0);
        m.site(site());
        m.diagnosis(gatewayDown(), S);
        Map<String, List<List<String>>> p = pages(m, S);
        assertEquals("DHCP ok GW fail     ", shown(p.get("checks").get(0), LcdSize.LCD_20X4).get(1));
    }

    /** The engine's host_down for 192.0.2.1 (3 ARP requests unanswered): the record's gateway. */
    static org.tapdoctor.diagnose.Diagnosis gatewayDown() {
        org.tapdoctor.engine.Engine e = new org.tapdoctor.engine.Engine();
        for (int i = 0; i < 3; i++) {
            e.track(org.tapdoctor.wire.TestPackets.arpRequest(i * S, 0x020000000010L, "192.0.2.10", "192.0.2.1"));
        }
        e.advance(20 * S);
        e.finish();
        assertEquals(org.tapdoctor.diagnose.Kind.HOST_DOWN, e.diagnoses().get(0).kind());
        return e.diagnoses().get(0);
    }

    @Test
    void shouldListTheNeighboursWhenNoneIsKnownToBeThePort() {
        PanelModel m = new PanelModel(LcdSize.LCD_16X2, HOLD, 0);
        SiteRecord.Switch a = new SiteRecord.Switch("S1", null, "Fa0/13", null, 1, -1, null, null, "cdp", 0);
        SiteRecord.Switch b = new SiteRecord.Switch("S2", null, "Gi0/13", null, 1, -1, null, null, "cdp", 0);
        m.site(new SiteRecord.Builder(S).addSwitch(a).addSwitch(b).build());
        Map<String, List<List<String>>> p = pages(m, 0);
        assertEquals(List.of("SW ? 2 heard    ", "S1 S2           "), shown(p.get("switch").get(0), LcdSize.LCD_16X2));
        assertEquals(List.of("summary", "switch", "checks", "links", "network"), new ArrayList<>(p.keySet()));
    }

    @Test
    void shouldShowNoSitePageBeforeAPartIsSeen() {
        PanelModel m = new PanelModel(LcdSize.LCD_16X2, HOLD, 0);
        m.site(new SiteRecord.Builder(S).build());
        assertEquals(List.of("summary", "links", "network"), new ArrayList<>(pages(m, 0).keySet()));
    }
}
