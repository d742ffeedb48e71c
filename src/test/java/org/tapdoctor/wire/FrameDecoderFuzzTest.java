package org.tapdoctor.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Throws a million frames at the decoder: random bytes, valid frames cut at random lengths, and
 * valid frames with random bit flips, on every supported link type and a few unsupported ones.
 * No exception may escape, and the counters must account for every call. The seed is fixed and
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
        byte[] buffer = new byte[2048];
        long[] seen = new long[DecodeResult.values().length];
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
        System.out.println("  " + FRAMES + " frames in " + elapsedMillis + " ms");
        assertEquals(FRAMES, sum);
        assertEquals(FRAMES, decoder.total());
    }
}
