package org.tapdoctor.capture;

import java.util.function.LongSupplier;

import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.tinylog.Logger;

/**
 * Live capture on one NIC of the bridge, on its own thread: a pcap4j handle in promiscuous mode,
 * direction in (each frame is seen once, on the port it entered by, which tells its side), a
 * small snaplen, an enlarged kernel buffer and the {@link CaptureFilter}. Frames go into a
 * {@link FrameRing} stamped with the kernel's receive time
 * (checked against the given monotonic clock). When the NIC disappears or fails (a USB adapter
 * unplugged), the handle is closed and reopened with backoff (1 s doubling to 30 s); the thread
 * never dies of it.
 *
 * <p>The handle is non-blocking: a blocking read on an idle link never returns (measured here,
 * with and without immediate mode), so a stuck loop and a quiet link would look the same to the
 * watchdog. The loop reads everything ready, and parks {@link #IDLE_PARK_NANOS} when there was
 * nothing: at most ~1,000 wake-ups a second on an idle NIC, none wasted under load.
 *
 * <p>The capture loop uses {@code dispatch}, which returns at least every read timeout even on
 * an idle link, so {@link #heartbeatNanos()} proves the loop is alive (the systemd watchdog is fed
 * from it) and the kernel drop counters are read every second.
 */
public final class LiveCapture implements AutoCloseable, PortMerge.Port {
    /** How a NIC is opened. */
    public record Settings(int snaplen, int bufferBytes, int readTimeoutMillis, String filter) {
        public static Settings defaults() {
            // 640: a whole DHCP message (576 octets of IP at most, RFC 2131) and a switch's LLDP/CDP.
            // 32 MiB: in immediate mode every frame takes a slot of the snaplen's size, so 8 MiB held
            // ~11,600 frames, ~15 ms of a 0.8 Mpps flood, and a pinned service lost bursts whenever
            // the JIT or a sweep held its core longer (src/bench/README.md, flood-bench); 32 MiB
            // (~46,000 frames) kept every frame up to 0.91 Mpps there. Kernel memory, not heap.
            return new Settings(640, 32 << 20, 50, CaptureFilter.expression());
        }
    }

    private static final long MAX_BACKOFF_NANOS = 30_000_000_000L;
    /** How long an idle capture loop sleeps before reading again. */
    static final long IDLE_PARK_NANOS = 1_000_000L;

    private final String nic;
    private final Settings settings;
    private final FrameRing ring;
    private final LongSupplier clock;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile PcapHandle handle;
    private volatile boolean open;
    private volatile int linkType = 1;
    private volatile long heartbeatNanos;
    /** Every frame stamped before this is in the ring (written by the capture thread only). */
    private final Watermark watermark;
    /** The capture thread's allocation counter and frames delivered when its handle last opened. */
    private volatile long allocatedAtOpen = -1;
    private volatile long deliveredAtOpen;
    private volatile long allocatedAtEnd = -1;
    private volatile long received;
    private volatile long delivered;
    private volatile long kernelDrops;
    private volatile long interfaceDrops;
    /** The counters of the handles closed before the current one (capture thread only). */
    private long receivedBase;
    private long kernelDropsBase;
    private long interfaceDropsBase;
    private volatile long opens;
    private volatile String lastError = "";

