package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.KindTest;

/** The link monitor against a directory laid out like /sys/class/net. */
class LinkMonitorTest {
    @TempDir
    Path sys;

    void nic(String name, String carrier, String oper, String speed, String duplex) throws IOException {
        Path d = Files.createDirectories(sys.resolve(name));
        Files.writeString(d.resolve("carrier"), carrier + "\n");
        Files.writeString(d.resolve("operstate"), oper + "\n");
        Files.writeString(d.resolve("speed"), speed + "\n");
        Files.writeString(d.resolve("duplex"), duplex + "\n");
    }

    static List<String> kinds(List<Diagnosis> ds) {
        return ds.stream().map(d -> d.kind().label() + " " + d.evidence().asMap().getOrDefault("nic", "")).toList();
    }

    @Test
    @KindTest(Kind.LINK_DOWN)
    @KindTest(Kind.LINK_UP)
    void shouldReportDownAndUpOnlyWhenTheCarrierChanges() throws IOException {
        nic("eth0", "1", "up", "1000", "full");
        nic("eth1", "1", "up", "1000", "full");
        LinkMonitor m = new LinkMonitor(sys, List.of("eth0", "eth1"));
        assertEquals(List.of(), kinds(m.poll(0)), "up at start: nothing to say");
        nic("eth1", "0", "down", "-1", "unknown");
        assertEquals(List.of("link_down eth1"), kinds(m.poll(1)));
        assertEquals(List.of(), kinds(m.poll(2)), "still down: said once");
        nic("eth1", "1", "up", "1000", "full");
        assertEquals(List.of("link_up eth1"), kinds(m.poll(3)));
    }

    @Test
    void shouldReportANicThatDisappearsAndComesBack() throws IOException {
        nic("eth0", "1", "up", "1000", "full");
        nic("eth1", "1", "up", "1000", "full");
        LinkMonitor m = new LinkMonitor(sys, List.of("eth0", "eth1"));
        m.poll(0);
        for (String p : List.of("carrier", "operstate", "speed", "duplex")) {
            Files.delete(sys.resolve("eth1").resolve(p));
        }
        Files.delete(sys.resolve("eth1"));
        List<Diagnosis> down = m.poll(1);
        assertEquals(List.of("link_down eth1"), kinds(down));
        assertEquals("missing", down.get(0).evidence().get("state"));
        nic("eth1", "1", "up", "1000", "full");
        assertEquals(List.of("link_up eth1"), kinds(m.poll(2)));
    }

    @Test
    void shouldReportADownNicAtStart() throws IOException {
        nic("eth0", "1", "up", "1000", "full");
        nic("eth1", "0", "down", "-1", "unknown");
        assertEquals(List.of("link_down eth1"), kinds(new LinkMonitor(sys, List.of("eth0", "eth1")).poll(0)));
    }

    @Test
    @KindTest(Kind.LINK_SPEED)
    void shouldReportDifferentSpeedsOnceUntilTheyChange() throws IOException {
        nic("eth0", "1", "up", "1000", "full");
        nic("eth1", "1", "up", "100", "full");
        LinkMonitor m = new LinkMonitor(sys, List.of("eth0", "eth1"));
        List<Diagnosis> first = m.poll(0);
        assertEquals(List.of("link_speed "), kinds(first));
        assertEquals("up 1G full", first.get(0).evidence().get("eth0"));
        assertEquals("up 100M full", first.get(0).evidence().get("eth1"));
        assertEquals(List.of(), kinds(m.poll(1)));
        nic("eth1", "1", "up", "1000", "half");
        assertEquals(List.of("link_speed "), kinds(m.poll(2)), "duplex mismatch is a new mismatch");
        nic("eth1", "1", "up", "1000", "full");
        assertEquals(List.of(), kinds(m.poll(3)));
    }

    @Test
    void shouldTreatAnAdministrativelyDownNicAsDown() throws IOException {
        nic("eth0", "1", "up", "1000", "full");
        Path d = Files.createDirectories(sys.resolve("eth1"));
        Files.writeString(d.resolve("operstate"), "down\n"); // carrier unreadable when admin down
        LinkMonitor m = new LinkMonitor(sys, List.of("eth0", "eth1"));
        assertEquals(List.of("link_down eth1"), kinds(m.poll(0)));
    }
}
