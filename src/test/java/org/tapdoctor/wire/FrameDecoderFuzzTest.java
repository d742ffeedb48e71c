package org.tapdoctor.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Throws a million frames at the decoder: random bytes, valid frames cut at random lengths, and
 * valid frames with random bit flips, on every supported link type and a few unsupported ones.
 * Every TCP segment that decodes is also given to {@link TlsDecoder} (as the tracker would for a
 * connection's first data), so the TLS reader meets the same cut and flipped bytes, and a
 * ClientHello sample among the frames. No exception may escape, and the counters must account
 * for every call. The seed is fixed and
 * printed; set {@code -Dtapdoctor.fuzz.seed=N} to try another.
 */
class FrameDecoderFuzzTest {
    private static final int FRAMES = 1_200_000;
    private static final int[] LINK_TYPES = {
        LinkTypes.ETHERNET, LinkTypes.LINUX_SLL, LinkTypes.LINUX_SLL2, LinkTypes.RAW, LinkTypes.RAW_BSD_12,
        LinkTypes.RAW_BSD_14, LinkTypes.IPV4, LinkTypes.IPV6, LinkTypes.NULL, LinkTypes.LOOP,
        127, 9, -1, // unsupported: radiotap, PPP, nonsense
    };

    @Test
    void shouldSurviveRandomTruncatedAndBitFlippedFrames() {
        long seed = Long.getLong("tapdoctor.fuzz.seed", 0x7A9D0C7E5EEDL);
        System.out.println("FrameDecoderFuzzTest seed " + seed + " (-Dtapdoctor.fuzz.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        List<Frames.Sample> samples = Frames.samples();
        FrameDecoder decoder = new FrameDecoder();
        DecodedFrame frame = new DecodedFrame();
        TlsDecoder tls = new TlsDecoder();
        byte[] buffer = new byte[2048];
        long[] seen = new long[DecodeResult.values().length];
        long[] tlsSeen = new long[DecodeResult.values().length];
        long started = System.nanoTime();

        for (int i = 0; i < FRAMES; i++) {
            int offset = random.nextInt(8);
            int length;
            int linkType;
            int kind = i % 3;
            if (kind == 0) {
                // random bytes
                length = random.nextInt(200);
                linkType = LINK_TYPES[random.nextInt(LINK_TYPES.length)];
                for (int j = 0; j < length; j++) {
                    buffer[offset + j] = (byte) random.nextInt(256);
                }
            } else {
                Frames.Sample sample = samples.get(random.nextInt(samples.size()));
                byte[] bytes = sample.bytes();
                System.arraycopy(bytes, 0, buffer, offset, bytes.length);
                // a valid frame on its own link type, now and then on another one
                linkType = random.nextInt(10) == 0 ? LINK_TYPES[random.nextInt(LINK_TYPES.length)] : sample.linkType();
                if (kind == 1) {
                    length = random.nextInt(bytes.length + 1); // cut at a random length
                } else {
                    length = bytes.length;
                    int flips = 1 + random.nextInt(4);
                    for (int f = 0; f < flips; f++) {
                        int bit = random.nextInt(bytes.length * 8);
                        buffer[offset + bit / 8] ^= (byte) (1 << (bit % 8));
                    }
                }
            }
            try {
                seen[decoder.decode(buffer, offset, length, linkType, frame).ordinal()]++;
                if (frame.type() == DecodedFrame.Type.TCP && frame.payloadCaptured() > 0) {
                    tlsSeen[tls.decode(frame).ordinal()]++;
                    assertTlsFieldsInsidePayload(frame, i);
                }
            } catch (RuntimeException | Error e) {
                fail("frame " + i + " (seed " + seed + ", link type " + linkType + ", length " + length + ") threw", e);
            }
        }

        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        long sum = 0;
        for (DecodeResult result : DecodeResult.values()) {
            assertEquals(seen[result.ordinal()], decoder.count(result), result.name());
            sum += decoder.count(result);
            System.out.println("  " + result + " " + decoder.count(result));
        }
        System.out.println("  " + FRAMES + " frames in " + elapsedMillis + " ms; TLS decodes: OK "
                + tlsSeen[DecodeResult.OK.ordinal()] + ", IGNORED " + tlsSeen[DecodeResult.IGNORED.ordinal()]
                + ", TRUNCATED " + tlsSeen[DecodeResult.TRUNCATED.ordinal()] + ", MALFORMED "
                + tlsSeen[DecodeResult.MALFORMED.ordinal()]);
        assertTrue(tlsSeen[DecodeResult.OK.ordinal()] > 1000, "the ClientHello sample reached the TLS reader");
        assertEquals(0, tlsSeen[DecodeResult.UNSUPPORTED_LINK_TYPE.ordinal()]);
        assertEquals(FRAMES, sum);
        assertEquals(FRAMES, decoder.total());
    }

    /** The payload and the host name offsets must lie inside the frame's bytes, whatever they were. */
    private static void assertTlsFieldsInsidePayload(DecodedFrame f, int i) {
        int payloadEnd = f.payloadOffset() + f.payloadCaptured();
        if (f.payloadOffset() < f.frameOffset() || payloadEnd > f.frameOffset() + f.frameLength()) {
            fail("frame " + i + ": payload outside the frame");
        }
        if (f.tlsSniOffset() >= 0 && (f.tlsSniOffset() < f.payloadOffset()
                || f.tlsSniOffset() + f.tlsSniLength() > payloadEnd)) {
            fail("frame " + i + ": server name outside the payload");
        }
    }
}
