package org.tapdoctor.wire;

/**
 * How decoding one frame went. Anything but {@link #OK} and {@link #IGNORED} means the frame was
 * skipped; the capture layer counts every result, so every frame is accounted for.
 */
public enum DecodeResult {
    /** Decoded; the {@link DecodedFrame} is valid. */
    OK,
    /** Well formed, but carries nothing the engine looks at (e.g. an unknown EtherType, STP, VTP). */
    IGNORED,
    /** The captured bytes end inside a header the engine needs. */
    TRUNCATED,
    /** A header field contradicts itself or the frame (bad version, length or offset). */
    MALFORMED,
    /** The capture's link-layer type is not one the decoder knows. */
    UNSUPPORTED_LINK_TYPE
}
