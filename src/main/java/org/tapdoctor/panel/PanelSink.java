package org.tapdoctor.panel;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.tapdoctor.diagnose.Diagnosis;
import org.tapdoctor.publish.DiagnosisSink;
import org.tapdoctor.publish.Stats;
import org.tinylog.Logger;

/**
 * The panel as a sink of the live service: it passes everything on to the sink it wraps (the
 * console) and feeds the {@link PanelModel}, which lives on the panel's own thread together with
 * the display. The engine thread never waits for the panel: a diagnosis is offered to a bounded
 * queue (dropped and counted when full), counters and stats are a latest-value-wins reference,
 * and the panel thread redraws every 100 ms from whatever is newest, so a slow LCD skips states
 * instead of queueing them. Button edges from the hardware's thread, and acknowledgements asked
 * for remotely ({@link #acknowledge()}), go through the same queue; the presses the model decides
 * (short, long) go to a {@link Presses} listener, called on the panel thread.
 */
public final class PanelSink implements DiagnosisSink {
    static final long FRAME_NANOS = 100_000_000L;
    private static final long NETWORK_REFRESH_NANOS = 30_000_000_000L;

    /** A diagnosis (published, or {@link #WITHDRAWN}), or a button edge (1 down, 0 up), or {@link #ACKNOWLEDGE}. */
    private record Event(Diagnosis diagnosis, int button, long nanos) {
    }

    private static final int ACKNOWLEDGE = 2, WITHDRAWN = 3;

    /** Told of each press the panel decided; called on the panel thread, so it must only hand it over. */
    @FunctionalInterface
    public interface Presses {
        void pressed(boolean longPress);
    }

    private record Counters(long frames, long ok, long failed, long nanos) {
    }

    private final DiagnosisSink next;
    private final PanelModel model;
    private final PanelDisplay display;
    private final LongSupplier clock;
    private final BlockingQueue<Event> events = new ArrayBlockingQueue<>(1024);
    private final AtomicReference<Counters> counters = new AtomicReference<>();
    private final AtomicReference<Stats> stats = new AtomicReference<>();
    private final AtomicReference<Boolean> mqtt = new AtomicReference<>();
    private final AtomicReference<org.tapdoctor.site.SiteRecord> site = new AtomicReference<>();
    private final AtomicLong dropped = new AtomicLong();
    private final Supplier<String> managementIp;
    private final String deviceId;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile PanelState last;
    private volatile Presses presses;
    private boolean failed;
    private long shortSeen;
    private long longSeen;

    /**
     * @param next the sink to pass everything on to (the console)
     * @param model the model, owned by the panel thread from now on
     * @param display where to show it
     * @param clock the panel's monotonic clock, nanoseconds (the model's time scale)
     * @param managementIp looked up every 30 s on the panel thread (null: unknown)
     * @param deviceId shown on the network page
     */
    public PanelSink(DiagnosisSink next, PanelModel model, PanelDisplay display, LongSupplier clock,
                     Supplier<String> managementIp, String deviceId) {
        this.next = next;
        this.model = model;
        this.display = display;
        this.clock = clock;
        this.managementIp = managementIp;
        this.deviceId = deviceId;
        display.buttons(pressed -> offer(new Event(null, pressed ? 1 : 0, clock.getAsLong())));
        this.thread = new Thread(this::loop, "panel");
        thread.setDaemon(true);
    }

    public PanelSink start() {
        thread.start();
        return this;
    }

    @Override
    public void diagnosis(Diagnosis d) {
        display.printAbove(() -> next.diagnosis(d));
        offer(new Event(d, -1, clock.getAsLong()));
    }

    /** A later verdict replaced a diagnosis: its page goes (the replacement has its own). */
    @Override
    public void withdrawn(Diagnosis d) {
        next.withdrawn(d);
        offer(new Event(d, WITHDRAWN, clock.getAsLong()));
    }

    @Override
    public void revised(Diagnosis d) {
        next.revised(d);
    }

    @Override
    public void retired(Diagnosis d) {
        next.retired(d);
    }

    /** The site record changed: the console's line, then the panel's site pages (latest wins). */
    @Override
    public void site(org.tapdoctor.site.SiteRecord r) {
        display.printAbove(() -> next.site(r));
        site.set(r);
    }

    @Override
    public void stats(Stats s) {
        display.printAbove(() -> next.stats(s));
        stats.set(s);
    }