    public LiveCapture(String nic, Settings settings, FrameRing ring, LongSupplier clock) {
        this.nic = nic;
        this.settings = settings;
        this.ring = ring;
        this.clock = clock;
        this.watermark = new Watermark(clock);
        this.thread = new Thread(this::run, "capture-" + nic);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        long backoff = 1_000_000_000L;
        while (running) {
            PcapHandle h = null;
            try {
                h = openHandle();
                // Before the handle counts as open: the first PcapNative registers libpcap with JNA
                // (a few hundred ms on a cold JVM), and a port whose first read waited that long
                // behind an open one would let the merge pass its frames out of order.
                PcapNative pcap = new PcapNative(h, settings.snaplen());
                readStats(h); // likewise pcap4j's first pcap_stats (its JNA structures), off the first second's reads
                handle = h;
                watermark.cameRound(); // before it counts as open: not taken for a stalled port
                open = true;
                opens++;
                backoff = 1_000_000_000L;
                Logger.info("capturing on {} (link type {}, snaplen {}, buffer {} bytes)", nic, linkType,
                        settings.snaplen(), settings.bufferBytes());
                captureUntilError(h, pcap);
            } catch (Exception | UnsatisfiedLinkError e) {
                if (running) {
                    String message = e.getMessage() == null ? e.toString() : e.getMessage().replace('\n', ' ');
                    if (!message.equals(lastError)) {
                        Logger.warn("capture on {} failed, retrying with backoff: {}", nic, message);
                    }
                    lastError = message;
                }
            } finally {
                open = false;
                handle = null;
                if (h != null) {
                    h.close();
                }
                // pcap_stats counts from the handle's opening: the next handle adds to these totals
                receivedBase = received;
                kernelDropsBase = kernelDrops;
                interfaceDropsBase = interfaceDrops;
            }
            if (running) {
                sleepNanos(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
            }
        }
    }

    private PcapHandle openHandle() throws Exception {
        PcapHandle h = new PcapHandle.Builder(nic)
                .snaplen(settings.snaplen())
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.PROMISCUOUS)
                .timeoutMillis(settings.readTimeoutMillis())
                .immediateMode(true)
                .bufferSize(settings.bufferBytes())
                .direction(PcapHandle.PcapDirection.IN)
                .timestampPrecision(PcapHandle.TimestampPrecision.NANO)
                .build();
        try {
            // The kernel must not queue a bridge port's outgoing frames (every frame entering by
            // the other port): libpcap drops them only in user space, after they have filled the
            // socket's buffer and counted as drops on the idle port. PACKET_IGNORE_OUTGOING does it
            // without "inbound" in the filter, which loses the first frame after each open
            // (PacketSocket); "inbound" only on a kernel older than 4.20.
            String filter = settings.filter();
            if (!PacketSocket.ignoreOutgoing(PcapNative.pcapPointer(h))) {
                Logger.warn("{}: the kernel does not take PACKET_IGNORE_OUTGOING; filtering with \"inbound\" (the first frame after each open may be lost)", nic);
                filter = filter.isEmpty() ? "inbound" : "inbound and (" + filter + ")";
            }
            h.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
            h.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
            linkType = h.getDlt().value();
            return h;
        } catch (Exception e) {
            h.close();
            throw e;
        }
    }

