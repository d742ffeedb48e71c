package org.tapdoctor.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every sample frame cut at every length: the capture's snaplen can end a frame anywhere. */
class FrameDecoderTruncationTest {
    private final FrameDecoder decoder = new FrameDecoder();
    private final DecodedFrame frame = new DecodedFrame();

    @Test
    void shouldDecodeEverySampleWhole() {
        for (Frames.Sample sample : Frames.samples()) {
            byte[] bytes = sample.bytes();
            assertEquals(DecodeResult.OK, decoder.decode(bytes, 0, bytes.length, sample.linkType(), frame), sample.name());
            assertNotEquals(DecodedFrame.Type.OTHER, frame.type(), sample.name());
        }
    }

    @Test
    void shouldReportTruncatedUntilTheNeededHeadersArePresentThenOk() {
        int calls = 0;
        for (Frames.Sample sample : Frames.samples()) {
            byte[] bytes = sample.bytes();
            decoder.decode(bytes, 0, bytes.length, sample.linkType(), frame);
            calls++;
            DecodedFrame.Type wholeType = frame.type();
            boolean seenOk = false;
            for (int length = 0; length <= bytes.length; length++) {
                // Copy so that reading past the cut would throw instead of silently reading the rest.
                byte[] cut = java.util.Arrays.copyOf(bytes, length);
                DecodeResult result = decoder.decode(cut, 0, length, sample.linkType(), frame);
                calls++;
                String where = sample.name() + " cut at " + length + " of " + bytes.length;
                assertTrue(result == DecodeResult.TRUNCATED || result == DecodeResult.OK, where + ": " + result);
                if (seenOk) {
                    assertEquals(DecodeResult.OK, result, where + ": OK at a shorter length");
                }
                if (result == DecodeResult.OK) {
                    seenOk = true;
                    assertEquals(wholeType, frame.type(), where);
                }
            }
        }
        assertEquals(calls, decoder.total());
        assertEquals(calls, decoder.count(DecodeResult.OK) + decoder.count(DecodeResult.TRUNCATED));
    }

    @Test
    void shouldTruncateAnArpFrameIntoTruncatedOrIgnoredButNeverMalformed() {
        byte[] arp = Frames.ethernetArpRequest();
        for (int length = 0; length <= arp.length; length++) {
            DecodeResult result = decoder.decode(arp, 0, length, LinkTypes.ETHERNET, frame);
            assertNotEquals(DecodeResult.MALFORMED, result, "cut at " + length);
        }
    }
}
