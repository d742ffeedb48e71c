package org.tapdoctor.capture;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.capture.RecordingHandler.Frame;

/**
 * {@link CaptureFileReader} on files built here byte by byte, one comment per field, after
 * draft-ietf-opsawg-pcap (section 4 file header, section 5 record) and draft-ietf-opsawg-pcapng
 * (section 4.1 SHB, 4.2 IDB, 4.3 EPB, 4.4 SPB, appendix A PB).
 */
class CaptureFileReaderTest {
    private static final long S = 1_000_000_000L;
    private static final int ETHERNET = 1;
    private static final int RAW = 101;
    private static final int SLL2 = 276;

    @TempDir
    Path dir;

    // ---- pcap ------------------------------------------------------------------------------

    static CaptureBytes pcapHeader(ByteOrder order, int magic, long linkTypeField) {
        return new CaptureBytes(order)
                .u32(magic)          // magic: written in the file's byte order
                .u16(2).u16(4)       // version 2.4
                .u32(0)              // reserved1 (was thiszone)
                .u32(0)              // reserved2 (was sigfigs)
                .u32(262144)         // snaplen
                .u32(linkTypeField); // FCS length, F bit, link type
    }

    static CaptureBytes pcapRecord(CaptureBytes b, long seconds, long fraction, byte[] data, int originalLength) {
        return b.u32(seconds)        // timestamp, seconds
                .u32(fraction)       // timestamp, micro- or nanoseconds
                .u32(data.length)    // captured length
                .u32(originalLength) // original length
                .bytes(data);        // packet data
    }

    @Test
    void shouldReadClassicMicrosecondLittleEndian() throws Exception {
        CaptureBytes b = pcapHeader(LITTLE_ENDIAN, 0xA1B2C3D4, 0x1400_0001); // FCS length 1 and F bit set: still Ethernet
        pcapRecord(b, 1_700_000_000L, 999_999, CaptureBytes.frame(60, 1), 60);
        pcapRecord(b, 0xFFFF_FFFFL, 1, CaptureBytes.frame(14, 2), 1514); // seconds are unsigned (year 2106)
        assertEquals(0xD4, b.toByteArray()[0] & 0xFF, "little-endian magic starts d4 c3 b2 a1");

        List<Frame> frames = read(write(b), 2);

        assertEquals(new Frame(CaptureBytes.frame(60, 1), 60, 1_700_000_000L * S + 999_999_000L, ETHERNET, -1), frames.get(0));
        assertEquals(new Frame(CaptureBytes.frame(14, 2), 1514, 0xFFFF_FFFFL * S + 1000, ETHERNET, -1), frames.get(1));
    }

    @Test
    void shouldReadClassicNanosecondBigEndian() throws Exception {
        CaptureBytes b = pcapHeader(BIG_ENDIAN, 0xA1B23C4D, RAW);
        pcapRecord(b, 1_600_000_000L, 123_456_789, CaptureBytes.frame(40, 7), 1500);
        pcapRecord(b, 1_600_000_001L, 0, new byte[0], 0); // an empty record is legal

        List<Frame> frames = read(write(b), 2);

        assertEquals(new Frame(CaptureBytes.frame(40, 7), 1500, 1_600_000_000L * S + 123_456_789L, RAW, -1), frames.get(0));
        assertEquals(new Frame(new byte[0], 0, 1_600_000_001L * S, RAW, -1), frames.get(1));
    }

    @Test
    void shouldGrowTheFrameArrayForARecordBiggerThanTheSnaplen() throws Exception {
        CaptureBytes b = new CaptureBytes(LITTLE_ENDIAN).u32(0xA1B2C3D4).u16(2).u16(4).u32(0).u32(0)
                .u32(64)             // snaplen 64, yet the record below holds 5000 bytes
                .u32(ETHERNET);
        pcapRecord(b, 1, 0, CaptureBytes.frame(5000, 3), 5000);
        assertArrayEquals(CaptureBytes.frame(5000, 3), read(write(b), 1).get(0).bytes());
    }

    // ---- pcapng ----------------------------------------------------------------------------

    static CaptureBytes shb(CaptureBytes b) {
        return b.u32(0x0A0D0D0A)     // block type: SHB
                .u32(28)             // block total length
                .u32(0x1A2B3C4D)     // byte-order magic
                .u16(1).u16(0)       // version 1.0
                .u64(-1)             // section length: unknown
                .u32(28);            // block total length
    }

    /** An IDB with an if_tsresol option when {@code tsresol >= 0}. */
    static CaptureBytes idb(CaptureBytes b, int linkType, int snaplen, int tsresol) {
        int length = tsresol >= 0 ? 20 + 8 + 4 : 20;
        b.u32(1)                     // block type: IDB
                .u32(length)         // block total length
                .u16(linkType)       // link type
                .u16(0)              // reserved
                .u32(snaplen);       // snaplen
        if (tsresol >= 0) {
            b.u16(9).u16(1)          // option if_tsresol, 1 byte
                    .u8(tsresol).pad4()
                    .u16(0).u16(0);  // opt_endofopt
        }
        return b.u32(length);        // block total length
    }

