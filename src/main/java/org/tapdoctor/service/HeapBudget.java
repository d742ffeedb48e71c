package org.tapdoctor.service;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.tapdoctor.diagnose.ProblemTable;

/**
 * What a configuration's sized memory costs, checked against the heap before anything is
 * allocated: a configuration that cannot fit is refused at start with one line naming the keys,
 * what each costs and the heap, instead of an OutOfMemoryError minutes later (or at once, with a
 * stack trace, when the rings are allocated).
 *
 * <p>Everything sized by a key lives as long as the service: the capture rings, the tables and
 * the evidence ring are allocated once at start; the MQTT outboxes fill up to their bounds while
 * the broker is away. Such data ends up in the old generation, so the limit is the old
 * generation's maximum (two thirds of -Xmx under the unit's SerialGC, the whole heap under G1),
 * less {@link #WORKING_BYTES} for the short-lived rest.
 */
public final class HeapBudget {
    /** Heap kept for everything not sized by a key (Paho, the report being built, young copies). */
    public static final long WORKING_BYTES = 24L << 20;
    /**
     * Memory per queued diagnosis in the in-memory MQTT outbox: its JSON (0.4 to 1.2 KB in the
     * corpus replays) plus the entry around it.
     */
    static final int MQTT_BYTES_PER_DIAGNOSIS = 1536;
    /** A capture ring's bookkeeping per slot: captured length, wire length (int) and time (long). */
    static final int RING_BYTES_PER_SLOT = 16;

    /** One key's (or group of keys') share of the heap. */
    public record Cost(String keys, long bytes) {
        String text() {
            return keys + " = " + mib(bytes);
        }
    }

    private HeapBudget() {
    }

    /** The sized memory of {@code run} with this configuration on {@code nics} interfaces. */
    public static List<Cost> ofRun(Config cfg, int nics) {
        List<Cost> costs = new ArrayList<>();
        int ring = cfg.integer("capture.ring"), snaplen = cfg.integer("capture.snaplen");
        long slots = Integer.highestOneBit(Math.max(1, ring - 1)) << 1;
        costs.add(new Cost("capture.ring=" + ring + " x capture.snaplen=" + snaplen + " x " + nics + " NIC" + (nics == 1 ? "" : "s"),
                nics * (slots * (snaplen + RING_BYTES_PER_SLOT) + snaplen)));
        costs.addAll(ofReplay(cfg));
        if (!cfg.string("evidence.dir").isEmpty()) {
            costs.add(new Cost("evidence.ring-bytes", cfg.integer("evidence.ring-bytes")));
        }
        if (!cfg.string("mqtt.url").isEmpty()) {
            if (cfg.string("mqtt.buffer-dir").isEmpty()) {
                costs.add(new Cost("mqtt.buffer=" + cfg.integer("mqtt.buffer"),
                        (long) cfg.integer("mqtt.buffer") * MQTT_BYTES_PER_DIAGNOSIS));
            }
            if (cfg.integer("mqtt.evidence-max-bytes") > 0) {
                costs.add(new Cost("mqtt.evidence-buffer", cfg.integer("mqtt.evidence-buffer")));
            }
        }
        return costs;
    }

    /** The sized memory of the engine alone (what {@code replay} allocates). */
    public static List<Cost> ofReplay(Config cfg) {
        return List.of(
                new Cost("tables.connections/servers/arp/dns", cfg.trackerConfig().estimatedBytes()),
                new Cost("tables.problems=" + cfg.integer("tables.problems"),
                        (long) cfg.integer("tables.problems") * ProblemTable.BYTES_PER_ENTRY));
    }

    /**
     * The refusal, when {@code costs} and the working memory do not fit {@code longLivedBytes}:
     * one line for stderr.
     */
    public static Optional<String> refusal(List<Cost> costs, long longLivedBytes) {
        long total = costs.stream().mapToLong(Cost::bytes).sum();
        if (total + WORKING_BYTES <= longLivedBytes) {
            return Optional.empty();
        }
        return Optional.of("tapdoctor: the configuration needs " + mib(total + WORKING_BYTES) + " of long-lived heap, this JVM has "
                + mib(longLivedBytes) + " (old generation of a " + mib(Runtime.getRuntime().maxMemory()) + " heap): " + costs.stream().map(Cost::text).collect(Collectors.joining(", "))
                + ", working memory = " + mib(WORKING_BYTES)
                + "; lower these keys or raise -Xmx (TAPDOCTOR_JAVA_OPTS)");
    }

    /**
     * {@link #longLivedHeap()} asked on a thread of its own, to be taken with {@code join()}:
     * starting the JVM's management beans costs ~25 ms of class loading and initialisation, which a
     * replay overlaps with reading its configuration.
     */
    public static java.util.concurrent.CompletableFuture<Long> longLivedHeapSoon() {
        java.util.concurrent.CompletableFuture<Long> f = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(longLivedHeap());
            } catch (RuntimeException | Error e) {
                f.completeExceptionally(e);
            }
        }, "heap-budget");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** The largest the old (tenured) generation may grow, or the whole heap when there is none. */
    public static long longLivedHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            String name = pool.getName();
            if (pool.getType() == MemoryType.HEAP && (name.contains("Old") || name.contains("Tenured"))
                    && pool.getUsage().getMax() > 0) {
                return pool.getUsage().getMax();
            }
        }
        return Runtime.getRuntime().maxMemory();
    }

    static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
