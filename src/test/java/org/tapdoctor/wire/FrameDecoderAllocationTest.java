package org.tapdoctor.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks that decoding allocates nothing (every sample of {@link Frames#samples()}: IP, ARP and the
 * site protocols; and the TLS records of every TCP segment with a payload, as the tracker will ask
 * for them), by the JVM's per-thread allocation counter: a
 * correctness check of the "no garbage on the packet path" contract, not a timing test.
 */
class FrameDecoderAllocationTest {
    private static final int DECODES = 100_000;
    /** Slack for the JIT or the counter itself; a per-decode allocation would be megabytes. */
    private static final long MAX_BYTES = 1024;

    @Test
    void shouldAllocateNothingPerDecode() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation counting not supported");
        threads.setThreadAllocatedMemoryEnabled(true);

        List<Frames.Sample> list = Frames.samples();
        byte[][] frames = new byte[list.size() + 3][];
        int[] linkTypes = new int[frames.length];
        for (int i = 0; i < list.size(); i++) {
            frames[i] = list.get(i).bytes();
            linkTypes[i] = list.get(i).linkType();
        }
        // and results other than OK: truncated, malformed, unsupported
        frames[list.size()] = Frames.ethernetIpv4Syn();
        linkTypes[list.size()] = LinkTypes.RAW;
        frames[list.size() + 1] = new byte[10];
        linkTypes[list.size() + 1] = LinkTypes.ETHERNET;
        frames[list.size() + 2] = Frames.ethernetIpv4Syn();
        linkTypes[list.size() + 2] = 9999;

        FrameDecoder decoder = new FrameDecoder();
        TlsDecoder tls = new TlsDecoder();
        DecodedFrame frame = new DecodedFrame();
        long thread = Thread.currentThread().getId();
        run(decoder, tls, frame, frames, linkTypes, DECODES); // warm-up: class loading, JIT

        long before = threads.getThreadAllocatedBytes(thread);
        long checksum = run(decoder, tls, frame, frames, linkTypes, DECODES);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertTrue(checksum != 0);
        assertEquals(2L * DECODES, decoder.total());
        assertTrue(allocated < MAX_BYTES, allocated + " bytes allocated by " + DECODES + " decodes (expected: < "
                + MAX_BYTES + ")");
    }

    private static long run(FrameDecoder decoder, TlsDecoder tls, DecodedFrame frame, byte[][] frames, int[] linkTypes,
            int count) {
        long checksum = 0;
        for (int i = 0; i < count; i++) {
            int f = i % frames.length;
            DecodeResult result = decoder.decode(frames[f], 0, frames[f].length, linkTypes[f], frame);
            checksum += result.ordinal() + frame.srcPort() + frame.dnsQnameLength() + frame.icmpMtu()
                    + frame.systemNameLength() + frame.dhcpMessageType() + frame.raPrefixCount() + frame.eapCode()
                    + frame.voiceVlanId();
            if (TlsDecoder.startsWithRecord(frame)) {
                checksum += tls.decode(frame).ordinal() + frame.tlsSniLength() + frame.tlsVersion();
            }
        }
        return checksum;
    }
}
