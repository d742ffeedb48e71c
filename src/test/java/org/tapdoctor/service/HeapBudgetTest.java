package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The heap budget against the appliance unit's heap (read from systemd/tapdoctor.service): the
 * defaults fit with room to spare, a ring eight times the default is refused in one line that names
 * the keys and what they cost. The heap is a parameter here; HeapBudgetIT runs the real JVM.
 */
class HeapBudgetTest {
    /** The unit's old generation: SerialGC gives it two thirds of -Xmx (NewRatio 2). */
    static long unitLongLivedHeap() throws Exception {
        String unit = Files.readString(Path.of("systemd/tapdoctor.service"));
        Matcher m = Pattern.compile("-Xmx(\\d+)m").matcher(unit);
        assertTrue(m.find(), "no -Xmx in systemd/tapdoctor.service");
        assertTrue(unit.contains("-XX:+UseSerialGC"), "the unit's collector changed: revisit the old generation's share");
        return (Long.parseLong(m.group(1)) << 20) * 2 / 3;
    }

    private static Config config(Map<String, String> overrides) throws Exception {
        return Config.load(Path.of("no-such.conf"), false, overrides);
    }

    @Test
    void shouldFitTheDefaultsWithMqttAndEvidenceInTheUnitsHeap() throws Exception {
        Config cfg = config(Map.of("interfaces", "eth0,eth1", "mqtt.url", "tcp://192.0.2.1", "evidence.dir", "/tmp/x"));
        List<HeapBudget.Cost> costs = HeapBudget.ofRun(cfg, 2);
        long total = costs.stream().mapToLong(HeapBudget.Cost::bytes).sum();
        assertEquals(Optional.empty(), HeapBudget.refusal(costs, unitLongLivedHeap()), costs.toString());
        // Room to spare: a quarter of the old generation stays free besides the working memory.
        assertTrue(total + HeapBudget.WORKING_BYTES < unitLongLivedHeap() * 3 / 4, HeapBudget.mib(total));
    }

    @Test
    void shouldRefuseARingThatCannotFitNamingTheKeysAndTheirCost() throws Exception {
        Config cfg = config(Map.of("interfaces", "eth0,eth1", "capture.ring", "131072"));
        Optional<String> refusal = HeapBudget.refusal(HeapBudget.ofRun(cfg, 2), unitLongLivedHeap());
        assertTrue(refusal.isPresent());
        String line = refusal.get();
        assertEquals(1, line.lines().count());
        int snaplen = cfg.integer("capture.snaplen");
        String ring = "capture.ring=131072 x capture.snaplen=" + snaplen + " x 2 NICs = "
                + HeapBudget.mib(2L * (131072L * (snaplen + 16) + snaplen));
        assertTrue(line.contains(ring), line);
        assertTrue(line.contains("tables.connections/servers/arp/dns = "), line);
        assertTrue(line.contains("lower these keys or raise -Xmx"), line);
    }

    @Test
    void shouldCountTheOutboxesOnlyWhenTheyCanFill() throws Exception {
        List<String> keys = HeapBudget.ofRun(config(Map.of("interfaces", "eth0")), 1).stream().map(HeapBudget.Cost::keys).toList();
        assertEquals(3, keys.size(), keys.toString());
        assertTrue(keys.get(0).endsWith("x 1 NIC"), keys.get(0));
        List<String> withMqtt = HeapBudget.ofRun(config(Map.of("interfaces", "eth0", "mqtt.url", "tcp://192.0.2.1",
                "mqtt.buffer-dir", "/var/spool/x")), 1).stream().map(HeapBudget.Cost::keys).toList();
        assertEquals(List.of("mqtt.evidence-buffer"), withMqtt.subList(3, withMqtt.size()));
    }

    @Test
    void shouldRefuseTablesTooLargeForAReplay() throws Exception {
        Config cfg = config(Map.of("tables.connections", "4000000"));
        Optional<String> refusal = HeapBudget.refusal(HeapBudget.ofReplay(cfg), unitLongLivedHeap());
        assertTrue(refusal.isPresent() && refusal.get().contains("tables.connections/servers/arp/dns"), refusal.toString());
    }
}
