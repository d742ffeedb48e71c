package org.tapdoctor.wire;

import java.nio.charset.StandardCharsets;

/**
 * Builds neighbour discovery (RFC 4861) and EAPOL/EAP (IEEE 802.1X, RFC 3748) {@link DecodedFrame}s
 * field by field, as {@link TestPackets} does for TCP, ARP and DNS: what the decoders would have
 * produced, for the tests of the tracking stage. MACs are 48-bit longs. Every factory allocates.
 */
public final class SitePackets {
    /** The PAE group address 01:80:c2:00:00:03 (IEEE 802.1X-2020 11.1.1). */
    public static final long PAE_GROUP = 0x0180_C200_0003L;
    public static final int REQUEST = 1, RESPONSE = 2, SUCCESS = 3, FAILURE = 4;
    public static final int IDENTITY = 1, NAK = 3, MD5 = 4;

    private SitePackets() {
    }

    private static DecodedFrame nd(long time, long mac, String src, String dst, int type) {
        long[] s = IpAddresses.parse(src);
        long[] d = IpAddresses.parse(dst);
        DecodedFrame f = new DecodedFrame();
        f.timeNanos = time;
        f.type = DecodedFrame.Type.NEIGHBOR_DISCOVERY;
        f.srcMac = mac;
        f.ipVersion = 6;
        f.srcHi = s[0];
        f.srcLo = s[1];
        f.dstHi = d[0];
        f.dstLo = d[1];
        f.ttl = 255;
        f.ipProtocol = 58;
        f.icmpType = type;
        f.icmpCode = 0;
        f.site.clear();
        return f;
    }

    /** A neighbour solicitation for {@code target} from {@code src} (src "::": a DAD probe). */
    public static DecodedFrame ns(long time, long mac, String src, String target) {
        DecodedFrame f = nd(time, mac, src, "ff02::1:ff00:1", 135);
        long[] t = IpAddresses.parse(target);
        f.site.ndTargetHi = t[0];
        f.site.ndTargetLo = t[1];
        return f;
    }

    /** A neighbour advertisement for {@code target} from {@code src} (to all nodes). */
    public static DecodedFrame na(long time, long mac, String src, String target) {
        DecodedFrame f = nd(time, mac, src, "ff02::1", 136);
        long[] t = IpAddresses.parse(target);
        f.site.ndTargetHi = t[0];
        f.site.ndTargetLo = t[1];
        f.site.ndFlags = 0x20; // override
        return f;
    }

    /** A router advertisement from {@code src} with one prefix ({@code prefix} null: none). */
    public static DecodedFrame ra(long time, long mac, String src, int routerLifetime, String prefix, int length) {
        DecodedFrame f = nd(time, mac, src, "ff02::1", 134);
        f.site.raRouterLifetime = routerLifetime;
        if (prefix != null) {
            long[] p = IpAddresses.parse(prefix);
            f.site.raPrefixCount = 1;
            f.site.raPrefixHi[0] = p[0];
            f.site.raPrefixLo[0] = p[1];
            f.site.raPrefixLength[0] = length;
            f.site.raPrefixFlags[0] = 0xC0;
            f.site.raPrefixValid[0] = 86400;
            f.site.raPrefixPreferred[0] = 14400;
        }
        return f;
    }

    /** An EAP packet (EAPOL type 0) from {@code src} to {@code dst}: {@code code}, {@code type} (-1 none), type data. */
    public static DecodedFrame eap(long time, long src, long dst, int code, int type, String data) {
        DecodedFrame f = new DecodedFrame();
        f.timeNanos = time;
        f.type = DecodedFrame.Type.EAPOL;
        f.srcMac = src;
        f.dstMac = dst;
        f.site.clear();
        f.site.eapolVersion = 2;
        f.site.eapolType = 0;
        f.site.eapCode = code;
        f.site.eapId = 1;
        f.site.eapType = type;
        if (data != null) {
            f.buffer = data.getBytes(StandardCharsets.UTF_8);
            f.site.eapDataOffset = 0;
            f.site.eapDataLength = f.buffer.length;
        }
        return f;
    }

    /** EAPOL-Start (type 1) from a supplicant. */
    public static DecodedFrame eapolStart(long time, long src) {
        DecodedFrame f = new DecodedFrame();
        f.timeNanos = time;
        f.type = DecodedFrame.Type.EAPOL;
        f.srcMac = src;
        f.dstMac = PAE_GROUP;
        f.site.clear();
        f.site.eapolVersion = 2;
        f.site.eapolType = 1;
        return f;
    }
}
