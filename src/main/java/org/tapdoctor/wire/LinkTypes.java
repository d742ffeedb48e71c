package org.tapdoctor.wire;

/** The pcap link-layer header types the decoder reads (https://www.tcpdump.org/linktypes.html). */
public final class LinkTypes {
    /** BSD loopback: 4-byte address family in the capturing host's byte order. */
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    /** Raw IP; DLT 12 and 14 on some BSDs mean the same. */
    public static final int RAW = 101;
    public static final int RAW_BSD_12 = 12;
    public static final int RAW_BSD_14 = 14;
    /** OpenBSD loopback: like NULL but the family is big-endian. */
    public static final int LOOP = 108;
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int LINUX_SLL2 = 276;

    private LinkTypes() {
    }
}
