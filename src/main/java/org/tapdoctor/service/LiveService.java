package org.tapdoctor.service;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import org.tapdoctor.capture.FrameHandler;
import org.tapdoctor.capture.FrameRing;
import org.tapdoctor.capture.LiveCapture;
import org.tapdoctor.capture.PortMerge;
import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.site.SiteRecord;
import org.tapdoctor.diagnose.DiagnosisListener;
import org.tapdoctor.diagnose.Kind;
import org.tapdoctor.diagnose.Sides;
import org.tapdoctor.diagnose.kinds.CaptureDrops;
import org.tapdoctor.engine.Engine;
import org.tapdoctor.engine.EngineSettings;
import org.tapdoctor.publish.DiagnosisSink;
import org.tapdoctor.publish.Stats;
import org.tapdoctor.track.Tracker;
import org.tapdoctor.wire.DecodeResult;
import org.tinylog.Logger;

/**
 * The engine thread of the live service: merges the frames of the capture rings in time order
 * into the {@link Engine}, moves the engine's time on the monotonic clock (so a SYN nobody answers
 * is reported ~3 s after its last retransmission even on a silent link), publishes the diagnoses
 * the engine streams as they are decided, watches the links and the kernel's drop counters,
 * prints periodic stats, and feeds the systemd watchdog only while every capture loop is alive.
 * With evidence on ({@link LiveEvidence}), every frame handed to the engine is also kept in a ring
 * of recent frames, and each diagnosis's frames are written to a pcap just before it is published
 * (the diagnoses of one engine call share one pass over the ring). {@link #stop()} (SIGTERM)
 * drains what was captured, flushes the engine as the end of a replay does, and publishes the
 * final stats.
 */
final class LiveService implements DiagnosisListener {
    private static final long TICK_NANOS = 100_000_000L;
    private static final long LINK_POLL_NANOS = 1_000_000_000L;
    private static final long HEARTBEAT_MAX_NANOS = 5_000_000_000L;
    private final List<LiveCapture> captures;
    private final PortMerge merge;
    private final List<String> sides;
    private final Engine engine;
    /** The engine, behind the recent-frames ring when evidence is on. */
    private final FrameHandler frames;
    private final LiveEvidence evidence;
    private final DiagnosisSink sink;
    private final LongSupplier clock;
    private final LinkMonitor links;
    private final SystemdNotifier systemd;
    private final long statsNanos;
    /** What the engine streamed during the current call, published when it returns. */
    private final List<Runnable> streamed = new ArrayList<>();
    private final List<Diagnosis> toPublish = new ArrayList<>();
    private final CaptureDrops.Watch drops;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean running = true;
    private long diagnosesPublished;
    private final FrameAges ages = new FrameAges();

    LiveService(List<LiveCapture> captures, List<String> sides, EngineSettings settings, DiagnosisSink sink,
                LongSupplier clock, Path sysClassNet, SystemdNotifier systemd, long statsNanos, LiveEvidence evidence) {
        this.captures = captures;
        this.merge = new PortMerge(captures.toArray(new PortMerge.Port[0]));
        this.sides = sides;
        this.engine = new Engine(settings, new Sides(sides), this);
        this.evidence = evidence;
        this.frames = evidence == null ? engine : evidence.recent().tee(engine);
        this.sink = sink;
        this.clock = clock;
        this.links = new LinkMonitor(sysClassNet, sides);
        this.systemd = systemd;
        this.statsNanos = statsNanos;
        this.drops = new CaptureDrops.Watch(settings.report().repeatNanos());
    }

    Engine engine() {
        return engine;
    }

