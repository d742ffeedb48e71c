package org.tapdoctor.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.jr.ob.JSON;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tapdoctor.capture.PcapWriter;
import org.tapdoctor.wire.LinkTypes;

/**
 * The box never goes silent because its problem table filled up: a capture of 6,000 problems that
 * nothing can fold (one refused attempt each, distinct clients and servers) and then one more,
 * replayed into the default 4,096-entry table, reports all 6,001, and its {@code table_full}
 * says the 1,905 that made room were evicted after they were reported, none unrecorded.
 */
class UnfoldableProblemsTest {
    static final long EPOCH = 1_795_219_200_000_000_000L, MS = 1_000_000L;

    @Test
    void shouldReportEveryProblemWhenTheTableFillsUp(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("unfoldable.pcap");
        int problems = 6_001;
        try (OutputStream out = Files.newOutputStream(pcap)) {
            PcapWriter w = new PcapWriter(out, LinkTypes.ETHERNET);
            for (int k = 0; k < problems; k++) {
                // 500 clients with 12 servers each (a client with more than 16 would fold): no fold applies
                String client = "2001:db8:c::" + Integer.toHexString(1 + k % 500);
                String server = "2001:db8:5::" + Integer.toHexString(1 + k);
                long t = EPOCH + k * MS;
                byte[] syn = segment(client, 40000 + k % 20000, server, 443, 0x02, 1000, 0);
                byte[] rst = segment(server, 443, client, 40000 + k % 20000, 0x14, 0, 1001);
                w.write(syn, syn.length, syn.length, t);
                w.write(rst, rst.length, rst.length, t + MS / 2);
            }
        }
        ReplayCommandTest.Run r = ReplayCommandTest.run("replay", "--format", "jsonl", pcap.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        long refused = 0;
        Map<String, Object> full = null;
        for (String line : lines) {
            Map<String, Object> d = JSON.std.mapFrom(line);
            if ("refused".equals(d.get("kind"))) {
                refused++;
            } else if ("table_full".equals(d.get("kind"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> ev = (Map<String, Object>) d.get("evidence");
                if ("problems".equals(ev.get("table"))) {
                    full = ev;
                }
            }
        }
        assertEquals(problems, refused, "every refused attempt is reported");
        assertEquals(1905, ((Number) full.get("evictions")).intValue(), "problems evicted after they were reported: " + full);
        assertEquals(0, ((Number) full.get("unrecorded")).intValue(), "no problem was lost: " + full);
    }

    /** Ethernet, IPv6 and a 20-byte TCP header. */
    static byte[] segment(String src, int sport, String dst, int dport, int flags, long seq, long ack) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + 20);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x86DD);   // Ethernet, IPv6
        b.putInt(0x6000_0000).putShort((short) 20).put((byte) 6).put((byte) 64);            // version, length, TCP, hop limit
        b.put(java.net.InetAddress.getByName(src).getAddress()).put(java.net.InetAddress.getByName(dst).getAddress());
        b.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack);
        b.put((byte) (5 << 4)).put((byte) flags).putShort((short) (flags == 0x02 ? 64240 : 0)).putInt(0); // offset, flags, window, checksum, urgent
        return b.array();
    }
}
