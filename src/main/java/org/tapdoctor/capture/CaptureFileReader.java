package org.tapdoctor.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

import org.tinylog.Logger;

/**
 * Reads pcap and pcapng files in pure Java, memory-mapped, and hands every frame to a
 * {@link FrameHandler} without allocating per frame: the captured bytes are copied once into a
 * reused array (sized to the largest record seen, grown only when a bigger one appears).
 *
 * <p>pcap (draft-ietf-opsawg-pcap, sections 4 and 5), magic read big-endian:
 * <pre>
 * file header (24):   magic (0) | major (4) | minor (6) | reserved1 (8) | reserved2 (12) | snaplen (16) | FCS bits, link type (20)
 * record header (16): seconds (0) | microseconds or nanoseconds (4) | captured length (8) | original length (12) | data (16)
 * magic: a1b2c3d4 (µs) or a1b23c4d (ns) in the writer's byte order, so d4c3b2a1 / 4d3cb2a1 when little-endian
 * </pre>
 * pcapng (draft-ietf-opsawg-pcapng, section 3.1 and 4): blocks of
 * {@code type (0) | total length (4) | body | total length (again)}, in the byte order of the
 * section, set by the Section Header Block's byte-order magic 0x1a2b3c4d:
 * <pre>
 * SHB 0x0a0d0d0a: byte-order magic (8) | major (12) | minor (14) | section length (16) | options (24)
 * IDB 1:          link type (8, 16 bits) | reserved (10) | snaplen (12) | options (16): if_tsresol 9, if_tsoffset 14
 * EPB 6:          interface id (8) | timestamp high (12) | low (16) | captured length (20) | original length (24) | data (28)
 * PB 2 (obsolete): interface id (8, 16 bits) | drops (10) | then as the EPB
 * SPB 3:          original length (8) | data (12); interface 0, captured length min(original, snaplen)
 * </pre>
 * Several sections, each with its own interfaces and byte order; interfaces of one file may have
 * different link types and timestamp resolutions (each frame carries its interface's); blocks of
 * other types are skipped by their length.
 *
 * <p>Errors: a file that starts with neither magic is an {@link UnknownFormatException} (libpcap
 * may still know it). A file cut inside a record or block (the usual end of a capture that was
 * killed) ends the read with a warning, keeping the frames before it. A header no writer would
 * produce (length not a multiple of 4, trailing length that differs, captured length over 16 MiB
 * or over its block, unknown interface, bad version) is a {@link CaptureException} naming the file
 * and the offset.
 *
 * <p>Differences from libpcap: link types are the file's LINKTYPE_ values (libpcap maps some to
 * its DLT_ values, e.g. LINKTYPE_RAW 101 to DLT_RAW 12); a record longer than the file's snaplen is
 * delivered whole (libpcap cuts it to the snaplen); a Simple Packet Block, which has no
 * timestamp, gets the time of the frame before it (libpcap: 0, which would send the tracker's
 * clock back to 1970); interfaces with different link types are read (libpcap stops there).
 *
 * <p>Caveats: not thread-safe; one reader per thread, reused from file to file.
 */
public final class CaptureFileReader {
    /** Files up to this size are mapped at once; larger ones in windows of this size. */
    static final int DEFAULT_WINDOW_SIZE = Integer.MAX_VALUE;
    /** Generous: libpcap refuses more than 256 KiB for most link types. */
    static final int MAX_CAPTURED_LENGTH = 16 * 1024 * 1024;
    /** libpcap's initial limit (16 MiB) plus room for the block's fields and options. */
    static final int MAX_BLOCK_LENGTH = MAX_CAPTURED_LENGTH + 256 * 1024;

    static final int PCAP_MAGIC_MICROS = 0xA1B2C3D4;
    static final int PCAP_MAGIC_NANOS = 0xA1B23C4D;
    static final int PCAP_FILE_HEADER_LENGTH = 24;
    static final int PCAP_RECORD_HEADER_LENGTH = 16;