    /** Runs until {@link #stop()}; returns after the final flush. */
    void run() {
        try {
            captures.forEach(LiveCapture::start);
            waitForOpen(2_000_000_000L);
            systemd.ready("capturing on " + String.join(", ", sides));
            long now = clock.getAsLong();
            long nextTick = now, nextLinks = now, nextStats = now + statsNanos;
            long nextWatchdog = 0;
            long engineAllocatedAtStart = allocatedBy(Thread.currentThread().getId());
            long engineFramesAtStart = engine.tracker().stats().frames;
            while (running) {
                int frames = drain(512);
                now = clock.getAsLong();
                engine.advance(now); // timeouts and reporting are due by the engine's own clock
                publishStreamed();
                if (now >= nextTick) {
                    nextTick = now + TICK_NANOS;
                    Tracker t = engine.tracker();
                    sink.counters(t.stats().frames, t.stats().handshakesOk, t.stats().handshakesFailed);
                }
                if (now >= nextLinks) {
                    publishEvents(links.poll(now));
                    engine.site().links(linkStates());
                    publishEvents(captureDrops(now));
                    nextLinks = now + LINK_POLL_NANOS;
                }
                if (now >= nextStats) {
                    sink.stats(stats(now));
                    nextStats = now + statsNanos;
                }
                if (now >= nextWatchdog && capturesAlive()) {
                    systemd.watchdog();
                    nextWatchdog = now + 1_000_000_000L;
                }
                if (frames == 0) {
                    LockSupport.parkNanos(200_000L);
                }
            }
            systemd.stopping();
            captures.forEach(LiveCapture::close);
            long engineAllocated = allocatedBy(Thread.currentThread().getId());
            long engineFrames = engine.tracker().stats().frames;
            drain(Integer.MAX_VALUE, Long.MAX_VALUE, now, false);
            now = clock.getAsLong();
            engine.advance(now);
            engine.finish(); // the same flush as the end of a replay
            publishStreamed();
            Stats last = stats(now);
            sink.stats(last);
            Logger.info("final {}", last.line());
            for (LiveCapture c : captures) {
                // The capture path's promise, measured: no allocation per frame in steady state.
                Logger.info("{}: {} frames since its handle opened, its capture thread allocated {} bytes", c.nic(),
                        c.steadyFrames(), c.steadyAllocatedBytes());
            }
            Logger.info("engine: {} frames since its loop started, the engine thread allocated {} bytes",
                    engineFrames - engineFramesAtStart,
                    engineAllocated < 0 || engineAllocatedAtStart < 0 ? -1 : engineAllocated - engineAllocatedAtStart);
            Logger.info("merge: {} frames handed to the engine {} ms old at the median, {} ms at p99, {} ms at most;"
                    + " handed on before every port had caught up: {} (a ring three quarters full), {} (a port's thread not come round for {} ms)",
                    ages.total(), ages.percentileMillis(50), ages.percentileMillis(99), String.format("%.1f", ages.maxMillis()),
                    merge.earlyFull(), merge.earlyWaitedOut(), PortMerge.MAX_WAIT_NANOS / 1_000_000L);
        } finally {
            finished.countDown();
        }
    }

