package org.tapdoctor.engine;

import java.util.Objects;

import org.tapdoctor.diagnose.ProblemTable;
import org.tapdoctor.diagnose.Reporter;
import org.tapdoctor.track.DhcpSettings;
import org.tapdoctor.track.TrackerConfig;

/**
 * Everything the engine is built from: the tracker's tables and timeouts, and the reporting
 * rules. The defaults are the records' own ({@link TrackerConfig#defaults()},
 * {@link #reportDefaults()}); the configuration's documented defaults are taken from them.
 */
public record EngineSettings(TrackerConfig tracker, Reporter.Settings report, DhcpSettings dhcp) {
    private static final long MS = 1_000_000L, S = 1_000 * MS;

    public EngineSettings {
        Objects.requireNonNull(tracker, "tracker");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(dhcp, "dhcp");
    }

    /** With the DHCP rules' defaults ({@link DhcpSettings#defaults()}). */
    public EngineSettings(TrackerConfig tracker, Reporter.Settings report) {
        this(tracker, report, DhcpSettings.defaults());
    }

    public EngineSettings withDhcp(DhcpSettings d) {
        return new EngineSettings(tracker, report, d);
    }

    public static EngineSettings defaults() {
        return new EngineSettings(TrackerConfig.defaults(), reportDefaults());
    }

    /** report.pass 10ms, report.interval 1s, report.repeat 60s, report.retire 1h; diagnose.* 2, 8, 16, 16, 4. */
    public static Reporter.Settings reportDefaults() {
        return new Reporter.Settings(10 * MS, S, 60 * S, 3600 * S, 2, 8, 16, 16, 4);
    }

    public EngineSettings withTracker(TrackerConfig t) {
        return new EngineSettings(t, report, dhcp);
    }

    /** Heap bytes of the engine's fixed tables (the tracker's and the problems'). */
    public long estimatedBytes() {
        return tracker.estimatedBytes() + (long) tracker.problems() * ProblemTable.BYTES_PER_ENTRY;
    }
}