    @Override
    public void counters(long frames, long handshakesOk, long handshakesFailed) {
        next.counters(frames, handshakesOk, handshakesFailed);
        counters.set(new Counters(frames, handshakesOk, handshakesFailed, clock.getAsLong()));
    }

    /** Whether MQTT is connected (null: not configured); any thread. */
    public void mqttConnected(Boolean connected) {
        mqtt.set(connected);
    }

    /** Asks {@code connected} for the MQTT link state on every redraw (on the panel's thread). */
    public void watchMqtt(java.util.function.BooleanSupplier connected) {
        this.mqttState = connected;
    }

    private volatile java.util.function.BooleanSupplier mqttState;

    /**
     * Acknowledges every problem as the 2 s press does (for the remote {@code ack}); any thread,
     * never waits: the panel thread does it before its next frame.
     */
    public void acknowledge() {
        offer(new Event(null, ACKNOWLEDGE, clock.getAsLong()));
    }

    /** Who is told of each short and long press (the MQTT sink's device triggers); set before the presses matter. */
    public void onPress(Presses listener) {
        this.presses = listener;
    }

    /** Diagnoses the panel had no room for (the queue holds 1024). */
    public long dropped() {
        return dropped.get();
    }

    /** The last state drawn, or null before the first frame. */
    public PanelState lastState() {
        return last;
    }

    private boolean modelFailed;

    private void offer(Event e) {
        if (!events.offer(e)) {
            dropped.incrementAndGet();
        }
    }

    private void loop() {
        long nextNetwork = Long.MIN_VALUE;
        while (running) {
            java.util.function.BooleanSupplier watched = mqttState;
            if (watched != null) {
                mqtt.set(watched.getAsBoolean());
            }
            try {
                Event e = events.poll(FRAME_NANOS, TimeUnit.NANOSECONDS);
                if (e != null) {
                    apply(e);
                }
                long now = clock.getAsLong();
                if (now - nextNetwork >= 0 || nextNetwork == Long.MIN_VALUE) {
                    model.network(managementIp.get(), deviceId);
                    nextNetwork = now + NETWORK_REFRESH_NANOS;
                }
                frame(now);
            } catch (InterruptedException ex) {
                break;
            } catch (RuntimeException ex) {
                // One bad input must not leave the box without its panel: skip it, log it once.
                if (!modelFailed) {
                    modelFailed = true;
                    Logger.error(ex, "panel: an input could not be shown (skipped; further errors are not logged)");
                }
            }
        }
    }

    private void frame(long now) {
        Event e;
        while ((e = events.poll()) != null) {
            apply(e);
        }
        Counters c = counters.get();
        if (c != null) {
            model.traffic(c.nanos, c.frames, c.ok, c.failed);
        }
        Stats s = stats.getAndSet(null);
        if (s != null) {
            model.stats(s);
        }
        org.tapdoctor.site.SiteRecord r = site.getAndSet(null);
        if (r != null) {
            model.site(r);
        }
        model.mqtt(mqtt.get());
        model.tick(now);
        reportPresses();
        PanelState state = model.state();
        last = state;
        try {
            display.show(state, now);
        } catch (RuntimeException ex) {
            if (!failed) {
                failed = true;
                Logger.warn("panel: the display failed ({}); the panel keeps trying, further errors are not logged",
                        ex.toString());
            }
        }
    }

    private void apply(Event e) {
        if (e.diagnosis != null && e.button == WITHDRAWN) {
            model.withdrawn(e.diagnosis);
        } else if (e.diagnosis != null) {
            model.diagnosis(e.diagnosis, e.nanos);
        } else if (e.button == ACKNOWLEDGE) {
            model.acknowledge(e.nanos);
        } else {
            model.button(e.button == 1, e.nanos);
        }
        reportPresses();
    }

    private void reportPresses() {
        Presses p = presses;
        while (shortSeen < model.shortPresses()) {
            shortSeen++;
            if (p != null) {
                p.pressed(false);
            }
        }
        while (longSeen < model.longPresses()) {
            longSeen++;
            if (p != null) {
                p.pressed(true);
            }
        }
    }

    /** Stops the panel thread after one last frame, closes the display, then the wrapped sink. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            frame(clock.getAsLong());
        }
        display.close();
        next.close();
    }
}