    static CaptureBytes epb(CaptureBytes b, int interfaceId, long timestamp, byte[] data, int originalLength) {
        int length = 32 + ((data.length + 3) & ~3);
        return b.u32(6)              // block type: EPB
                .u32(length)         // block total length
                .u32(interfaceId)    // interface id
                .u32(timestamp >>> 32) // timestamp, upper 32 bits
                .u32(timestamp)      // timestamp, lower 32 bits
                .u32(data.length)    // captured length
                .u32(originalLength) // original length
                .bytes(data).pad4()  // packet data, padded to 32 bits
                .u32(length);        // block total length
    }

    @Test
    void shouldReadPcapngInterfacesWithTheirOwnLinkTypesAndResolutions() throws Exception {
        CaptureBytes b = shb(new CaptureBytes(LITTLE_ENDIAN));
        idb(b, ETHERNET, 65535, -1);  // interface 0: no if_tsresol, so microseconds
        idb(b, RAW, 0, 9);            // interface 1: nanoseconds
        idb(b, SLL2, 96, 0x80 | 20);  // interface 2: 2^-20 s
        epb(b, 0, 1_700_000_000_123_456L, CaptureBytes.frame(60, 10), 60);
        epb(b, 1, 1_700_000_000_123_456_789L, CaptureBytes.frame(41, 20), 41); // 41: data padded with 3 bytes
        epb(b, 2, (1_700_000_000L << 20) | 1, CaptureBytes.frame(44, 30), 1500);

        List<Frame> frames = read(write(b), 3);

        assertEquals(new Frame(CaptureBytes.frame(60, 10), 60, 1_700_000_000_123_456_000L, ETHERNET, -1), frames.get(0));
        assertEquals(new Frame(CaptureBytes.frame(41, 20), 41, 1_700_000_000_123_456_789L, RAW, -1), frames.get(1));
        // 1 / 2^20 s = 953.674... ns, rounded down
        assertEquals(new Frame(CaptureBytes.frame(44, 30), 1500, 1_700_000_000L * S + 953, SLL2, -1), frames.get(2));
    }

    @Test
    void shouldReadSeveralSectionsInEitherByteOrder() throws Exception {
        CaptureBytes b = shb(new CaptureBytes(BIG_ENDIAN));
        idb(b, RAW, 0, 3);            // milliseconds
        epb(b, 0, 5_001, CaptureBytes.frame(20, 1), 20);
        shb(b.order(LITTLE_ENDIAN));  // a new section, little-endian: interface ids start again at 0
        idb(b, ETHERNET, 0, -1);
        epb(b, 0, 7_000_002, CaptureBytes.frame(20, 2), 20);

        List<Frame> frames = read(write(b), 2);

        assertEquals(new Frame(CaptureBytes.frame(20, 1), 20, 5 * S + 1_000_000, RAW, -1), frames.get(0));
        assertEquals(new Frame(CaptureBytes.frame(20, 2), 20, 7 * S + 2_000, ETHERNET, -1), frames.get(1));
    }

    @Test
    void shouldReadSimpleAndObsoletePacketBlocksAndSkipUnknownBlocks() throws Exception {
        CaptureBytes b = shb(new CaptureBytes(LITTLE_ENDIAN));
        idb(b, ETHERNET, 50, -1);     // snaplen 50: SPBs are cut to it
        b.u32(0x0BAD).u32(20)         // block type 0xbad, unknown; total length 20
                .u32(0xDEADBEEFL).u32(0xDEADBEEFL) // body this reader does not know
                .u32(20);             // block total length
        epb(b, 0, 3_000_000, CaptureBytes.frame(20, 1), 20);
        b.u32(3).u32(16 + 52)         // block type: SPB; total length
                .u32(80)              // original length 80, captured min(80, snaplen 50) = 50
                .bytes(CaptureBytes.frame(50, 2)).pad4()
                .u32(16 + 52);        // block total length
        b.u32(2).u32(32 + 20)         // block type: PB (obsolete); total length
                .u16(0)               // interface id (16 bits)
                .u16(0)               // drops count
                .u32(0).u32(4_000_000) // timestamp upper, lower
                .u32(20).u32(20)      // captured length, original length
                .bytes(CaptureBytes.frame(20, 3))
                .u32(32 + 20);        // block total length

        List<Frame> frames = read(write(b), 3);

        assertEquals(new Frame(CaptureBytes.frame(20, 1), 20, 3 * S, ETHERNET, -1), frames.get(0));
        // SPB: no timestamp of its own, so the one of the frame before
        assertEquals(new Frame(CaptureBytes.frame(50, 2), 80, 3 * S, ETHERNET, -1), frames.get(1));
        assertEquals(new Frame(CaptureBytes.frame(20, 3), 20, 4 * S, ETHERNET, -1), frames.get(2));
    }

