package org.tapdoctor.track;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tapdoctor.wire.TestPackets.dnsQuery;
import static org.tapdoctor.wire.TestPackets.dnsResponse;
import static org.tapdoctor.wire.TestPackets.wireName;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tapdoctor.wire.IpAddresses;
import org.tapdoctor.wire.TestPackets;

class DnsTableTest {
    private static final long MS = 1_000_000L;
    private static final int A = 1, AAAA = 28;
    private static final String CLIENT = "192.0.2.5", RESOLVER = "198.51.100.53";
    private static final String CLIENT6 = "2001:db8::5", RESOLVER6 = "2001:db8::53";

    private final TrackerConfig config = TrackerConfig.defaults();
    private final RecordingListener listener = new RecordingListener();
    private final DnsTable dns = new DnsTable(config, listener);
    private final long timeout = config.dnsTimeoutNanos();

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5}) // SERVFAIL, NXDOMAIN, REFUSED
    void shouldReportAnErrorResponse(int rcode) {
        dns.onDns(dnsQuery(0, CLIENT, 40000, RESOLVER, 0x1234, "intranet.example", AAAA));
        assertEquals(1, dns.size());

        dns.onDns(dnsResponse(12 * MS, RESOLVER, CLIENT, 40000, 0x1234, "intranet.example", AAAA, rcode, 0));

        assertEquals(1, listener.dnsFailures.size());
        RecordingListener.DnsFailure f = listener.dnsFailures.get(0);
        assertEquals(rcode, f.rcode());
        assertEquals(address(CLIENT)[0], f.clientHi());
        assertEquals(address(CLIENT)[1], f.clientLo());
        assertEquals(40000, f.clientPort());
        assertEquals(address(RESOLVER)[1], f.serverLo());
        assertArrayEquals(wireName("intranet.example"), f.qname());
        assertEquals(AAAA, f.qtype());
        assertEquals(1, f.queries());
        assertEquals(12 * MS, f.time());
        assertEquals(1, dns.size(), "the failed query is kept so that the client's retries join it");
    }

    @Test
    void shouldFollowQueriesOverIpv6() {
        dns.onDns(dnsQuery(0, CLIENT6, 5353, RESOLVER6, 7, "gone.example.org", A));
        dns.onDns(dnsResponse(3 * MS, RESOLVER6, CLIENT6, 5353, 7, "gone.example.org", A, 3, 0));

        RecordingListener.DnsFailure f = listener.dnsFailures.get(0);
        assertEquals(address(CLIENT6)[0], f.clientHi());
        assertEquals(address(CLIENT6)[1], f.clientLo());
        assertEquals(address(RESOLVER6)[0], f.serverHi());
        assertEquals(address(RESOLVER6)[1], f.serverLo());
    }

    @Test
    void shouldForgetAQueryAnsweredWithNoError() {
        dns.onDns(dnsQuery(0, CLIENT, 40000, RESOLVER, 1, "example.com", A));
        dns.onDns(dnsQuery(0, CLIENT, 40001, RESOLVER, 2, "example.com", AAAA));
        dns.onDns(dnsResponse(5 * MS, RESOLVER, CLIENT, 40000, 1, "example.com", A, 0, 2));
        dns.onDns(dnsResponse(5 * MS, RESOLVER, CLIENT, 40001, 2, "example.com", AAAA, 0, 0)); // NODATA

        assertEquals(0, dns.size());
        dns.expire(10 * timeout);
        dns.finish(10 * timeout);
        assertTrue(listener.dnsFailures.isEmpty());
    }

    @Test
    void shouldReportNoResponseExactlyAtTheTimeout() {
        dns.onDns(dnsQuery(100 * MS, CLIENT, 40000, RESOLVER, 9, "slow.example", A));

        dns.expire(100 * MS + timeout - 1);
        assertTrue(listener.dnsFailures.isEmpty(), "one nanosecond early");
        assertEquals(1, dns.size());

        dns.expire(100 * MS + timeout);
        assertEquals(1, listener.dnsFailures.size());
        RecordingListener.DnsFailure f = listener.dnsFailures.get(0);
        assertEquals(DnsTable.NO_RESPONSE, f.rcode());
        assertEquals(100 * MS, f.time(), "the time of the evidence, the last query");
        assertArrayEquals(wireName("slow.example"), f.qname());
        assertEquals(0, dns.size());
    }

    @Test
    void shouldCountRetransmissionsAndTimeFromTheLast() {
        dns.onDns(dnsQuery(0, CLIENT, 40000, RESOLVER, 9, "slow.example", A));
        dns.onDns(dnsQuery(1000 * MS, CLIENT, 40000, RESOLVER, 9, "slow.example", A));
        dns.onDns(dnsQuery(3000 * MS, CLIENT, 40000, RESOLVER, 9, "slow.example", A));
        assertEquals(1, dns.size());

        dns.expire(timeout); // 5 s after the first, 2 s after the last
        assertTrue(listener.dnsFailures.isEmpty());
        dns.expire(3000 * MS + timeout);

        RecordingListener.DnsFailure f = listener.dnsFailures.get(0);
        assertEquals(3, f.queries());
        assertEquals(3000 * MS, f.time());
    }

    @Test
    void shouldKeepQueriesWithAnotherIdOrPortApart() {
        dns.onDns(dnsQuery(0, CLIENT, 40000, RESOLVER, 9, "a.example", A));
        dns.onDns(dnsQuery(0, CLIENT, 40000, RESOLVER, 10, "a.example", A));
        dns.onDns(dnsQuery(0, CLIENT, 40001, RESOLVER, 9, "a.example", A));
        dns.onDns(dnsQuery(0, CLIENT, 40000, "198.51.100.54", 9, "a.example", A));
        assertEquals(4, dns.size());

        dns.onDns(dnsResponse(MS, RESOLVER, CLIENT, 40000, 10, "a.example", A, 3, 0));

        assertEquals(1, listener.dnsFailures.size());
        assertEquals(1, listener.dnsFailures.get(0).queries());
        assertEquals(4, dns.size(), "the failed one lingers for its retries");
    }

    @Test
    void shouldReportAnErrorResponseToAQueryItDidNotSee() {
        dns.onDns(dnsResponse(7 * MS, RESOLVER, CLIENT, 40000, 0x4242, "late.example", A, 2, 0));
        dns.onDns(dnsResponse(8 * MS, RESOLVER, CLIENT, 40001, 0x4243, "fine.example", A, 0, 1));

        assertEquals(1, listener.dnsFailures.size());
        RecordingListener.DnsFailure f = listener.dnsFailures.get(0);
        assertEquals(2, f.rcode());
        assertEquals(40000, f.clientPort());
        assertArrayEquals(wireName("late.example"), f.qname(), "the response carries the question");
        assertEquals(0, f.queries());
        assertEquals(1, dns.size(), "the failure lingers; the NOERROR one is forgotten");
    }

    @Test
    void shouldJoinRetriesAndLateDuplicatesOfAFailedQueryToItsFailure() {
        dns.onDns(dnsQuery(0, CLIENT, 40000, RESOLVER, 5, "down.example", A));
        dns.onDns(dnsResponse(10 * MS, RESOLVER, CLIENT, 40000, 5, "down.example", A, 2, 0));
        dns.onDns(dnsQuery(2000 * MS, CLIENT, 40000, RESOLVER, 5, "down.example", A));
        dns.onDns(dnsResponse(9000 * MS, RESOLVER, CLIENT, 40000, 5, "down.example", A, 2, 0));
        dns.expire(9000 * MS + DnsTable.FAILED_LINGER_NANOS - 1);
        assertEquals(1, dns.size());
        dns.expire(9000 * MS + DnsTable.FAILED_LINGER_NANOS);
        assertEquals(0, dns.size());
        assertEquals(1, listener.dnsFailures.size(), "one failed query, reported once");
        assertEquals(1, listener.dnsRepeats, "its retry is counted as one more query message");
    }

    @Test
    void shouldIgnoreMessagesThatAreNotAClientAskingAServer() {
        // mDNS (port 5353 both sides) looks like DNS but nobody asks a server.
        dns.onDns(TestPackets.dns(0, CLIENT, 5353, "224.0.0.251", 5353, 0, 0x0000, 0, "printer.local", A));
        dns.onDns(TestPackets.dns(MS, RESOLVER, 5353, CLIENT, 5353, 0, 0x8403, 0, "printer.local", A));
        // An UPDATE (opcode 5) to port 53 is not a query.
        dns.onDns(TestPackets.dns(0, CLIENT, 40000, RESOLVER, 53, 3, 5 << 11, 0, "zone.example", 6));
        // A response to port 53 from elsewhere (a reflection) is not an answer to one of ours.
        dns.onDns(TestPackets.dns(MS, RESOLVER, 40000, CLIENT, 53, 4, 0x8183, 0, "x.example", A));

        assertEquals(0, dns.size());
        dns.expire(10 * timeout);
        assertTrue(listener.dnsFailures.isEmpty());
    }

    @Test
    void shouldReportAtTheEndOfACaptureAQueryRetransmittedAfterASecond() {
        dns.onDns(dnsQuery(0, CLIENT, 40000, RESOLVER, 1, "retried.example", A));
        dns.onDns(dnsQuery(1000 * MS, CLIENT, 40000, RESOLVER, 1, "retried.example", A));
        dns.onDns(dnsQuery(0, CLIENT, 40001, RESOLVER, 2, "quick-retry.example", A));
        dns.onDns(dnsQuery(500 * MS, CLIENT, 40001, RESOLVER, 2, "quick-retry.example", A));
        dns.onDns(dnsQuery(1200 * MS, CLIENT, 40002, RESOLVER, 3, "fresh.example", A));

        dns.finish(1500 * MS);

        assertEquals(1, listener.dnsFailures.size());
        RecordingListener.DnsFailure f = listener.dnsFailures.get(0);
        assertArrayEquals(wireName("retried.example"), f.qname());
        assertEquals(DnsTable.NO_RESPONSE, f.rcode());
        assertEquals(2, f.queries());
        assertEquals(1000 * MS, f.time());
        assertEquals(2, dns.size(), "a capture cut short proves nothing about the others");
    }

    @Test
    void shouldRememberNamesAnsweredWithDataWhateverTheirCase() {
        byte[] lower = wireName("www.example.com");
        long hash = DnsTable.nameHash(lower, 0, lower.length);
        assertFalse(dns.answered(hash));

        dns.onDns(dnsResponse(MS, RESOLVER, CLIENT, 40000, 1, "WWW.Example.COM", A, 0, 1));

        assertTrue(dns.answered(hash));
        byte[] other = wireName("www.example.net");
        assertFalse(dns.answered(DnsTable.nameHash(other, 0, other.length)));
    }

    @Test
    void shouldNotTakeAnEmptyOrFailedAnswerForAnAnsweredName() {
        dns.onDns(dnsResponse(MS, RESOLVER, CLIENT, 40000, 1, "nodata.example", A, 0, 0));
        dns.onDns(dnsResponse(MS, RESOLVER, CLIENT, 40000, 2, "missing.example", A, 3, 0));

        byte[] nodata = wireName("nodata.example");
        byte[] missing = wireName("missing.example");
        assertFalse(dns.answered(DnsTable.nameHash(nodata, 0, nodata.length)));
        assertFalse(dns.answered(DnsTable.nameHash(missing, 0, missing.length)));
    }

    @Test
    void shouldEvictTheOldestQueryWhenFull() {
        DnsTable small = new DnsTable(config.withTables(16, 16, 16, 16, 4), listener);
        for (int id = 0; id < 5; id++) {
            small.onDns(dnsQuery(id * MS, CLIENT, 40000, RESOLVER, id, "q" + id + ".example", A));
        }
        assertEquals(4, small.size());
        assertEquals(1, small.evictions());

        small.expire(10 * timeout);
        assertEquals(4, listener.dnsFailures.size());
        assertTrue(listener.dnsFailures.stream().noneMatch(f -> f.time() == 0), "query 0 was the victim");
    }

    private static long[] address(String text) {
        return IpAddresses.parse(text);
    }
}
