package org.tapdoctor.track;

import org.tapdoctor.wire.DecodedFrame;

/**
 * 802.1X port authentication as the tap sees it (IEEE 802.1X-2020, EAP per RFC 3748): the
 * authenticators (the switch ports sending EAP-Requests) and the devices (supplicants, by MAC).
 * A device whose authenticator's Request/Identity went unanswered {@code dot1x.min-requests}
 * times, over at least {@link #MIN_SPAN_NANOS}, with no EAPOL at all from it, has no supplicant
 * ({@code dot1x_no_supplicant}); every EAP-Success or EAP-Failure to a device is its outcome
 * ({@code dot1x_failure} keeps the last). See docs/diagnosis-rules.md section 4.
 *
 * <p>Which side is which comes from the EAP code: Requests, Success and Failure are the
 * authenticator's, Responses, EAPOL-Start and -Logoff the supplicant's. A Success or Failure to
 * the PAE group address is the device that last responded to that authenticator.
 *
 * <p>Caveats: Requests to the group address count for no device (every supplicant behind a hub
 * answers them; SITE-NOTES S6), so a device behind an authenticator that only multicasts is never
 * {@code dot1x_no_supplicant}. The identity kept is the first 64 bytes of the last
 * Response/Identity. Allocated once (devices in an open table, the identities in one slab that
 * follows the entries, authenticators in a small array); a full table evicts the least recently
 * seen and counts it; not thread-safe.
 */
public final class Dot1xTable extends OpenTable implements OpenTable.Ranking {
    /** The shortest span of the unanswered requests (hostapd retransmits its Request/Identity every 3 s at first). */
    static final long MIN_SPAN_NANOS = 3_000_000_000L;
    public static final int MAX_IDENTITY = 64;
    static final int EAP_REQUEST = 1, EAP_RESPONSE = 2, EAP_SUCCESS = 3, EAP_FAILURE = 4;
    static final int TYPE_IDENTITY = 1, TYPE_NAK = 3;
    static final int EAPOL_START = 1, EAPOL_LOGOFF = 2;
    private static final long PAE_GROUP = 0x0180_C200_0003L;

    // Device slot: 0 MAC, 1 REQUESTS (Request/Identity unanswered), 2 FIRST_REQUEST, 3 LAST_REQUEST,
    // 4 ANSWERED (EAPOL from it: 1), 5 FAILURES, 6 SUCCESSES, 7 LAST_OUTCOME (0 none, EAP code),
    // 8 METHOD (EAP type of its last Response other than Identity and Nak, -1), 9 AUTHENTICATOR (MAC, -1),
    // 10 LAST_SEEN, 11 IDENTITY_LENGTH (-1 none)
    private static final int MAC = 0, REQUESTS = 1, FIRST_REQUEST = 2, LAST_REQUEST = 3, ANSWERED = 4, FAILURES = 5,
            SUCCESSES = 6, LAST_OUTCOME = 7, METHOD = 8, AUTHENTICATOR = 9, LAST_SEEN = 10, IDENTITY_LENGTH = 11,
            STRIDE = 12;
    public static final int BYTES_PER_DEVICE = STRIDE * 8 + MAX_IDENTITY;
    // Authenticator: 0 MAC (-1 free), 1 REQUESTS, 2 LAST, 3 SIDE, 4 LAST_RESPONDER (MAC, -1)
    private static final int A_MAC = 0, A_REQUESTS = 1, A_LAST = 2, A_SIDE = 3, A_RESPONDER = 4, A_STRIDE = 5;
    public static final int BYTES_PER_AUTHENTICATOR = A_STRIDE * 8;

    private final Ipv6Dot1xConfig config;
    private final TrackerListener listener;
    private final byte[] identities;
    private final long[] authenticators;
    private long evictions;
    private long changes;

    public Dot1xTable(Ipv6Dot1xConfig config, TrackerListener listener) {
        super(config.dot1xDevices(), STRIDE);
        this.config = config;
        this.listener = listener;
        this.identities = new byte[slots() * MAX_IDENTITY];
        this.authenticators = new long[config.authenticators() * A_STRIDE];
        for (int a = 0; a < config.authenticators(); a++) {
            authenticators[a * A_STRIDE + A_MAC] = -1;
        }
    }