    @Test
    void shouldConvertTimestampsExactlyAtExtremeResolutions() {
        // 2^-63 s: fraction * 10^9 overflows 64 bits, libpcap's formula would be wrong here
        assertEquals(2 * S + 500_000_000L, PcapngTimestamps.toNanos((1L << 63) | (1L << 62), 0x80 | 63, 1)); // 1.5 s + 1 s offset
        assertEquals(999_999_999L, PcapngTimestamps.toNanos((1L << 63) - 1, 0x80 | 63, 0));
        // 10^-19 s: a unit count above 2^63, meant unsigned
        assertEquals(1 * S + 844_674_407L, PcapngTimestamps.toNanos(-1L, 19, 0)); // 1.8446744073709551615 s
        // 1 s units, if_tsoffset of -10 s: before the epoch
        assertEquals(-9 * S, PcapngTimestamps.toNanos(1, 0, -10));
        assertThrows(ArithmeticException.class, () -> PcapngTimestamps.toNanos(10_000_000_000L, 0, 0)); // year 2286
    }

    @Test
    void shouldNameTheOffsetOfATimestampOutOfRange() throws Exception {
        CaptureBytes b = shb(new CaptureBytes(LITTLE_ENDIAN));
        idb(b, ETHERNET, 0, 0);       // whole seconds
        epb(b, 0, -1L, new byte[4], 4);
        CaptureException e = assertThrows(CaptureException.class, () -> new CaptureFileReader().read(write(b), new RecordingHandler()));
        assertTrue(e.getMessage().contains(": offset 60: timestamp 18446744073709551615 at if_tsresol 0 is out of range"),
                e.getMessage());
    }

    // ---- damaged files ---------------------------------------------------------------------

