package org.tapdoctor.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.Tshark;
import org.tapdoctor.wire.LinkTypes;

class PcapWriterTest {
    private static final Path REFUSED = Path.of("src/test/resources/scenarios/refused.pcap");

    @TempDir
    Path tmp;

    /** Copies refused.pcap frame by frame through the writer. */
    private Path copyOfRefused(List<RecordingHandler.Frame> original) throws Exception {
        RecordingHandler in = new RecordingHandler();
        new CaptureFileReader().read(REFUSED, in);
        original.addAll(in.frames);
        Path out = tmp.resolve("copy.pcap");
        try (OutputStream os = Files.newOutputStream(out)) {
            PcapWriter w = new PcapWriter(os, LinkTypes.ETHERNET);
            for (RecordingHandler.Frame f : in.frames) {
                w.write(f.bytes(), f.bytes().length, f.wireLength(), f.timeNanos());
            }
        }
        long captured = in.frames.stream().mapToLong(f -> f.bytes().length).sum();
        assertEquals(PcapWriter.fileLength(in.frames.size(), captured), Files.size(out));
        return out;
    }

    @Test
    void shouldReadBackExactlyWhatWasWritten() throws Exception {
        List<RecordingHandler.Frame> original = new ArrayList<>();
        Path out = copyOfRefused(original);
        RecordingHandler back = new RecordingHandler();
        new CaptureFileReader().read(out, back);
        assertEquals(original, back.frames);
        assertEquals(14, back.frames.size());
    }

    @Test
    void shouldWriteNanosecondsAndNegativeTimesAsPcapDoes() throws Exception {
        Path out = tmp.resolve("times.pcap");
        byte[] f = new byte[60];
        try (OutputStream os = Files.newOutputStream(out)) {
            PcapWriter w = new PcapWriter(os, LinkTypes.ETHERNET);
            w.write(f, 60, 60, 1_795_219_200_123_456_789L);
            w.write(f, 60, 1514, 0L);
        }
        RecordingHandler back = new RecordingHandler();
        new CaptureFileReader().read(out, back);
        assertEquals(1_795_219_200_123_456_789L, back.frames.get(0).timeNanos());
        assertEquals(0L, back.frames.get(1).timeNanos());
        assertEquals(1514, back.frames.get(1).wireLength());
    }

    @Test
    void shouldBeReadByTsharkAsTheOriginal() throws Exception {
        Tshark.require();
        Path out = copyOfRefused(new ArrayList<>());
        String[] fields = {"frame.number", "frame.time_epoch", "tcp.flags.str", "ip.src", "frame.len"};
        assertEquals(Tshark.fields(REFUSED, null, fields), Tshark.fields(out, null, fields));
    }
}
