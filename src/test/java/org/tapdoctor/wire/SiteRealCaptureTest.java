package org.tapdoctor.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tapdoctor.SharedPcaps;
import org.tapdoctor.capture.CaptureFilter;

/**
 * The site protocols in real captures of the shared corpus (../shared/pcaps, MANIFEST.tsv):
 * every LLDP, CDP, DHCP, neighbour discovery and EAPOL frame decodes to what tshark 4.0 finds in
 * it, field by field ({@link SiteCrossCheck}), and the counts per protocol are those of the
 * manifest. Skipped when the corpus or tshark is missing, unless CI=true.
 *
 * <p>Counts: tshark {@code -Y lldp}, {@code cdp}, {@code dhcp}, {@code icmpv6.type >= 133 &&
 * icmpv6.type <= 137 && ipv6.hlim == 255}, {@code eapol}. In ppp_example2_vlan_mixed.pcap, 4 of
 * the 6 CDP frames are 802.1Q-tagged 802.3 frames. td_dhcp-rfc4388_relay_leasequery.pcap has 36
 * datagrams tshark calls DHCP, of which frames 43 and 44 are malformed (the magic cookie two
 * octets early): BOOTP without a cookie, UDP for the decoder. td_icmpv6-ra-pref64.pcap frame 2
 * has a PREF64 option tshark calls malformed (prefix length code 6), which the decoder does not
 * read: the rest of that RA agrees.
 */
class SiteRealCaptureTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # file                                         | lldp | cdp | dhcp | nd | eapol
            td_LLDP_and_CDP.pcap                           | 8    | 4   | 0    | 0  | 0
            td_3560_CDP.pcap                               | 0    | 3   | 0    | 0  | 0
            ws_cdp_v2.pcap                                 | 0    | 4   | 0    | 0  | 0
            ws_lldpmed_civicloc_voice_vlan.pcap            | 1    | 0   | 0    | 0  | 0
            ld_sg200_lldp_med.pcap                         | 1    | 0   | 0    | 0  | 0
            ppp_example2_vlan_mixed.pcap                   | 0    | 6   | 0    | 0  | 0
            zk_dhcp_all_msg_types_nak.pcap                 | 0    | 0   | 9    | 0  | 0
            rj_dhcp_renew_two_servers_offer.pcapng         | 0    | 0   | 29   | 0  | 0
            td_dhcp-rfc4388_relay_leasequery.pcap          | 0    | 0   | 34   | 0  | 0
            td_eapon1_eapol_eap-sim_dhcp_noreply.pcap      | 0    | 0   | 10   | 0  | 41
            rj_8021x_md5_challenge_legacy_nak.pcapng       | 0    | 0   | 0    | 0  | 26
            zk_icmp6-nd-options.pcap                       | 0    | 0   | 0    | 12 | 0
            rj_ipv6_slaac_rs_ra_dad.pcap                   | 0    | 0   | 0    | 10 | 0
            td_icmpv6-ra-pref64.pcap                       | 0    | 0   | 0    | 4  | 0
            sv_ipv6-kill-router6_icmpv6_noroute.pcap       | 0    | 0   | 0    | 9  | 0
            """)
    void shouldDecodeWhatTsharkDecodes(String file, int lldp, int cdp, int dhcp, int nd, int eapol) throws Exception {
        Path path = SharedPcaps.dir().resolve(file);
        assertEquals(true, Files.isRegularFile(path), path + " missing from the corpus");
        SiteCrossCheck.Counts counts = SiteCrossCheck.check(path);
        assertEquals(lldp, counts.of(DecodedFrame.Type.LLDP), "LLDP");
        assertEquals(cdp, counts.of(DecodedFrame.Type.CDP), "CDP");
        assertEquals(dhcp, counts.of(DecodedFrame.Type.DHCP), "DHCP");
        assertEquals(nd, counts.of(DecodedFrame.Type.NEIGHBOR_DISCOVERY), "neighbour discovery");
        assertEquals(eapol, counts.of(DecodedFrame.Type.EAPOL), "EAPOL");
    }

    /**
     * The live capture filter (compiled by libpcap, applied by reading the file through it) keeps
     * every frame of the site protocols in real captures: VLAN-tagged 802.3 CDP
     * (ppp_example2_vlan_mixed), relayed DHCP between two port-67 sockets (rfc4388), EAPOL of
     * 802.1X-2001 and -2004, neighbour discovery with options.
     */
    @ParameterizedTest
    @ValueSource(strings = {"td_LLDP_and_CDP.pcap", "ws_cdp_v2.pcap", "ld_sg200_lldp_med.pcap", "ppp_example2_vlan_mixed.pcap",
        "zk_dhcp_all_msg_types_nak.pcap", "rj_dhcp_renew_two_servers_offer.pcapng", "td_dhcp-rfc4388_relay_leasequery.pcap",
        "td_eapon1_eapol_eap-sim_dhcp_noreply.pcap", "rj_8021x_md5_challenge_legacy_nak.pcapng", "zk_icmp6-nd-options.pcap",
        "rj_ipv6_slaac_rs_ra_dad.pcap", "td_icmpv6-ra-pref64.pcap"})
    void shouldKeepEverySiteFrameThroughTheLiveCaptureFilter(String file) throws Exception {
        Path path = SharedPcaps.dir().resolve(file);
        List<DecodedFrame.Type> site = List.of(DecodedFrame.Type.LLDP, DecodedFrame.Type.CDP, DecodedFrame.Type.DHCP,
                DecodedFrame.Type.NEIGHBOR_DISCOVERY, DecodedFrame.Type.EAPOL);
        Map<DecodedFrame.Type, Integer> all = SiteCrossCheck.framesThrough(path, null, site);
        Map<DecodedFrame.Type, Integer> filtered = SiteCrossCheck.framesThrough(path, CaptureFilter.expression(), site);
        assertEquals(true, !all.isEmpty(), file + ": site frames");
        assertEquals(all, filtered, file + ": site frames without and through the filter");
    }
}