    static final int BLOCK_SHB = 0x0A0D0D0A;
    static final int BLOCK_IDB = 1;
    static final int BLOCK_PB = 2;
    static final int BLOCK_SPB = 3;
    static final int BLOCK_EPB = 6;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    static final int OPT_ENDOFOPT = 0;
    static final int IF_TSRESOL = 9;
    static final int IF_TSOFFSET = 14;

    private static final int MIN_BLOCK_LENGTH = 12;
    private static final int SHB_MIN_LENGTH = 28;
    private static final int IDB_MIN_LENGTH = 20;
    private static final int PACKET_BLOCK_MIN_LENGTH = 32;
    private static final int SPB_MIN_LENGTH = 16;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int windowSize;
    private byte[] frame = new byte[2048];

    // pcapng interfaces of the current section
    private int interfaceCount;
    private int[] linkTypes = new int[4];
    private long[] snaplens = new long[4];
    private int[] tsresols = new int[4];
    private long[] tsoffsets = new long[4];

    // state of the read in progress
    private Path file;
    private FrameHandler handler;
    private long frames;
    private long lastTimeNanos;

    public CaptureFileReader() {
        this(DEFAULT_WINDOW_SIZE);
    }

    /** With a smaller mapping window, for tests of the window moves. */
    CaptureFileReader(int windowSize) {
        if (windowSize < 64) {
            throw new IllegalArgumentException("windowSize: " + windowSize + " (expected: 64+)");
        }
        this.windowSize = windowSize;
    }