    @Test
    void shouldKeepTheFramesBeforeATruncatedLastRecord() throws Exception {
        CaptureBytes b = pcapHeader(LITTLE_ENDIAN, 0xA1B2C3D4, ETHERNET);
        pcapRecord(b, 1, 0, CaptureBytes.frame(60, 1), 60);
        pcapRecord(b, 2, 0, CaptureBytes.frame(60, 2), 60);
        pcapRecord(b, 3, 0, CaptureBytes.frame(60, 3), 60);
        byte[] whole = b.toByteArray();
        Path cut = dir.resolve("cut.pcap");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 7)); // 7 bytes short of the third record

        RecordingHandler h = new RecordingHandler();
        String err = stderrOf(() -> assertEquals(2, new CaptureFileReader().read(cut, h)));

        assertEquals(2, h.frames.size());
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(cut + ": read error after 2 frames, the rest of the file is ignored: truncated record at"
                + " offset 176: 69 bytes (expected: 76 bytes)"), err);
    }

    @Test
    void shouldKeepTheFramesBeforeATruncatedLastBlock() throws Exception {
        CaptureBytes b = shb(new CaptureBytes(BIG_ENDIAN));
        idb(b, ETHERNET, 0, -1);
        epb(b, 0, 1, CaptureBytes.frame(60, 1), 60);
        epb(b, 0, 2, CaptureBytes.frame(60, 2), 60);
        byte[] whole = b.toByteArray();
        for (int cutBy : new int[] {1, 92 - 8, 92 - 4}) { // last byte missing; only type and length left; only the type
            Path cut = dir.resolve("cut" + cutBy + ".pcapng");
            Files.write(cut, Arrays.copyOf(whole, whole.length - cutBy));
            RecordingHandler h = new RecordingHandler();
            String err = stderrOf(() -> assertEquals(1, new CaptureFileReader().read(cut, h)));
            assertTrue(err.contains("read error after 1 frames"), err);
        }
    }

    @Test
    void shouldReportAnUnknownMagicSoThatLibpcapCanBeTried() throws Exception {
        Path bogus = dir.resolve("notes.pcap");
        Files.writeString(bogus, "this is not a capture\n");
        UnknownFormatException e = assertThrows(UnknownFormatException.class,
                () -> new CaptureFileReader().read(bogus, new RecordingHandler()));
        assertEquals(bogus + ": neither pcap nor pcapng: magic 0x74686973 (expected: 0xa1b2c3d4 or 0xa1b23c4d in either"
                + " byte order, or 0x0a0d0d0a)", e.getMessage());
    }

    @Test
    void shouldRejectABlockWhoseTrailingLengthDiffers() throws Exception {
        CaptureBytes b = shb(new CaptureBytes(LITTLE_ENDIAN));
        idb(b, ETHERNET, 0, -1);
        byte[] bytes = epb(b, 0, 1, CaptureBytes.frame(60, 1), 60).toByteArray();
        bytes[bytes.length - 4] = 96; // trailing total length 96 instead of 92
        CaptureException e = assertThrows(CaptureException.class, () -> new CaptureFileReader().read(write(bytes), new RecordingHandler()));
        assertTrue(e.getMessage().endsWith(": offset 48: block trailing total length 96 (expected: 92, as in its header)"),
                e.getMessage());
    }

    @Test
    void shouldRejectABlockLengthNotAMultipleOf4() throws Exception {
        CaptureBytes b = shb(new CaptureBytes(LITTLE_ENDIAN));
        b.u32(1).u32(21).u32(0).u32(0).u8(0).u32(21); // an IDB 21 bytes long
        CaptureException e = assertThrows(CaptureException.class, () -> new CaptureFileReader().read(write(b), new RecordingHandler()));
        assertTrue(e.getMessage().endsWith(": offset 28: block total length 21 (expected: a multiple of 4, 12 or more)"),
                e.getMessage());
    }

    @Test
    void shouldRejectAPacketOnAnUndescribedInterface() throws Exception {
        CaptureBytes b = shb(new CaptureBytes(LITTLE_ENDIAN));
        idb(b, ETHERNET, 0, -1);
        epb(b, 1, 1, CaptureBytes.frame(60, 1), 60);
        CaptureException e = assertThrows(CaptureException.class, () -> new CaptureFileReader().read(write(b), new RecordingHandler()));
        assertTrue(e.getMessage().endsWith(": offset 48: packet on interface 1 (expected: below 1, the interfaces described"
                + " so far in its section)"), e.getMessage());
    }

    @Test
    void shouldRejectAnAbsurdCapturedLength() throws Exception {
        CaptureBytes b = pcapHeader(BIG_ENDIAN, 0xA1B2C3D4, ETHERNET);
        b.u32(1).u32(0).u32(0xFFFF_FFF0L).u32(60); // captured length 4294967280
        CaptureException e = assertThrows(CaptureException.class, () -> new CaptureFileReader().read(write(b), new RecordingHandler()));
        assertTrue(e.getMessage().endsWith(": offset 24: captured length 4294967280 (expected: at most 16777216)"),
                e.getMessage());
    }

    @Test
    void shouldRejectAnIncompleteFileHeader() throws Exception {
        byte[] nine = Arrays.copyOf(pcapHeader(BIG_ENDIAN, 0xA1B2C3D4, ETHERNET).toByteArray(), 9);
        CaptureException e = assertThrows(CaptureException.class, () -> new CaptureFileReader().read(write(nine), new RecordingHandler()));
        assertTrue(e.getMessage().endsWith(": incomplete header: 9 bytes (expected: 24+ bytes)"), e.getMessage());
    }

    // ---- mapping windows -------------------------------------------------------------------

    @Test
    void shouldReadTheSameThroughSmallMappingWindows() throws Exception {
        CaptureBytes b = shb(new CaptureBytes(LITTLE_ENDIAN));
        idb(b, ETHERNET, 0, 9);
        for (int i = 0; i < 200; i++) {
            epb(b, 0, 1_000_000_000L * i + i, CaptureBytes.frame(40 + i % 90, i), 40 + i % 90);
            if (i % 50 == 49) {
                shb(b);
                idb(b, RAW, 0, 6);
                idb(b, ETHERNET, 0, 9);
            }
        }
        Path file = write(b);
        RecordingHandler whole = new RecordingHandler();
        new CaptureFileReader().read(file, whole);
        for (int window : new int[] {64, 100, 127, 4096}) { // smaller than, about and larger than a block
            RecordingHandler windowed = new RecordingHandler();
            assertEquals(200, new CaptureFileReader(window).read(file, windowed));
            assertEquals(whole.frames, windowed.frames, "window " + window);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private Path write(CaptureBytes b) throws Exception {
        return write(b.toByteArray());
    }

    private Path write(byte[] bytes) throws Exception {
        Path file = Files.createTempFile(dir, "capture", ".bin");
        Files.write(file, bytes);
        return file;
    }

    private static List<Frame> read(Path file, int expectedFrames) throws CaptureException {
        RecordingHandler h = new RecordingHandler();
        assertEquals(expectedFrames, new CaptureFileReader().read(file, h));
        assertEquals(expectedFrames, h.frames.size());
        return h.frames;
    }

    interface Action {
        void run() throws Exception;
    }

    /** What {@code action} wrote on stderr (tinylog writes there). */
    static String stderrOf(Action action) throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(old);
        }
        return err.toString(StandardCharsets.UTF_8);
    }
}
