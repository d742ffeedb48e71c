package org.tapdoctor.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.tapdoctor.capture.CaptureFileReader;
import org.tapdoctor.engine.Engine;

/**
 * Bad input on the tracking path of the site protocols: the frames of the site scenarios
 * (neighbour discovery, EAPOL, LLDP, CDP, DHCP), their bytes flipped and cut at random, through
 * the whole engine. Whatever the decoders make of them, the tracker and the diagnoser must count
 * and go on: no internal error, every frame counted.
 */
class SiteTrackingFuzzTest {
    private static final int ROUNDS = 40;

    record Frame(byte[] bytes, long time, int linkType) {
    }

    @Test
    void shouldNeverFailOnMangledSiteFrames() throws Exception {
        List<Frame> frames = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/scenarios/site"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".pcap")).sorted().toList()) {
                new CaptureFileReader().read(p, (bytes, length, wire, time, link, side) ->
                        frames.add(new Frame(Arrays.copyOf(bytes, length), time, link)));
            }
        }
        assertTrue(frames.size() > 300, "frames: " + frames.size());
        SplittableRandom random = new SplittableRandom(0x5173);
        Engine engine = new Engine();
        long fed = 0, time = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (Frame f : frames) {
                byte[] b = f.bytes.clone();
                int flips = 1 + random.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    int at = 14 + random.nextInt(Math.max(1, b.length - 14)); // keep most Ethernet headers
                    b[Math.min(at, b.length - 1)] ^= (byte) (1 << random.nextInt(8));
                }
                int length = random.nextInt(4) == 0 ? random.nextInt(b.length + 1) : b.length;
                time += random.nextInt(400) * 1_000_000L;
                engine.onFrame(b, length, b.length, time, f.linkType, random.nextInt(3) - 1);
                fed++;
            }
        }
        engine.finish();
        long counted = 0;
        for (org.tapdoctor.wire.DecodeResult r : org.tapdoctor.wire.DecodeResult.values()) {
            counted += engine.decoder().count(r);
        }
        assertEquals(fed, counted, "every frame counted by one decode result");
        assertEquals(0, engine.internalErrors(), "internal errors");
        engine.diagnoses(); // the report renders whatever was held
    }
}