    @Override
    protected int home(int b) {
        return Tables.hash(words[b + MAC], 2, 0, mask);
    }

    @Override
    protected void moved(int from, int to) {
        System.arraycopy(identities, from * MAX_IDENTITY, identities, to * MAX_IDENTITY, MAX_IDENTITY);
    }

    public long evictions() { return evictions; }
    /** Moves when an authenticator appears or a device's last outcome changes (for the site record). */
    public long changes() { return changes; }

    /** Follows one EAPOL frame. */
    public void onEapol(DecodedFrame f) {
        long now = f.timeNanos();
        int code = f.eapCode();
        if (code == EAP_REQUEST || code == EAP_SUCCESS || code == EAP_FAILURE) {
            fromAuthenticator(f, code, now);
        } else if (code == EAP_RESPONSE || f.eapolType() == EAPOL_START || f.eapolType() == EAPOL_LOGOFF) {
            fromSupplicant(f, code, now); // keys, alerts and MKA say nothing about who is who
        }
    }

    private void fromAuthenticator(DecodedFrame f, int code, long now) {
        int a = authenticator(f.srcMac(), now);
        int ab = a * A_STRIDE;
        authenticators[ab + A_LAST] = now;
        authenticators[ab + A_SIDE] = f.side();
        long device = f.dstMac() == PAE_GROUP ? authenticators[ab + A_RESPONDER] : f.dstMac();
        if (code == EAP_REQUEST) {
            authenticators[ab + A_REQUESTS]++;
            if (f.eapType() == TYPE_IDENTITY && f.dstMac() != PAE_GROUP && (f.dstMac() & 0x0100_0000_0000L) == 0) {
                request(device(f.dstMac(), now), f.srcMac(), now);
            }
            return;
        }
        if (device < 0) {
            return; // a Success or Failure to the group address before anyone responded
        }
        int b = base(device(device, now));
        words[b + AUTHENTICATOR] = f.srcMac();
        boolean success = code == EAP_SUCCESS;
        words[b + (success ? SUCCESSES : FAILURES)]++;
        if (words[b + LAST_OUTCOME] != code) {
            words[b + LAST_OUTCOME] = code;
            changes++;
        }
        int i = b / STRIDE;
        listener.onDot1xOutcome(device, success, (int) words[b + FAILURES], (int) words[b + METHOD], f.srcMac(),
                identities, i * MAX_IDENTITY, (int) words[b + IDENTITY_LENGTH], now);
    }

    private void request(int i, long authenticator, long now) {
        int b = base(i);
        words[b + AUTHENTICATOR] = authenticator;
        if (words[b + ANSWERED] != 0) {
            return; // a device that answered before has a supplicant (SITE-NOTES S6)
        }
        if (words[b + REQUESTS] == 0) {
            words[b + FIRST_REQUEST] = now;
        }
        words[b + REQUESTS]++;
        words[b + LAST_REQUEST] = now;
    }

    private void fromSupplicant(DecodedFrame f, int code, long now) {
        int i = device(f.srcMac(), now);
        int b = base(i);
        words[b + ANSWERED] = 1;
        words[b + REQUESTS] = 0;
        if (f.dstMac() != PAE_GROUP) {
            words[b + AUTHENTICATOR] = f.dstMac();
        }
        if (code != EAP_RESPONSE) {
            return;
        }
        for (int a = 0; a < config.authenticators(); a++) {
            int ab = a * A_STRIDE;
            if (authenticators[ab + A_MAC] >= 0 && (f.dstMac() == PAE_GROUP || authenticators[ab + A_MAC] == f.dstMac())) {
                authenticators[ab + A_RESPONDER] = f.srcMac();
            }
        }
        if (f.eapType() == TYPE_IDENTITY) {
            int n = Math.min(Math.max(f.eapDataLength(), 0), MAX_IDENTITY);
            if (f.eapDataOffset() >= 0) {
                System.arraycopy(f.buffer(), f.eapDataOffset(), identities, i * MAX_IDENTITY, n);
                words[b + IDENTITY_LENGTH] = n;
            }
        } else if (f.eapType() != TYPE_NAK && f.eapType() > 0) {
            words[b + METHOD] = f.eapType();
        }
    }

