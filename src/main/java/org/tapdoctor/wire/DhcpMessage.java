package org.tapdoctor.wire;

import static org.tapdoctor.wire.Bytes.i32;
import static org.tapdoctor.wire.Bytes.u48;
import static org.tapdoctor.wire.Bytes.u8;

/**
 * Reads a DHCPv4 message (RFC 2131 section 2, options RFC 2132) in place into a {@link DecodedFrame}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+---------------+---------------+---------------+
 * |     op (1)    |   htype (1)   |   hlen (1)    |   hops (1)    |
 * +---------------+---------------+---------------+---------------+
 * |                            xid (4)                            |
 * +-------------------------------+-------------------------------+
 * |           secs (2)            |           flags (2)           |
 * +-------------------------------+-------------------------------+
 * |  ciaddr (12)  |  yiaddr (16)  |  siaddr (20)  |  giaddr (24)  |  4 octets each
 * +---------------------------------------------------------------+
 * |                    chaddr (28, 16 octets)                     |
 * |                    sname  (44, 64 octets)                     |
 * |                    file  (108, 128 octets)                    |
 * +---------------------------------------------------------------+
 * |           magic cookie 99.130.83.99 (236, 4 octets)           |
 * +---------------------------------------------------------------+
 * |  options (240): | code (1) | length (1) | data |; 0 pad, 255 end |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * Options read: 53 message type, 50 requested address, 54 server identifier, 3 router, 6 DNS
 * servers, 51 lease time, 56 message, and 52 overload (RFC 2132 9.3: options continue in file,
 * then sname). Of an option given twice the first is kept (RFC 3396's concatenation of long
 * options is not done: the DNS list is the first instance's).
 *
 * <p>Results: {@link DecodeResult#TRUNCATED} when the 240 octets before the options were not
 * captured; {@link DecodeResult#MALFORMED} when an option runs past the end of the datagram;
 * else OK, with {@link DecodedFrame#optionsTruncated()} when the capture cut the options. The
 * caller checks the cookie ({@link #isDhcp}) first: BOOTP without it is plain UDP. Allocates
 * nothing; not thread-safe.
 */
final class DhcpMessage {
    static final int SERVER_PORT = 67;
    static final int CLIENT_PORT = 68;

    static final int OP_OFFSET = 0;
    static final int HTYPE_OFFSET = 1;
    static final int HLEN_OFFSET = 2;
    static final int HOPS_OFFSET = 3;
    static final int XID_OFFSET = 4;
    static final int CIADDR_OFFSET = 12;
    static final int YIADDR_OFFSET = 16;
    static final int GIADDR_OFFSET = 24;
    static final int CHADDR_OFFSET = 28;
    static final int SNAME_OFFSET = 44;
    static final int SNAME_LENGTH = 64;
    static final int FILE_OFFSET = 108;
    static final int FILE_LENGTH = 128;
    static final int COOKIE_OFFSET = 236;
    static final int OPTIONS_OFFSET = 240;
    /** 99.130.83.99 (RFC 2131 section 3). */
    static final int MAGIC_COOKIE = 0x63825363;
    static final int HTYPE_ETHERNET = 1;

    static final int PAD = 0;
    static final int ROUTER = 3;
    static final int DNS_SERVERS = 6;
    static final int REQUESTED_ADDRESS = 50;
    static final int LEASE_TIME = 51;
    static final int OVERLOAD = 52;
    static final int MESSAGE_TYPE = 53;
    static final int SERVER_IDENTIFIER = 54;
    static final int MESSAGE = 56;
    static final int END = 255;
    private static final int OVERLOAD_FILE = 1;
    private static final int OVERLOAD_SNAME = 2;

    private int overload;

    /** Server or client port on one side and the server port on the other: client, server, relay. */
    static boolean isDhcpPorts(int srcPort, int dstPort) {
        return (srcPort == SERVER_PORT && (dstPort == CLIENT_PORT || dstPort == SERVER_PORT))
                || (dstPort == SERVER_PORT && srcPort == CLIENT_PORT);
    }

    /** Whether the UDP payload at {@code offset}, whose first 240 octets are captured, carries the DHCP cookie. */
    static boolean isDhcp(byte[] buffer, int offset) {
        return i32(buffer, offset + COOKIE_OFFSET) == MAGIC_COOKIE;
    }

