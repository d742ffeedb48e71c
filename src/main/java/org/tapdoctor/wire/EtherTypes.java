package org.tapdoctor.wire;

/**
 * The EtherType values the decoder dispatches on (IEEE 802.3 clause 3.2.6; IANA "IEEE 802
 * Numbers"). Values below {@link #MIN_ETHERTYPE} are 802.3 length fields, not types.
 */
final class EtherTypes {
    /** 0x0600: smaller values in the type/length field are an 802.3 frame length (LLC follows). */
    static final int MIN_ETHERTYPE = 0x0600;
    /** The largest 802.3 length field (IEEE 802.3 clause 3.2.6); 1501-1535 are neither lengths nor types. */
    static final int MAX_LENGTH = 1500;
    static final int IPV4 = 0x0800;
    static final int ARP = 0x0806;
    /** IEEE 802.1Q customer VLAN tag. */
    static final int VLAN = 0x8100;
    /** IEEE 802.1ad service VLAN tag (QinQ outer tag). */
    static final int QINQ = 0x88A8;
    /** Pre-standard QinQ outer tag used by some switches. */
    static final int QINQ_LEGACY = 0x9100;
    static final int IPV6 = 0x86DD;
    /** MPLS unicast and multicast (RFC 3032). */
    static final int MPLS_UNICAST = 0x8847;
    static final int MPLS_MULTICAST = 0x8848;
    /** IEEE 802.1X port access entity: EAP over LAN. */
    static final int EAPOL = 0x888E;
    /** IEEE 802.1AB link layer discovery. */
    static final int LLDP = 0x88CC;

    private EtherTypes() {
    }

    static boolean isVlanTag(int etherType) {
        return etherType == VLAN || etherType == QINQ || etherType == QINQ_LEGACY;
    }
}
