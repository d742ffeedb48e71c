package org.tapdoctor.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** A pcap is cut only between records, in either byte order; what is not a classic pcap is not cut. */
class PcapPrefixTest {

    /** A pcap with records of these lengths (nanosecond magic), in this byte order. */
    static byte[] pcap(ByteOrder order, int... lengths) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(order);
        h.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(1);
        out.writeBytes(h.array());
        for (int i = 0; i < lengths.length; i++) {
            ByteBuffer r = ByteBuffer.allocate(16).order(order);
            r.putInt(1_790_000_000 + i).putInt(i).putInt(lengths[i]).putInt(lengths[i]);
            out.writeBytes(r.array());
            byte[] frame = new byte[lengths[i]];
            Arrays.fill(frame, (byte) i);
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    @Test
    void shouldKeepAFileThatFits() {
        byte[] p = pcap(ByteOrder.LITTLE_ENDIAN, 60, 60);
        assertSame(p, PcapPrefix.firstFrames(p, p.length));
    }

    @Test
    void shouldCutBetweenRecordsInEitherByteOrder() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            byte[] p = pcap(order, 60, 100, 1500);
            byte[] two = pcap(order, 60, 100);
            assertArrayEquals(two, PcapPrefix.firstFrames(p, p.length - 1), order.toString());
            assertArrayEquals(two, PcapPrefix.firstFrames(p, two.length), "exactly two records fit");
            assertArrayEquals(pcap(order, 60), PcapPrefix.firstFrames(p, two.length - 1));
            assertNull(PcapPrefix.firstFrames(p, 24 + 16 + 59), "not even the first record fits");
        }
    }

    @Test
    void shouldNotCutWhatIsNotAClassicPcap() {
        byte[] pcapng = new byte[200];
        pcapng[0] = 0x0a;
        pcapng[1] = 0x0d;
        pcapng[2] = 0x0d;
        pcapng[3] = 0x0a;
        assertNull(PcapPrefix.firstFrames(pcapng, 100));
        byte[] truncated = Arrays.copyOf(pcap(ByteOrder.LITTLE_ENDIAN, 60, 60), 24 + 16 + 60 + 10);
        assertArrayEquals(pcap(ByteOrder.LITTLE_ENDIAN, 60), PcapPrefix.firstFrames(truncated, truncated.length - 1),
                "a torn last record is left out");
    }
}