    /**
     * Reads the message whose UDP payload is {@code buffer[offset, end)}, of which
     * {@code [offset, capturedEnd)} was captured ({@code capturedEnd - offset >= 240}).
     */
    DecodeResult read(byte[] buffer, int offset, int end, int capturedEnd, DecodedFrame out) {
        out.site.clear();
        out.type = DecodedFrame.Type.DHCP;
        out.site.dhcpOp = u8(buffer, offset + OP_OFFSET);
        out.site.dhcpHops = u8(buffer, offset + HOPS_OFFSET);
        out.site.dhcpXid = i32(buffer, offset + XID_OFFSET);
        out.site.dhcpClientIp = i32(buffer, offset + CIADDR_OFFSET);
        out.site.dhcpYourIp = i32(buffer, offset + YIADDR_OFFSET);
        out.site.dhcpRelayIp = i32(buffer, offset + GIADDR_OFFSET);
        if (u8(buffer, offset + HTYPE_OFFSET) == HTYPE_ETHERNET && u8(buffer, offset + HLEN_OFFSET) == 6) {
            out.site.dhcpClientMac = u48(buffer, offset + CHADDR_OFFSET);
        }
        overload = 0;
        DecodeResult result = readOptions(buffer, offset + OPTIONS_OFFSET, end, capturedEnd, true, out);
        if (result != DecodeResult.OK) {
            return result;
        }
        // RFC 2131 4.1: with overload, the options in file come before those in sname
        if ((overload & OVERLOAD_FILE) != 0) {
            int file = offset + FILE_OFFSET;
            result = readOptions(buffer, file, file + FILE_LENGTH, file + FILE_LENGTH, false, out);
        }
        if (result == DecodeResult.OK && (overload & OVERLOAD_SNAME) != 0) {
            int sname = offset + SNAME_OFFSET;
            result = readOptions(buffer, sname, sname + SNAME_LENGTH, sname + SNAME_LENGTH, false, out);
        }
        return result;
    }

    private DecodeResult readOptions(byte[] buffer, int offset, int end, int capturedEnd, boolean main,
            DecodedFrame out) {
        int p = offset;
        while (p < end) {
            if (p >= capturedEnd) {
                out.site.optionsTruncated = true;
                return DecodeResult.OK;
            }
            int code = u8(buffer, p);
            if (code == END) {
                return DecodeResult.OK;
            }
            if (code == PAD) {
                p++;
                continue;
            }
            if (end - p < 2) {
                return DecodeResult.MALFORMED;
            }
            if (capturedEnd - p < 2) {
                out.site.optionsTruncated = true;
                return DecodeResult.OK;
            }
            int length = u8(buffer, p + 1);
            int data = p + 2;
            if (end - data < length) {
                return DecodeResult.MALFORMED;
            }
            if (capturedEnd - data < length) {
                out.site.optionsTruncated = true;
                return DecodeResult.OK;
            }
            readOption(buffer, code, data, length, main, out);
            p = data + length;
        }
        return DecodeResult.OK;
    }

    private void readOption(byte[] buffer, int code, int data, int length, boolean main, DecodedFrame out) {
        switch (code) {
            case MESSAGE_TYPE -> {
                if (length == 1 && out.site.dhcpMessageType < 0) {
                    out.site.dhcpMessageType = u8(buffer, data);
                }
            }
            case SERVER_IDENTIFIER -> {
                if (length == 4 && out.site.dhcpServerId == 0) {
                    out.site.dhcpServerId = i32(buffer, data);
                }
            }
            case REQUESTED_ADDRESS -> {
                if (length == 4 && out.site.dhcpRequestedIp == 0) {
                    out.site.dhcpRequestedIp = i32(buffer, data);
                }
            }
            case ROUTER -> {
                if (length >= 4 && length % 4 == 0 && out.site.dhcpRouter == 0) {
                    out.site.dhcpRouter = i32(buffer, data);
                }
            }
            case DNS_SERVERS -> {
                if (length >= 4 && length % 4 == 0 && out.site.dhcpDnsOffset < 0) {
                    out.site.dhcpDnsOffset = data;
                    out.site.dhcpDnsCount = length / 4;
                }
            }
            case LEASE_TIME -> {
                if (length == 4 && out.site.dhcpLeaseSeconds < 0) {
                    out.site.dhcpLeaseSeconds = i32(buffer, data) & 0xFFFF_FFFFL;
                }
            }
            case MESSAGE -> {
                if (length > 0 && out.site.dhcpMessageOffset < 0) {
                    out.site.dhcpMessageOffset = data;
                    out.site.dhcpMessageLength = length;
                }
            }
            case OVERLOAD -> {
                // only meaningful in the options field itself (RFC 2132 9.3)
                if (main && length == 1) {
                    overload = u8(buffer, data);
                }
            }
            default -> {
                // host name, parameter list, client identifier, ...: skipped by their length
            }
        }
    }
}