    /** Asks the loop to finish and waits (at most {@code timeoutMillis}) for the final flush. */
    void stop(long timeoutMillis) {
        running = false;
        try {
            finished.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void waitForOpen(long maxNanos) {
        long end = System.nanoTime() + maxNanos;
        while (System.nanoTime() < end && captures.stream().anyMatch(c -> !c.isOpen())) {
            LockSupport.parkNanos(10_000_000L);
        }
        for (LiveCapture c : captures) {
            if (!c.isOpen()) {
                Logger.warn("{} is not capturing yet ({}); it is retried in the background", c.nic(), c.lastError());
            }
        }
    }

    /**
     * Frames from all rings, oldest first, at most {@code max}, and only those every port has
     * caught up with ({@link PortMerge}): a frame in one ring may be older than one already waiting
     * in the other (its capture thread ran late). A SYN/ACK processed before its SYN would
     * otherwise look like an attempt without a SYN.
     */
    private int drain(int max) {
        long now = clock.getAsLong();
        return drain(max, merge.horizon(now), now, true);
    }

    private int drain(int max, long horizon, long now, boolean measure) {
        int n = 0;
        while (n < max) {
            int best = merge.next(horizon);
            if (best < 0) {
                break;
            }
            LiveCapture c = captures.get(best);
            if (measure) {
                long stamp = c.ring().peekTime();
                ages.add(now - stamp);
                merge.early(stamp);
            }
            c.ring().poll(frames, c.linkType(), best);
            n++;
            if (!streamed.isEmpty()) {
                publishStreamed(); // a diagnosis decided by this frame goes out now, not after the batch
            }
        }
        return n;
    }

    /** Capture threads that are open must have come round recently; reopening ones are alive too. */
    private boolean capturesAlive() {
        long now = System.nanoTime();
        for (LiveCapture c : captures) {
            if (c.isOpen() && now - c.heartbeatNanos() > HEARTBEAT_MAX_NANOS) {
                return false;
            }
        }
        return true;
    }

    private List<Diagnosis> captureDrops(long now) {
        List<Diagnosis> out = new ArrayList<>();
        for (LiveCapture c : captures) {
            Diagnosis d = drops.check(c.nic(), c.kernelDrops(), c.interfaceDrops(), c.ring().dropped(), now);
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    // ---- what the engine streams (on this thread, during engine calls) ----

    @Override
    public void diagnosis(Diagnosis d) {
        int at = toPublish.size();
        toPublish.add(d);
        streamed.add(() -> publishNow(toPublish.get(at)));
    }

    @Override
    public void withdrawn(Diagnosis d) {
        streamed.add(() -> sink.withdrawn(d));
    }

    @Override
    public void retired(Diagnosis d) {
        streamed.add(() -> sink.retired(d));
    }

    @Override
    public void revised(Diagnosis d) {
        streamed.add(() -> sink.revised(d));
    }

    @Override
    public void site(SiteRecord r) {
        streamed.add(() -> sink.site(r));
    }

    /**
     * Publishes what the engine streamed, in order, each diagnosis with its evidence file written
     * first (one pass over the ring for all of them; on this thread: small and bounded).
     */
    private void publishStreamed() {
        if (streamed.isEmpty()) {
            return;
        }
        if (evidence != null && !toPublish.isEmpty()) {
            List<Diagnosis> withFiles = evidence.write(toPublish);
            for (int i = 0; i < withFiles.size(); i++) {
                toPublish.set(i, withFiles.get(i));
            }
        }
        for (Runnable r : streamed) {
            r.run();
        }
        streamed.clear();
        toPublish.clear();
    }

    private void publishNow(Diagnosis d) {
        diagnosesPublished++;
        sink.diagnosis(d);
    }

    /** The box's own health events (links, drops): published at once, with no evidence file. */
    private void publishEvents(List<Diagnosis> ds) {
        for (Diagnosis d : ds) {
            publishNow(d);
        }
    }

    /** The NICs' link states, side A first, for the site record. */
    private Map<String, String> linkStates() {
        Map<String, String> states = new LinkedHashMap<>();
        for (String nic : sides) {
            LinkMonitor.Link l = links.links().get(nic);
            states.put(nic, l == null ? "?" : l.describe());
        }
        return states;
    }

    Stats stats(long now) {
        Tracker t = engine.tracker();
        List<Stats.Nic> nics = new ArrayList<>();
        for (LiveCapture c : captures) {
            LinkMonitor.Link l = links.links().get(c.nic());
            nics.add(new Stats.Nic(c.nic(), l == null ? "?" : l.describe(), c.delivered(), c.kernelDrops(), c.interfaceDrops(),
                    c.ring().dropped()));
        }
        long evictions = t.connections().evictions() + t.servers().evictions() + t.arp().evictions() + t.dns().evictions();
        long decodeErrors = engine.decoder().count(DecodeResult.TRUNCATED) + engine.decoder().count(DecodeResult.MALFORMED)
                + engine.decoder().count(DecodeResult.UNSUPPORTED_LINK_TYPE);
        return new Stats(Instant.ofEpochSecond(0, now), nics, t.stats().handshakesOk, t.stats().handshakesFailed,
                t.connections().size(), t.connections().capacity(), evictions, decodeErrors, diagnosesPublished);
    }

    private static long allocatedBy(long threadId) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (mx instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()) {
            return sun.getThreadAllocatedBytes(threadId);
        }
        return -1;
    }

    /** For frame rings built by the command. */
    static FrameRing ring(int frames, int snaplen) {
        return new FrameRing(frames, snaplen);
    }
}