    /** Reports devices whose requests went unanswered; forgets devices idle for {@code dot1x.window}. */
    public void expire(long now) {
        for (int i = nextInUse(0); i < slots(); ) {
            int b = base(i);
            if (now - words[b + LAST_SEEN] >= config.dot1xWindowNanos()) {
                remove(i);
                i = nextInUse(i);
                continue;
            }
            if (words[b + REQUESTS] > 0 && now - words[b + LAST_REQUEST] >= config.dot1xTimeoutNanos()) {
                judge(i, now);
            }
            i = nextInUse(i + 1);
        }
    }

    /** End of a capture: unanswered requests that already span the minimum are judged. */
    public void finish(long end) {
        for (int i = nextInUse(0); i < slots(); i = nextInUse(i + 1)) {
            if (words[base(i) + REQUESTS] > 0) {
                judge(i, end);
            }
        }
    }

    private void judge(int i, long now) {
        int b = base(i);
        if (words[b + REQUESTS] >= config.dot1xMinRequests()
                && words[b + LAST_REQUEST] - words[b + FIRST_REQUEST] >= MIN_SPAN_NANOS) {
            listener.onDot1xUnanswered(words[b + MAC], (int) words[b + REQUESTS], words[b + AUTHENTICATOR],
                    words[b + FIRST_REQUEST], words[b + LAST_REQUEST]);
            words[b + REQUESTS] = 0;
        }
    }

    private int device(long mac, long now) {
        int i = slotOf(mac);
        if (i >= 0) {
            words[base(i) + LAST_SEEN] = now;
            return i;
        }
        int home = Tables.hash(mac, 2, 0, mask);
        if (size() >= capacity) {
            evictions++;
            remove(victimNear(home, this));
        }
        i = occupy(home);
        int b = base(i);
        java.util.Arrays.fill(words, b, b + STRIDE, 0);
        words[b + MAC] = mac;
        words[b + METHOD] = -1;
        words[b + AUTHENTICATOR] = -1;
        words[b + IDENTITY_LENGTH] = -1;
        words[b + LAST_SEEN] = now;
        return i;
    }

    private int authenticator(long mac, long now) {
        int free = -1, oldest = 0;
        for (int a = 0; a < config.authenticators(); a++) {
            int ab = a * A_STRIDE;
            if (authenticators[ab + A_MAC] == mac) {
                return a;
            }
            if (authenticators[ab + A_MAC] < 0 && free < 0) {
                free = a;
            }
            if (authenticators[ab + A_LAST] < authenticators[oldest * A_STRIDE + A_LAST]) {
                oldest = a;
            }
        }
        int a = free >= 0 ? free : oldest;
        if (free < 0) {
            evictions++;
        }
        int ab = a * A_STRIDE;
        authenticators[ab + A_MAC] = mac;
        authenticators[ab + A_REQUESTS] = 0;
        authenticators[ab + A_LAST] = now;
        authenticators[ab + A_RESPONDER] = -1;
        changes++;
        return a;
    }

    /** The slot of a device, or -1. */
    public int slotOf(long mac) {
        for (int i = Tables.hash(mac, 2, 0, mask); inUse(i); i = (i + 1) & mask) {
            if (words[base(i) + MAC] == mac) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public long lastSeen(int slot) {
        return words[base(slot) + LAST_SEEN];
    }

    // ---- read access for the site record (off the per-frame path) ----
    /** Authenticators heard (and not replaced). */
    public int authenticatorsSeen() {
        int n = 0;
        for (int a = 0; a < config.authenticators(); a++) {
            n += authenticators[a * A_STRIDE + A_MAC] >= 0 ? 1 : 0;
        }
        return n;
    }

    /** Devices whose last outcome is {@code code} (3 Success, 4 Failure). */
    public int devicesWithLastOutcome(int code) {
        int n = 0;
        for (int i = nextInUse(0); i < slots(); i = nextInUse(i + 1)) {
            n += words[base(i) + LAST_OUTCOME] == code ? 1 : 0;
        }
        return n;
    }
}