    /**
     * Hands every frame of {@code file} to {@code handler}, in file order; the frame array is
     * reused and valid only during the call. Frames carry side -1.
     * @return the number of frames read
     * @throws UnknownFormatException when the file is neither pcap nor pcapng
     * @throws CaptureException when the file is missing, unreadable or malformed
     */
    public long read(Path file, FrameHandler handler) throws CaptureException {
        this.file = Objects.requireNonNull(file, "file");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.frames = 0;
        this.lastTimeNanos = 0;
        this.interfaceCount = 0;
        if (!Files.exists(file)) {
            throw new CaptureException(file + ": no such file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CaptureException(file + ": not a readable file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            MappedWindow window = new MappedWindow(channel, size, windowSize);
            int magic = size < 4 ? 0 : readMagic(window);
            if (magic == PCAP_MAGIC_MICROS || magic == PCAP_MAGIC_NANOS) {
                readPcap(window, ByteOrder.BIG_ENDIAN, magic == PCAP_MAGIC_NANOS);
            } else if (Integer.reverseBytes(magic) == PCAP_MAGIC_MICROS || Integer.reverseBytes(magic) == PCAP_MAGIC_NANOS) {
                readPcap(window, ByteOrder.LITTLE_ENDIAN, Integer.reverseBytes(magic) == PCAP_MAGIC_NANOS);
            } else if (magic == BLOCK_SHB) {
                readPcapng(window);
            } else {
                throw new UnknownFormatException(file + ": neither pcap nor pcapng: "
                        + (size < 4 ? size + " bytes" : String.format("magic 0x%08x", magic))
                        + " (expected: 0xa1b2c3d4 or 0xa1b23c4d in either byte order, or 0x0a0d0d0a)");
            }
        } catch (IOException e) {
            throw new CaptureException(file + ": read error after " + frames + " frames: " + e, e);
        } catch (InternalError e) {
            // a fault in a mapped page: the file shrank while it was read
            throw new CaptureException(file + ": read error after " + frames + " frames (did the file shrink?): "
                    + e.getMessage(), e);
        } finally {
            this.handler = null;
        }
        return frames;
    }

    private static int readMagic(MappedWindow window) throws IOException {
        int i = window.at(0, 4);
        return window.buffer().getInt(i); // the window's order is big-endian until a header says otherwise
    }

    // ---- pcap -------------------------------------------------------------------------------

    private void readPcap(MappedWindow window, ByteOrder order, boolean nanos) throws IOException, CaptureException {
        long size = window.fileSize();
        if (size < PCAP_FILE_HEADER_LENGTH) {
            throw new CaptureException(file + ": incomplete header: " + size + " bytes (expected: "
                    + PCAP_FILE_HEADER_LENGTH + "+ bytes)");
        }
        window.order(order);
        int i = window.at(0, PCAP_FILE_HEADER_LENGTH);
        ByteBuffer b = window.buffer();
        int major = b.getShort(i + 4) & 0xFFFF;
        int minor = b.getShort(i + 6) & 0xFFFF;
        if (major != 2) {
            throw malformed(4, "pcap version " + major + "." + minor + " (expected: 2.x)");
        }
        long snaplen = b.getInt(i + 16) & 0xFFFF_FFFFL;
        // Bits 16-31 hold the FCS length, the F bit and reserved bits (section 4): the link type is the low 16.
        int linkType = b.getInt(i + 20) & 0xFFFF;
        reserveFrame(snaplen);
        long fractionToNanos = nanos ? 1 : 1000;

        long position = PCAP_FILE_HEADER_LENGTH;
        while (position < size) {
            if (size - position < PCAP_RECORD_HEADER_LENGTH) {
                truncated(position, size - position, PCAP_RECORD_HEADER_LENGTH);
                return;
            }
            i = window.at(position, PCAP_RECORD_HEADER_LENGTH);
            b = window.buffer();
            long seconds = b.getInt(i) & 0xFFFF_FFFFL;
            long fraction = b.getInt(i + 4) & 0xFFFF_FFFFL;
            int capturedLength = b.getInt(i + 8);
            int originalLength = b.getInt(i + 12);
            if (capturedLength < 0 || capturedLength > MAX_CAPTURED_LENGTH) {
                throw malformed(position, "captured length " + Integer.toUnsignedString(capturedLength)
                        + " (expected: at most " + MAX_CAPTURED_LENGTH + ")");
            }
            if (originalLength < 0) {
                throw malformed(position, "original length " + Integer.toUnsignedString(originalLength)
                        + " (expected: at most " + Integer.MAX_VALUE + ")");
            }
            long recordLength = PCAP_RECORD_HEADER_LENGTH + capturedLength;
            if (size - position < recordLength) {
                truncated(position, size - position, recordLength);
                return;
            }
            i = window.at(position, (int) recordLength);
            // 2^32 - 1 s * 10^9 + (2^32 - 1) * 1000 < 2^63: cannot overflow
            deliver(window.buffer(), i + PCAP_RECORD_HEADER_LENGTH, capturedLength, originalLength,
                    seconds * NANOS_PER_SECOND + fraction * fractionToNanos, linkType);
            position += recordLength;
        }
    }

    // ---- pcapng -----------------------------------------------------------------------------

    private void readPcapng(MappedWindow window) throws IOException, CaptureException {
        long size = window.fileSize();
        long position = 0;
        while (position < size) {
            if (size - position < MIN_BLOCK_LENGTH) {
                truncated(position, size - position, MIN_BLOCK_LENGTH);
                return;
            }
            int i = window.at(position, MIN_BLOCK_LENGTH);
            ByteBuffer b = window.buffer();
            int type = b.getInt(i); // 0x0a0d0d0a reads the same in both orders
            if (type == BLOCK_SHB) {
                setSectionByteOrder(window, b.getInt(i + 8), position);
            }
            long length = b.getInt(i + 4) & 0xFFFF_FFFFL;
            if (length < MIN_BLOCK_LENGTH || length % 4 != 0) {
                throw malformed(position, "block total length " + length + " (expected: a multiple of 4, 12 or more)");
            }
            if (length > MAX_BLOCK_LENGTH) {
                throw malformed(position, "block total length " + length + " (expected: at most " + MAX_BLOCK_LENGTH + ")");
            }
            if (size - position < length) {
                truncated(position, size - position, length);
                return;
            }
            int blockLength = (int) length;
            i = window.at(position, blockLength);
            b = window.buffer();
            long trailer = b.getInt(i + blockLength - 4) & 0xFFFF_FFFFL;
            if (trailer != length) {
                throw malformed(position, "block trailing total length " + trailer + " (expected: " + length
                        + ", as in its header)");
            }
            switch (type) {
                case BLOCK_SHB -> sectionHeader(b, i, blockLength, position);
                case BLOCK_IDB -> interfaceDescription(b, i, blockLength, position);
                case BLOCK_EPB -> packet(b, i, blockLength, position, b.getInt(i + 8) & 0xFFFF_FFFFL);
                case BLOCK_PB -> packet(b, i, blockLength, position, b.getShort(i + 8) & 0xFFFF);
                case BLOCK_SPB -> simplePacket(b, i, blockLength, position);
                default -> { } // a block this reader does not use: skipped by its length (section 3.1)
            }
            position += length;
        }
    }

    private void setSectionByteOrder(MappedWindow window, int byteOrderMagic, long position) throws CaptureException {
        if (byteOrderMagic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
            window.order(window.order() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        } else if (byteOrderMagic != BYTE_ORDER_MAGIC) {
            throw malformed(position, String.format("section header byte-order magic 0x%08x (expected: 0x1a2b3c4d in"
                    + " either byte order)", byteOrderMagic));
        }
    }

    private void sectionHeader(ByteBuffer b, int i, int length, long position) throws CaptureException {
        requireLength(length, SHB_MIN_LENGTH, "section header", position);
        int major = b.getShort(i + 12) & 0xFFFF;
        int minor = b.getShort(i + 14) & 0xFFFF;
        if (major != 1) {
            throw malformed(position, "pcapng version " + major + "." + minor + " (expected: 1.x)");
        }
        interfaceCount = 0; // interface ids are numbered per section (section 4.2)
    }

    private void interfaceDescription(ByteBuffer b, int i, int length, long position) throws CaptureException {
        requireLength(length, IDB_MIN_LENGTH, "interface description", position);
        int linkType = b.getShort(i + 8) & 0xFFFF;
        long snaplen = b.getInt(i + 12) & 0xFFFF_FFFFL;
        int tsresol = PcapngTimestamps.DEFAULT_TSRESOL;
        long tsoffset = 0;
        int end = i + length - 4;
        int p = i + IDB_MIN_LENGTH - 4;
        while (end - p >= 4) {
            int code = b.getShort(p) & 0xFFFF;
            int optionLength = b.getShort(p + 2) & 0xFFFF;
            if (code == OPT_ENDOFOPT) {
                break;
            }
            if (optionLength > end - p - 4) {
                throw malformed(position, "interface option " + code + " of " + optionLength + " bytes exceeds its block");
            }
            if (code == IF_TSRESOL) {
                tsresol = b.get(p + 4) & 0xFF;
                if (optionLength != 1 || !PcapngTimestamps.isValidResolution(tsresol)) {
                    throw malformed(position, "if_tsresol of " + optionLength + " bytes, value " + tsresol
                            + " (expected: 1 byte, 10^-0..19 or 2^-0..63)");
                }
            } else if (code == IF_TSOFFSET) {
                if (optionLength != 8) {
                    throw malformed(position, "if_tsoffset of " + optionLength + " bytes (expected: 8)");
                }
                tsoffset = b.getLong(p + 4);
            }
            p += 4 + ((optionLength + 3) & ~3);
        }
        if (interfaceCount == linkTypes.length) {
            int n = interfaceCount * 2;
            linkTypes = Arrays.copyOf(linkTypes, n);
            snaplens = Arrays.copyOf(snaplens, n);
            tsresols = Arrays.copyOf(tsresols, n);
            tsoffsets = Arrays.copyOf(tsoffsets, n);
        }
        linkTypes[interfaceCount] = linkType;
        snaplens[interfaceCount] = snaplen;
        tsresols[interfaceCount] = tsresol;
        tsoffsets[interfaceCount] = tsoffset;
        interfaceCount++;
        reserveFrame(snaplen);
    }

    /** Enhanced Packet Block or obsolete Packet Block: the same fields after the interface id. */
    private void packet(ByteBuffer b, int i, int length, long position, long interfaceId) throws CaptureException {
        requireLength(length, PACKET_BLOCK_MIN_LENGTH, "packet", position);
        requireInterface(interfaceId, position);
        int id = (int) interfaceId;
        long units = ((long) b.getInt(i + 12) << 32) | (b.getInt(i + 16) & 0xFFFF_FFFFL);
        int capturedLength = b.getInt(i + 20);
        int originalLength = b.getInt(i + 24);
        int room = length - PACKET_BLOCK_MIN_LENGTH;
        if (capturedLength < 0 || capturedLength > room) {
            throw malformed(position, "captured length " + Integer.toUnsignedString(capturedLength)
                    + " (expected: at most " + room + ", the room in its block)");
        }
        if (originalLength < 0) {
            throw malformed(position, "original length " + Integer.toUnsignedString(originalLength)
                    + " (expected: at most " + Integer.MAX_VALUE + ")");
        }
        long nanos;
        try {
            nanos = PcapngTimestamps.toNanos(units, tsresols[id], tsoffsets[id]);
        } catch (ArithmeticException e) {
            throw malformed(position, "timestamp " + Long.toUnsignedString(units) + " at if_tsresol " + tsresols[id]
                    + " is out of range (expected: years 1678 to 2261)");
        }
        deliver(b, i + 28, capturedLength, originalLength, nanos, linkTypes[id]);
    }

    private void simplePacket(ByteBuffer b, int i, int length, long position) throws CaptureException {
        requireLength(length, SPB_MIN_LENGTH, "simple packet", position);
        requireInterface(0, position);
        int originalLength = b.getInt(i + 8);
        if (originalLength < 0) {
            throw malformed(position, "original length " + Integer.toUnsignedString(originalLength)
                    + " (expected: at most " + Integer.MAX_VALUE + ")");
        }
        // section 4.4: the captured length is the original length cut to interface 0's snaplen (0: none)
        long snaplen = snaplens[0];
        int capturedLength = snaplen != 0 && snaplen < originalLength ? (int) snaplen : originalLength;
        int room = length - SPB_MIN_LENGTH;
        if (capturedLength > room) {
            throw malformed(position, "captured length " + capturedLength + " (expected: at most " + room
                    + ", the room in its block)");
        }
        deliver(b, i + 12, capturedLength, originalLength, lastTimeNanos, linkTypes[0]);
    }

    private void requireLength(int length, int minimum, String block, long position) throws CaptureException {
        if (length < minimum) {
            throw malformed(position, block + " block of " + length + " bytes (expected: " + minimum + "+ bytes)");
        }
    }

    private void requireInterface(long interfaceId, long position) throws CaptureException {
        if (interfaceId >= interfaceCount) {
            throw malformed(position, "packet on interface " + interfaceId + " (expected: below " + interfaceCount
                    + ", the interfaces described so far in its section)");
        }
    }

    // ---- common -----------------------------------------------------------------------------

    private void deliver(ByteBuffer b, int index, int capturedLength, int originalLength, long timeNanos, int linkType) {
        if (frame.length < capturedLength) {
            frame = new byte[capturedLength];
        }
        b.get(index, frame, 0, capturedLength);
        lastTimeNanos = timeNanos;
        frames++;
        handler.onFrame(frame, capturedLength, originalLength, timeNanos, linkType, -1);
    }

    /** Sizes the frame array for a snaplen up front, so that records of that size do not grow it. */
    private void reserveFrame(long snaplen) {
        if (snaplen > frame.length && snaplen <= 256 * 1024) {
            frame = new byte[(int) snaplen];
        }
    }

    private void truncated(long position, long available, long expected) {
        Logger.warn("{}: read error after {} frames, the rest of the file is ignored: truncated record at offset {}:"
                + " {} bytes (expected: {} bytes)", file, frames, position, available, expected);
    }

    private CaptureException malformed(long position, String what) {
        return new CaptureException(file + ": offset " + position + ": " + what);
    }
}
