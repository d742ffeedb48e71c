package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.jr.ob.JSON;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.diagnose.Severity;
import org.tapdoctor.publish.Stats;

/**
 * The sink's status from the clock it is given: a sink that was not started (no publisher thread,
 * no broker) is asked for its status while the test moves the clock. Times, uptime and health come
 * from that clock alone; table fill and the CPU temperature from the stats and a thermal directory.
 */
class MqttSinkStatusTest {
    static final Instant T0 = Instant.parse("2026-11-22T01:00:00Z");

    @Test
    void shouldTakeTimesUptimeAndHealthFromTheClockItWasGiven(@TempDir Path thermal) throws Exception {
        ManualClock clock = new ManualClock(T0);
        MqttSink sink = MqttSink.create(MqttSettings.plain("tcp://127.0.0.1:1", "clock"), "test", clock,
                CpuTemperature.find(thermal));
        Payloads.Status s = sink.status();
        assertEquals(T0, s.started());
        assertEquals(T0, s.time());
        assertEquals("ok", s.health());
        assertTrue(Double.isNaN(s.cpuTemperature()), "no CPU zone: no temperature");

        clock.advance(3_600_000);
        sink.diagnosis(Synthetic.refused(1));
        sink.stats(new Stats(T0, List.of(new Stats.Nic("eth0", "up 1G full", 10, 2, 1, 0)), 5, 1, 16384, 65536, 0, 0, 1));
        s = sink.status();
        assertEquals(T0.plusSeconds(3600), s.time());
        Map<String, Object> json = JSON.std.mapFrom(Payloads.status(s));
        assertEquals(3600, json.get("uptime_s"));
        assertEquals(25.0, ((Number) json.get("table_fill")).doubleValue());
        assertEquals(3, json.get("kernel_drops"));
        assertEquals("ok", s.health(), "handed over but not sent yet: the health waits for the broker");
        assertEquals(1, s.diagnoses());
        assertEquals(1, s.buffered());

        // what the publisher thread does when it sends it
        sink.health().sent(Severity.CRITICAL, clock.millis());
        assertEquals("failure", sink.status().health());
        assertTrue(sink.status().problem());
        clock.advance(SinkHealth.WINDOW_MILLIS - 1);
        assertTrue(sink.status().problem());
        clock.advance(1);
        assertEquals("ok", sink.status().health());
        assertFalse(sink.status().problem());
        assertEquals(T0.plusSeconds(3600).plusMillis(SinkHealth.WINDOW_MILLIS), sink.status().time());
    }

    @Test
    void shouldReadTheCpuTemperatureOfAPiZoneOnly(@TempDir Path thermal) throws Exception {
        CpuTemperatureTest.zone(thermal, 0, "x86_pkg_temp", "51000");
        MqttSink pc = MqttSink.create(MqttSettings.plain("tcp://127.0.0.1:1", "pc"), "test", new ManualClock(T0),
                CpuTemperature.find(thermal));
        assertNull(JSON.std.mapFrom(Payloads.status(pc.status())).get("cpu_temperature"));
        CpuTemperatureTest.zone(thermal, 1, "cpu-thermal", "48712");
        MqttSink pi = MqttSink.create(MqttSettings.plain("tcp://127.0.0.1:1", "pi"), "test", new ManualClock(T0),
                CpuTemperature.find(thermal));
        assertEquals(48.7, ((Number) JSON.std.mapFrom(Payloads.status(pi.status())).get("cpu_temperature")).doubleValue());
        Files.writeString(thermal.resolve("thermal_zone1/temp"), "50049\n");
        assertEquals(50.0, pi.status().cpuTemperature(), "read again for every status");
    }
}