    private void captureUntilError(PcapHandle h, PcapNative pcap) throws Exception {
        final FrameRing r = ring;
        long nextStats = System.nanoTime() + 1_000_000_000L; // read at open
        deliveredAtOpen = delivered;
        allocatedAtOpen = allocatedBy(Thread.currentThread().getId());
        while (true) {
            // Back-pressure: read no more than the ring has room for, so that when the engine falls
            // behind, frames wait in the kernel's buffer (capture.buffer) instead of being dropped here.
            int room = r.capacity() - r.size();
            int n = room == 0 ? 0 : readSome(h, pcap, room);
            if (!running && (n <= 0 || room == 0)) {
                break; // stopping: what the kernel still held has been read (or the engine stopped taking it)
            }
            if (n <= 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
            watermark.cameRound();
            long now = System.nanoTime();
            heartbeatNanos = now;
            if (now >= nextStats) {
                readStats(h);
                nextStats = now + 1_000_000_000L;
            }
        }
        readStats(h); // the final stats count the last second too
        allocatedAtEnd = allocatedBy(Thread.currentThread().getId()); // a finished thread has no counter
    }

    /**
     * Reads at most {@code max} frames into the ring, allocating nothing, publishing the watermark
     * as it goes ({@link Watermark}: every engine batch of frames, and what the read proves at its end).
     */
    private int readSome(PcapHandle h, PcapNative pcap, int max) throws Exception {
        long before = stampNow(clock.getAsLong());
        boolean dry = false;
        int n = 0;
        while (n < max) {
            int rc = pcap.next();
            if (rc == PcapNative.FRAME) {
                delivered++;
                long stamp = frameTime(pcap.stampNanos(), clock.getAsLong());
                ring.offer(pcap.bytes(), pcap.captured(), pcap.wire(), stamp);
                watermark.frame(stamp);
                n++;
            } else if (rc == PcapNative.NONE || rc == PcapNative.BREAK) {
                dry = rc == PcapNative.NONE;
                break;
            } else {
                throw new IllegalStateException("reading " + nic + " failed: " + h.getError());
            }
        }
        watermark.endOfRead(n, dry, before);
        return n;
    }

    private void readStats(PcapHandle h) throws Exception {
        PcapStat s = h.getStats();
        received = receivedBase + s.getNumPacketsReceived();
        kernelDrops = kernelDropsBase + s.getNumPacketsDropped();
        interfaceDrops = interfaceDropsBase + s.getNumPacketsDroppedByIf();
    }

    /**
     * The kernel's receive timestamp: taken when the frame arrived, so frames of both NICs merge
     * in wire order even when one capture thread runs late. It is wall-clock time; if it strays
     * more than a second from the service's monotonic clock (the wall clock was stepped), the
     * monotonic time is used, so timeouts never jump.
     */
    private static long frameTime(long kernel, long monotonicNow) {
        return Math.abs(kernel - monotonicNow) <= 1_000_000_000L ? kernel : monotonicNow;
    }

    /**
     * Now in the stamps' time base: the wall clock, as the kernel stamps frames (milliseconds,
     * truncated: never later than the truth), unless it strays as {@link #frameTime} allows.
     */
    private static long stampNow(long monotonicNow) {
        long wall = System.currentTimeMillis() * 1_000_000L;
        return Math.abs(wall - monotonicNow) <= 1_000_000_000L ? wall : monotonicNow;
    }

    private void sleepNanos(long nanos) {
        long end = System.nanoTime() + nanos;
        while (running && System.nanoTime() < end) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops the capture thread (breaking out of the read) and closes the handle. */
    @Override
    public void close() {
        running = false;
        PcapHandle h = handle;
        if (h != null) {
            try {
                h.breakLoop();
            } catch (Exception e) {
                Logger.debug(e, "breakLoop on {}", nic);
            }
        }
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Heap bytes the capture thread allocated since its handle last opened, and the frames it
     * delivered meanwhile: the steady state of the per-frame path (-1 when the JVM cannot tell).
     */
    public long steadyAllocatedBytes() {
        long at = allocatedAtOpen, now = thread.isAlive() ? allocatedBy(thread.getId()) : allocatedAtEnd;
        return at < 0 || now < 0 ? -1 : now - at;
    }

    public long steadyFrames() {
        return delivered - deliveredAtOpen;
    }

    private static long allocatedBy(long threadId) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (mx instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()) {
            return sun.getThreadAllocatedBytes(threadId);
        }
        return -1;
    }

    public String nic() { return nic; }
    @Override public FrameRing ring() { return ring; }
    @Override public boolean isOpen() { return open; }
    @Override public long watermark() { return watermark.value(); }
    @Override public long aliveAt() { return watermark.aliveAt(); }
    public int linkType() { return linkType; }
    /** {@link System#nanoTime()} when the capture loop last came round, 0 before the first. */
    public long heartbeatNanos() { return heartbeatNanos; }
    /** Packets that passed the kernel filter (pcap_stats ps_recv), summed over every handle since start. */
    public long received() { return received; }
    /** Frames this NIC delivered to the engine's ring (after the filter and the direction). */
    public long delivered() { return delivered; }
    /** Packets the kernel dropped for lack of buffer space (pcap_stats ps_drop), summed over every handle since start. */
    public long kernelDrops() { return kernelDrops; }
    /** Packets the NIC or its driver dropped (ps_ifdrop), summed over every handle since start. */
    public long interfaceDrops() { return interfaceDrops; }
    public long opens() { return opens; }
    public String lastError() { return lastError; }
}
