package org.tapdoctor.capture;

/**
 * Receives captured frames on the capture thread, one at a time, in capture order. The bytes are
 * valid only during the call. Implementations must not block and must not throw.
 */
@FunctionalInterface
public interface FrameHandler {
    /**
     * @param frame the captured bytes, from index 0
     * @param length captured length (at most the snaplen)
     * @param wireLength length of the frame on the wire
     * @param timeNanos capture time, nanoseconds since the epoch (files) or of the monotonic clock (live)
     * @param linkType the pcap link-layer type (see {@link org.tapdoctor.wire.LinkTypes})
     * @param side index of the NIC it came in on, or -1 when unknown
     */
    void onFrame(byte[] frame, int length, int wireLength, long timeNanos, int linkType, int side);
}
