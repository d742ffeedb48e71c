package org.tapdoctor.capture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;

import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.tinylog.Logger;

/**
 * Reads a pcap or pcapng file through libpcap (pcap4j) and hands every frame to a
 * {@link FrameHandler}, with its timestamp at nanosecond precision and the file's link type.
 * Uses {@code PcapHandle.loop} with a raw listener: pcap4j then does not decode packets (measured
 * ~2 Mpps versus ~0.3 Mpps for {@code getNextPacketEx}); pcap4j itself still allocates the frame's
 * byte array and a timestamp per packet, which is outside our control. Replay reads files with
 * {@link CaptureFileReader} by default; this class serves {@code --reader libpcap} and the formats
 * only libpcap knows.
 */
public final class PcapFileSource {
    private PcapFileSource() {
    }

    /**
     * Replays {@code file} into {@code handler}.
     * @return the number of frames read
     * @throws CaptureException when the file is missing, unreadable or not a capture libpcap knows
     */
    public static long replay(Path file, FrameHandler handler) throws CaptureException {
        return replay(file, handler, "");
    }

    /**
     * Replays {@code file} through a libpcap filter expression first (empty: none), as live
     * capture applies it in the kernel: tests prove the engine needs nothing the filter drops.
     */
    public static long replay(Path file, FrameHandler handler, String filter) throws CaptureException {
        if (!Files.exists(file)) {
            throw new CaptureException(file + ": no such file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CaptureException(file + ": not a readable file");
        }
        PcapHandle handle;
        try {
            handle = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO);
        } catch (PcapNativeException e) {
            throw new CaptureException(file + ": cannot read as pcap/pcapng: " + oneLine(e.getMessage()), e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new CaptureException("libpcap is not installed (Debian: apt-get install libpcap0.8): "
                    + oneLine(e.getMessage()), e);
        }
        final long[] frames = {0};
        try (handle) {
            if (!filter.isEmpty()) {
                handle.setFilter(filter, org.pcap4j.core.BpfProgram.BpfCompileMode.OPTIMIZE);
            }
            final int linkType = handle.getDlt().value();
            final PcapHandle h = handle;
            handle.loop(-1, (byte[] packet) -> {
                frames[0]++;
                Timestamp ts = h.getTimestamp();
                long nanos = Math.floorDiv(ts.getTime(), 1000L) * 1_000_000_000L + ts.getNanos();
                Integer wire = h.getOriginalLength();
                handler.onFrame(packet, packet.length, wire == null ? packet.length : wire, nanos, linkType, -1);
            });
        } catch (PcapNativeException e) {
            // A capture cut short (truncated last record) still has value: keep what was read.
            if (frames[0] == 0) {
                throw new CaptureException(file + ": read error: " + oneLine(e.getMessage()), e);
            }
            Logger.warn("{}: read error after {} frames, the rest of the file is ignored: {}", file, frames[0],
                    oneLine(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException(file + ": interrupted after " + frames[0] + " frames", e);
        } catch (NotOpenException e) {
            throw new CaptureException(file + ": handle closed unexpectedly", e);
        }
        return frames[0];
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').trim();
    }
}
